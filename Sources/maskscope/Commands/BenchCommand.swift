import ArgumentParser
import AttentionCore
import Foundation
import Tokenizers

/// `maskscope bench`: how long a full recompute of every layer's attention takes after a
/// mask edit, the one operation the explorer repeats while the user types.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time attention recomputes after a mask change, per text length and thread count, and the explorer's latency.",
        discussion: """
        For each length, builds a text of exactly that many tokens (the special tokens the tokenizer adds \
        included: [CLS] and [SEP] on BERT, a BOS token on decoders that add one; \
        no padding) by repeating a sentence, prepares it once (embeddings and the first \
        layer's projections, which no mask changes), then times --repeats recomputes of every \
        layer, alternating two masks so nothing can be reused. Each recompute includes \
        building the mask's logit bias, as the explorer does.

        Reported per length and thread count: median and 90th-percentile latency of a \
        recompute of every layer's attention (what the explorer runs: the last layer stops \
        after its softmax, since only the last hidden state needs the rest), GFLOP/s of it \
        (from the model's multiply-add count for that work, 2 FLOP each, counting the first \
        layer's query/key/value projections although a recompute reuses them; the full \
        pass is the usual N·(8·L·H² + 4·L·H·I + 4·L²·H)) and its share of the machine's \
        matrix-multiply peak: the best GFLOP/s of the same kernel on a 512×384 · 384×1536 \
        product with that many threads, measured here. Beside it, the hardware's ceiling: \
        fused multiply-adds on vector registers alone, no memory. Both peaks are measured \
        before and after each thread count's timed runs and the higher counts, so a busy \
        moment on a shared machine during one measurement cannot as easily make a share \
        exceed 100%. Also: model load time, and the time from the command's start (model \
        load, tokenizing, preparing, one pass at the first length) to the first attention; \
        process start-up before the command is not included. \
        Beside it, the same recompute with the last hidden state too ("+hidden"), as the \
        output-effect view and attention --hidden run it.

        Explorer latency, at --latency-length tokens (default 128) per thread count: the \
        time from a mask change to the attention of the layer on screen being ready, as the \
        explorer's background recompute publishes it: layer 0 comes early (its maps, with \
        the deeper layers copied from the previous result), the last layer with the full \
        result. Median and 95th percentile over --latency-repeats changes of the middle \
        token. On a decoder, where no token sees a later one, a recompute copies the rows \
        before the edited token from the previous result and runs only the rest, so an edit \
        costs less the later its token: the first token, the worst case, is timed too. Not \
        included: the explorer loop's wake-up for the result and drawing (the next \
        measurement has them).

        Explorer key to screen, the same layers and length with the model's default thread \
        count: the explorer's own loop runs on a 120×40 truecolor terminal that types 0 and 1 \
        alternately on a token, and times each key from being read to the first frame that \
        shows the shown layer's new attention, through the reducer, the background recompute, \
        the loop's wake-up and rendering; only the write to a real terminal is left out. Each \
        key is typed once the previous edit has settled. The token is the explorer's first \
        selection, token 1: on a decoder nearly the worst case.

        FLOP count (printed with the report): per layer 2·L·H·(2·Q + 2·KV) for the projections \
        (Q = heads·d; KV = kvHeads·d, narrower under grouped-query attention), 4·L·H·I or, \
        with a gated SiLU MLP (SwiGLU), 6·L·H·I, and 4·pairs·Q for Q·Kᵀ and P·V, where pairs \
        is L² for an encoder and L(L+1)/2 under a causal mask. "% of FMA peak" divides \
        GFLOP/s by the register-only FMA ceiling. Peak resident memory is the process's \
        high-water mark over the whole run (so: at the longest length). The first edit is \
        the first key of a freshly opened explorer, against the steady p95 of the keys after it.

        JSON output: {"model", "machine", "cores", "kernel", "load_ms", \
        "first_attention_ms", "peak_rss_mb", "load_average" ([1, 5, 15 min]), "flop_formula", \
        "peak_gflops" and "fma_peak_gflops" (objects: thread count → \
        GFLOP/s), "results": \
        [{"length", "threads", "repeats", "median_ms", "p90_ms", "gflops", "peak_gflops", \
        "percent_of_peak", "percent_of_fma_peak", "hidden_median_ms", "hidden_p90_ms"}], \
        "explorer_latency" and "explorer_screen_latency": [{"length", "threads", "layer", \
        "edited_token", "repeats", "median_ms", "p95_ms"}; the screen's entries add \
        "first_edit_ms"]}.

        Compare with transformers: python3 Tests/Reference/bench_torch.py (same options).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    @Option(help: ArgumentHelp("Text lengths in tokens, special tokens included, comma-separated.", valueName: "lengths"))
    var lengths: String = "8,32,128,512"

    @Option(help: ArgumentHelp("Thread counts to run each length with, comma-separated.", valueName: "threads"))
    var threads: String = "1,2"

    @Option(help: ArgumentHelp("Timed recomputes per length and thread count.", valueName: "n"))
    var repeats: Int = 30

    @Option(help: ArgumentHelp("Tokens of the text the explorer latency is measured on (capped at the model's limit).", valueName: "n"))
    var latencyLength: Int = 128

    @Option(help: ArgumentHelp("Mask changes timed for the explorer latency, per shown layer and thread count.", valueName: "n"))
    var latencyRepeats: Int = 100

    @Option(help: "Output format: table or json.")
    var format: Format = .table

    /// The text repeated to reach each length.
    static let sentence = "The quick brown fox jumps over the lazy dog while the patient cat watches from the warm windowsill. "

    func run() throws {
        try ErrorReporting.run(command: "bench") {
            let start = BenchClock.now()
            let lengthList = try Self.positiveInts(lengths, option: "--lengths")
            let threadList = try Self.positiveInts(threads, option: "--threads")
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
            guard latencyRepeats >= 1 else {
                throw ValidationError("--latency-repeats must be at least 1, got \(latencyRepeats)")
            }
            guard latencyLength >= 2 else {
                throw ValidationError("--latency-length must be at least 2 tokens (special tokens count), got \(latencyLength)")
            }
            let loaded = try modelOptions.load()
            let loadMs = (BenchClock.now() - start) * 1e3
            let model = loaded.model
            for length in lengthList where length < 2 || length > model.info.maxPositions {
                throw ValidationError("--lengths: \(length) tokens is outside 2…\(model.info.maxPositions) for \(loaded.name) (the special tokens the tokenizer adds count, and \(model.info.maxPositions) positions is its limit)")
            }
            let latencyTokens = min(latencyLength, model.info.maxPositions)
            let longest = max(lengthList.max() ?? 2, latencyTokens)
            var repeated = try model.tokenizer.encode(Self.sentence, pair: nil)
            var copies = 1
            while repeated.count < longest {
                copies += 1
                repeated = try model.tokenizer.encode(String(repeating: Self.sentence, count: copies), pair: nil)
            }

            // Cold start as a user sees it: load, tokenize, prepare, one full pass.
            let firstLength = lengthList[0]
            let firstInput = try model.prepare(Self.encoding(repeated, cutTo: firstLength))
            _ = model.forward(firstInput, bias: AttentionBias(keyMask: firstInput.encoding.defaultMask, semantics: .hf))
            let firstAttentionMs = (BenchClock.now() - start) * 1e3

            var peaks: [Int: Double] = [:]
            var arithmeticPeaks: [Int: Double] = [:]
            var results: [BenchResult] = []
            var latencies: [LatencyResult] = []
            for threadCount in threadList {
                let peakBefore = MatrixMultiplyPeak.measure(threads: threadCount)
                let fmaPeakBefore = ArithmeticPeak.measure(threads: threadCount)
                var timed: [(length: Int, times: [Double], withHidden: [Double])] = []
                for length in lengthList {
                    let prepared = try model.prepare(Self.encoding(repeated, cutTo: length))
                    let times = Self.recomputeTimes(model, prepared, threads: threadCount, needs: .attention, repeats: repeats)
                    let withHidden = Self.recomputeTimes(
                        model, prepared, threads: threadCount, needs: .attentionAndHidden, repeats: repeats)
                    timed.append((length, times, withHidden))
                }
                // The same peaks again after the timed runs: the higher of the two counts.
                let peak = max(peakBefore, MatrixMultiplyPeak.measure(threads: threadCount))
                let fmaPeak = max(fmaPeakBefore, ArithmeticPeak.measure(threads: threadCount))
                peaks[threadCount] = peak
                arithmeticPeaks[threadCount] = fmaPeak
                for (length, times, withHidden) in timed {
                    let median = BenchStatistics.percentile(times, 0.5)
                    let gflops = model.forwardFLOPs(length: length, needs: .attention) / (median * 1e-3) / 1e9
                    results.append(BenchResult(
                        length: length, threads: threadCount, repeats: repeats, medianMs: median,
                        p90Ms: BenchStatistics.percentile(times, 0.9), gflops: gflops, peakGflops: peak,
                        fmaPeakGflops: fmaPeak,
                        hiddenMedianMs: BenchStatistics.percentile(withHidden, 0.5),
                        hiddenP90Ms: BenchStatistics.percentile(withHidden, 0.9)))
                }
                let prepared = try model.prepare(Self.encoding(repeated, cutTo: latencyTokens))
                // A decoder recomputes only from the edited token on: the middle token is a
                // typical edit, the first the worst case. An encoder's every edit costs the same.
                let editedTokens = model.description.isCausal ? [latencyTokens / 2, 0] : [latencyTokens / 2]
                for layer in Set([0, model.info.layerCount - 1]).sorted() {
                    for edited in editedTokens {
                        let times = Self.latencyTimes(model, prepared, threads: threadCount, shownLayer: layer,
                                                      editedToken: edited, repeats: latencyRepeats)
                        latencies.append(LatencyResult(
                            length: latencyTokens, threads: threadCount, layer: layer, editedToken: edited,
                            repeats: latencyRepeats, medianMs: BenchStatistics.percentile(times, 0.5),
                            p95Ms: BenchStatistics.percentile(times, 0.95)))
                    }
                }
            }
            var screenLatencies: [LatencyResult] = []
            if let text = try ScreenLatency.text(of: latencyTokens, from: Self.sentence, model: model) {
                for layer in Set([0, model.info.layerCount - 1]).sorted() {
                    // A fresh explorer per shown layer, so its first key is a first edit after start.
                    let explorer = try Explorer(model: model, text: text)
                    let all = ScreenLatency.times(explorer: explorer, shownLayer: layer, repeats: latencyRepeats)
                    let times = Array(all.dropFirst(2))
                    screenLatencies.append(LatencyResult(
                        length: latencyTokens, threads: model.defaultThreads, layer: layer,
                        editedToken: explorer.tokens.count > 1 ? 1 : 0, repeats: times.count,
                        medianMs: BenchStatistics.percentile(times, 0.5), p95Ms: BenchStatistics.percentile(times, 0.95),
                        firstEditMs: all.first))
                }
            }
            let report = BenchReport(
                model: loaded.name, machine: BenchMachine.cpuName(), cores: BenchMachine.cores(),
                kernel: MatrixKernel.best.description, loadMs: loadMs,
                firstAttentionMs: firstAttentionMs, peakResidentMB: BenchMachine.peakResidentMegabytes(),
                loadAverage: BenchMachine.loadAverage(), flopFormula: Self.flopFormula(model.description),
                peaks: peaks, arithmeticPeaks: arithmeticPeaks, results: results,
                latencies: latencies,
                screenLatencies: screenLatencies)
            switch format {
            case .json: try report.writeJSON()
            case .table: try report.writeTable(headline: loaded.headline)
            }
        }
    }

    /// The FLOP count `gflops` divides by, as a formula in the model's sizes (see
    /// `TransformerDescription.forwardFLOPs`): what the report prints beside the numbers.
    static func flopFormula(_ d: TransformerDescription) -> String {
        let a = d.attention
        let matrices = d.mlp == .gatedSiLU ? 3 : (d.mlp == nil ? 0 : 2)
        let pairs = d.isCausal ? "L(L+1)/2" : "L²"
        var layer = "2·L·\(d.hiddenSize)·(2·\(a.queryWidth) + 2·\(a.keyValueWidth))"
        if matrices > 0 { layer += " + \(2 * matrices)·L·\(d.hiddenSize)·\(d.intermediateSize)" }
        layer += " + 4·\(pairs)·\(a.queryWidth)"
        return "\(d.layerCount)·(\(layer)), less the last layer's V, output and MLP (attention only)"
    }

    /// Milliseconds of `repeats` recomputes after a mask change (two warm-up runs first),
    /// each from building the bias to the result.
    static func recomputeTimes(_ model: EncoderModel, _ prepared: PreparedInput, threads: Int, needs: ForwardNeeds,
                               repeats: Int) -> [Double] {
        let masks = alternatingMasks(length: prepared.encoding.count, editedToken: prepared.encoding.count / 2)
        var times: [Double] = []
        for run in -2..<repeats {
            let begin = BenchClock.now()
            let bias = AttentionBias(keyMask: masks[(run + 2) % 2], semantics: .hf)
            guard model.forward(prepared, bias: bias, threads: threads, needs: needs) != nil else { continue }
            let end = BenchClock.now()
            if run >= 0 { times.append((end - begin) * 1e3) }
        }
        return times
    }

    /// Milliseconds from a mask change on `editedToken` to the attention of `shownLayer` being
    /// published, as the explorer's recompute does it: early (over the previous result) for a
    /// layer before the last, with the full attention-only result for the last, reusing the
    /// previous result's rows before the edited token on a decoder.
    static func latencyTimes(_ model: EncoderModel, _ prepared: PreparedInput, threads: Int, shownLayer: Int,
                             editedToken: Int, repeats: Int) -> [Double] {
        let masks = alternatingMasks(length: prepared.encoding.count, editedToken: editedToken)
        var previous = model.forward(prepared, bias: AttentionBias(keyMask: masks[1], semantics: .hf),
                                     threads: threads, needs: .attention)
        var times: [Double] = []
        for run in -2..<repeats {
            var published: Double?
            let begin = BenchClock.now()
            let bias = AttentionBias(keyMask: masks[(run + 2) % 2], semantics: .hf)
            let early = EarlyLayers(throughLayer: shownLayer, previous: previous) { _ in published = BenchClock.now() }
            guard let result = model.forward(prepared, bias: bias, threads: threads, needs: .attention, earlyLayers: early,
                                             reusing: previous)
            else { continue }
            let end = published ?? BenchClock.now()
            previous = result
            if run >= 0 { times.append((end - begin) * 1e3) }
        }
        return times
    }

    /// The first positions of `encoding` and the special tokens that close it (BERT's `[SEP]`,
    /// nothing for a decoder without an end token), `length` positions in all, so the text
    /// keeps the layout its tokenizer gives it.
    static func encoding(_ encoding: Encoding, cutTo length: Int) -> Encoding {
        var closing = 0
        while closing < encoding.count - 1, encoding.isSpecial[encoding.count - 1 - closing],
              !encoding.isPadding[encoding.count - 1 - closing] {
            closing += 1
        }
        closing = min(closing, length - 1)
        let keep = Array(0..<(length - closing)) + Array((encoding.count - closing)..<encoding.count)
        return Encoding(
            tokens: keep.map { encoding.tokens[$0] }, ids: keep.map { encoding.ids[$0] },
            typeIDs: keep.map { encoding.typeIDs[$0] }, wordIndices: keep.map { encoding.wordIndices[$0] },
            isSpecial: keep.map { encoding.isSpecial[$0] }, isPadding: keep.map { encoding.isPadding[$0] })
    }

    /// All ones, and all ones but `editedToken` masked: two masks that differ, so each
    /// recompute follows a real mask change.
    static func alternatingMasks(length: Int, editedToken: Int) -> [[Float]] {
        var masked = [Float](repeating: 1, count: length)
        masked[min(max(0, editedToken), length - 1)] = 0
        return [[Float](repeating: 1, count: length), masked]
    }

    static func positiveInts(_ text: String, option: String) throws -> [Int] {
        let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !values.isEmpty else { throw ValidationError("\(option) needs at least one number") }
        return try values.map { piece in
            guard let value = Int(piece), value >= 1 else {
                throw ValidationError("\(option): '\(piece)' is not a positive whole number; write e.g. \(option) 8,32,128")
            }
            return value
        }
    }
}
