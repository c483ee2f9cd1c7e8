import ArgumentParser
import AttentionCore
import Foundation
import Tokenizers

/// `maskscope bench`: how long a full recompute of every layer's attention takes after a
/// mask edit, the one operation the explorer repeats while the user types.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time full attention recomputes after a mask change, per text length and thread count.",
        discussion: """
        For each length, builds a text of exactly that many tokens ([CLS] and [SEP] included, \
        no padding) by repeating a sentence, prepares it once (embeddings and the first \
        layer's projections, which no mask changes), then times --repeats recomputes of every \
        layer, alternating two masks so nothing can be reused. Each recompute includes \
        building the mask's logit bias, as the explorer does.

        Reported per length and thread count: median and 90th-percentile latency, GFLOP/s \
        (from the model's multiply-add count, 2 FLOP each, counting the first layer's \
        query/key/value projections although a recompute reuses them, as in the usual \
        N·(8·L·H² + 4·L·H·I + 4·L²·H)) and its share of the machine's \
        matrix-multiply peak: the best GFLOP/s of the same kernel on a 512×384 · 384×1536 \
        product with that many threads, measured here. Also: model load time, and the time \
        from the command's start (model load, tokenizing, preparing, one pass at the first \
        length) to the first attention; process start-up before the command is not included.

        JSON output: {"model", "machine", "cores", "kernel", "load_ms", \
        "first_attention_ms", "peak_gflops" (object: thread count → GFLOP/s), "results": \
        [{"length", "threads", "repeats", "median_ms", "p90_ms", "gflops", "peak_gflops", \
        "percent_of_peak"}]}.

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
            let loaded = try modelOptions.load()
            let loadMs = (BenchClock.now() - start) * 1e3
            let model = loaded.model
            for length in lengthList where length < 2 || length > model.info.maxPositions {
                throw ValidationError("--lengths: \(length) tokens is outside 2…\(model.info.maxPositions) for \(loaded.name) ([CLS] and [SEP] count, and its max_position_embeddings is \(model.info.maxPositions))")
            }
            let longest = lengthList.max() ?? 2
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
            var results: [BenchResult] = []
            for threadCount in threadList {
                let peak = peaks[threadCount] ?? MatrixMultiplyPeak.measure(threads: threadCount)
                peaks[threadCount] = peak
                for length in lengthList {
                    let prepared = try model.prepare(Self.encoding(repeated, cutTo: length))
                    let masks = Self.alternatingMasks(length: length)
                    var times: [Double] = []
                    for run in -2..<repeats {
                        let begin = BenchClock.now()
                        let bias = AttentionBias(keyMask: masks[(run + 2) % 2], semantics: .hf)
                        guard model.forward(prepared, bias: bias, threads: threadCount) != nil else { continue }
                        let end = BenchClock.now()
                        if run >= 0 { times.append((end - begin) * 1e3) }
                    }
                    let median = BenchStatistics.percentile(times, 0.5)
                    let gflops = model.forwardFLOPs(length: length) / (median * 1e-3) / 1e9
                    results.append(BenchResult(
                        length: length, threads: threadCount, repeats: repeats, medianMs: median,
                        p90Ms: BenchStatistics.percentile(times, 0.9), gflops: gflops, peakGflops: peak))
                }
            }
            let report = BenchReport(
                model: loaded.name, machine: BenchMachine.cpuName(), cores: BenchMachine.cores(),
                kernel: MatrixKernel.best.description, loadMs: loadMs,
                firstAttentionMs: firstAttentionMs, peaks: peaks, results: results)
            switch format {
            case .json: try report.writeJSON()
            case .table: try report.writeTable(headline: loaded.headline)
            }
        }
    }

    /// The first `length - 1` positions of `encoding` and its last one (`[SEP]`), so the text
    /// keeps its special tokens at exactly `length` tokens.
    static func encoding(_ encoding: Encoding, cutTo length: Int) -> Encoding {
        let keep = Array(0..<(length - 1)) + [encoding.count - 1]
        return Encoding(
            tokens: keep.map { encoding.tokens[$0] }, ids: keep.map { encoding.ids[$0] },
            typeIDs: keep.map { encoding.typeIDs[$0] }, wordIndices: keep.map { encoding.wordIndices[$0] },
            isSpecial: keep.map { encoding.isSpecial[$0] }, isPadding: keep.map { encoding.isPadding[$0] })
    }

    /// All ones, and all ones but the middle token masked: two masks that differ, so each
    /// recompute follows a real mask change.
    static func alternatingMasks(length: Int) -> [[Float]] {
        var masked = [Float](repeating: 1, count: length)
        masked[length / 2] = 0
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
