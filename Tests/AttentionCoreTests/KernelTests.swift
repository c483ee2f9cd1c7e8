import Foundation
import Testing
@testable import AttentionCore

/// Deterministic values in [-1, 1) so failures reproduce.
private struct SplitMix {
    var state: UInt64
    mutating func next() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 23) - 1
    }
    mutating func values(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}

/// Largest `|got - want| / (Σ|terms|)` over all outputs of `y = x · Wᵀ + b`, accumulated in Double.
private func worstLinearError(x: Matrix, weight: Matrix, bias: [Float], y: Matrix) -> Double {
    var worst = 0.0
    x.values.withUnsafeBufferPointer { xs in
        weight.values.withUnsafeBufferPointer { ws in
            for row in 0..<x.rows {
                for out in 0..<weight.rows {
                    var sum = Double(bias[out])
                    var magnitude = abs(sum)
                    for i in 0..<x.columns {
                        let term = Double(xs[row * x.columns + i]) * Double(ws[out * weight.columns + i])
                        sum += term
                        magnitude += abs(term)
                    }
                    let error = abs(Double(y[row, out]) - sum) / max(magnitude, 1e-20)
                    worst = max(worst, error)
                }
            }
        }
    }
    return worst
}

/// (tokens M, inputs K, outputs N): every size from the brief, most not multiples of any tile;
/// the last spans several row blocks of every kernel, with a ragged last tile, and three depth
/// blocks.
private let linearShapes: [(Int, Int, Int)] = [
    (1, 5, 3), (7, 384, 33), (13, 1536, 384), (128, 384, 33), (509, 5, 33),
    (1, 1536, 1536), (13, 5, 1536), (7, 1536, 3), (128, 384, 384), (509, 384, 3),
    (301, 600, 70),
]

@Suite struct KernelTests {
    @Test(arguments: MatrixKernel.allCases, [1, 2])
    func linearMatchesDoubleReference(kernel: MatrixKernel, threads: Int) {
        let pool = WorkerPool(threads: threads)
        var random = SplitMix(state: 7)
        for (m, k, n) in linearShapes {
            let weight = Matrix(rows: n, columns: k, values: random.values(n * k))
            let bias = random.values(n)
            let x = Matrix(rows: m, columns: k, values: random.values(m * k))
            let layer = Linear(weight: weight, bias: bias, kernel: kernel)
            let y = layer.apply(x, workers: pool)
            #expect(y.rows == m && y.columns == n)
            let error = worstLinearError(x: x, weight: weight, bias: bias, y: y)
            #expect(error < 1e-4, "M=\(m) K=\(k) N=\(n) \(kernel) threads=\(threads): relative error \(error)")
        }
    }

    @Test func linearAddsBiasPerOutput() {
        let weight = Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        let layer = Linear(weight: weight, bias: [0.5, -1, 2])
        let y = layer.apply(Matrix(rows: 2, columns: 2, values: [1, 1, 2, -1]))
        #expect(y == Matrix(rows: 2, columns: 3, values: [3.5, 6, 13, 0.5, 1, 6]))
        #expect(layer.inputSize == 2 && layer.outputSize == 3)
    }

    @Test(arguments: MatrixKernel.allCases)
    func linearWithNoInputsIsItsBias(kernel: MatrixKernel) {
        let layer = Linear(weight: Matrix(rows: 3, columns: 0, values: []), bias: [1, 2, 3], kernel: kernel)
        let y = layer.apply(Matrix(rows: 2, columns: 0, values: []))
        #expect(y == Matrix(rows: 2, columns: 3, values: [1, 2, 3, 1, 2, 3]))
    }

    /// The pointer form reads rows `inputStride` apart and writes only its own columns of a
    /// wider output, as when Q, K and V share one `[token][3·hidden]` buffer.
    @Test(arguments: MatrixKernel.allCases)
    func pointerFormHonorsStridesAndLeavesOtherColumnsAlone(kernel: MatrixKernel) {
        var random = SplitMix(state: 11)
        let (m, k, n) = (9, 40, 35)
        let weight = Matrix(rows: n, columns: k, values: random.values(n * k))
        let bias = random.values(n)
        let layer = Linear(weight: weight, bias: bias, kernel: kernel)
        let wide = Matrix(rows: m, columns: k + 3, values: random.values(m * (k + 3)))
        let x = Matrix(rows: m, columns: k, values: (0..<m).flatMap { r in (0..<k).map { wide[r, $0 + 2] } })
        let sentinel: Float = -12345
        let outputStride = n + 10
        var output = [Float](repeating: sentinel, count: m * outputStride)
        wide.values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                layer.apply(
                    input: input.baseAddress! + 2, inputStride: k + 3, rows: m,
                    output: out.baseAddress! + 4, outputStride: outputStride, workers: WorkerPool(threads: 2)
                )
            }
        }
        let y = Matrix(rows: m, columns: n, values: (0..<m).flatMap { r in (0..<n).map { output[r * outputStride + 4 + $0] } })
        #expect(worstLinearError(x: x, weight: weight, bias: bias, y: y) < 1e-4)
        let untouched = (0..<m).allSatisfy { r in
            (0..<4).allSatisfy { output[r * outputStride + $0] == sentinel }
                && (4 + n..<outputStride).allSatisfy { output[r * outputStride + $0] == sentinel }
        }
        #expect(untouched)
    }

    @Test(arguments: [1, 2, 3])
    func workerPoolRunsEveryPartOnceEvenWhenNested(threads: Int) {
        let pool = WorkerPool(threads: threads)
        var counts = [Int](repeating: 0, count: threads * 16)
        counts.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            for _ in 0..<2_000 {
                pool.run { part in base[part * 16] += 1 }
            }
            // A nested call runs its parts inline instead of deadlocking.
            pool.run { part in
                pool.run { inner in base[part * 16 + 1 + inner] += 1 }
            }
        }
        let heads = (0..<threads).map { pool.share(of: 12, part: $0) }
        #expect(heads.flatMap { Array($0) } == Array(0..<12))
        for part in 0..<threads {
            #expect(counts[part * 16] == 2_000, "part \(part) ran \(counts[part * 16]) times")
            #expect((0..<threads).allSatisfy { counts[part * 16 + 1 + $0] == 1 })
        }
    }

    /// A job cut into more parts than threads: every part runs exactly once, whichever thread
    /// claims it, and a part may do slow work without another part being lost or repeated.
    @Test(arguments: [1, 2, 3], [1, 2, 7, 48])
    func workerPoolRunsEveryClaimedPartOnce(threads: Int, parts: Int) {
        struct CountingJob: PoolJob {
            let counts: UnsafeMutablePointer<Int>
            func run(part: Int) {
                if part % 5 == 0 { usleep(200) }
                counts[part * 16] += 1
            }
        }
        let pool = WorkerPool(threads: threads)
        var counts = [Int](repeating: 0, count: parts * 16)
        counts.withUnsafeMutableBufferPointer { slots in
            for _ in 0..<200 { pool.run(CountingJob(counts: slots.baseAddress!), parts: parts) }
        }
        let runs = (0..<parts).map { counts[$0 * 16] }
        #expect(runs == Array(repeating: 200, count: parts))
    }

    @Test func multiplyPartsFollowTheWorkAndThePanels() {
        let big = PanelMultiply.minimumParallelWork
        #expect(WorkerPool(threads: 1).multiplyParts(work: big * 100, panels: 96) == 1)
        #expect(WorkerPool(threads: 2).multiplyParts(work: big - 1, panels: 96) == 1)
        #expect(WorkerPool(threads: 2).multiplyParts(work: big, panels: 96) == 2 * WorkerPool.partsPerThread)
        #expect(WorkerPool(threads: 2).multiplyParts(work: big, panels: 4) == 4)
    }

    @Test func kernelChoiceFollowsCPUFlags() {
        let zen = CPUFeatures(cpuinfoFlags: "fpu sse2 avx avx2 fma avx512f avx512bw")
        let haswell = CPUFeatures(cpuinfoFlags: "fpu sse2 avx avx2 fma")
        let old = CPUFeatures(cpuinfoFlags: "fpu sse2 avx")
        #expect(zen == CPUFeatures(hasAVX512F: true, hasAVX2: true, hasFMA: true))
        #expect(old == CPUFeatures(hasAVX512F: false, hasAVX2: false, hasFMA: false))
        #if arch(x86_64)
        #expect(MatrixKernel.best(for: zen) == .simd16Tile8x32)
        #expect(MatrixKernel.best(for: haswell) == .simd8Tile6x16)
        #expect(MatrixKernel.best(for: old) == .simd4Tile4x8)
        #endif
        #expect(Linear(weight: Matrix(zeros: 1, 1), bias: [0]).kernel == MatrixKernel.best)
    }
}

/// `GroupedAttention` (grouped-query heads, causal limit) against Double sums of the full
/// `L × L` softmax with the causal bias as `AttentionBias.limitedToEarlierKeys` writes it.
@Suite struct GroupedAttentionTests {
    /// Weights and context of every head, computed in Double over all `L` keys.
    static func reference(q: [Float], k: [Float], v: [Float], bias: [Float], length: Int, heads: Int, kvHeads: Int,
                          d: Int) -> (weights: [Double], context: [Double]) {
        let group = heads / kvHeads, qw = heads * d, kw = kvHeads * d
        var weights = [Double](repeating: 0, count: heads * length * length)
        var context = [Double](repeating: 0, count: length * qw)
        let scale = 1 / Double(Float(d).squareRoot())
        for h in 0..<heads {
            let g = h / group
            for i in 0..<length {
                let logits = (0..<length).map { j -> Double in
                    let dot = (0..<d).reduce(0.0) { $0 + Double(q[i * qw + h * d + $1]) * Double(k[j * kw + g * d + $1]) }
                    return Double(Float(dot * scale) + bias[i * length + j])
                }
                let top = logits.max() ?? 0
                let exps = logits.map { $0 == -.infinity ? 0 : Foundation.exp($0 - top) }
                let sum = exps.reduce(0, +)
                for j in 0..<length { weights[(h * length + i) * length + j] = exps[j] / sum }
                for c in 0..<d {
                    context[i * qw + h * d + c] = (0..<length).reduce(0.0) {
                        $0 + exps[$1] / sum * Double(v[$1 * kw + g * d + c])
                    }
                }
            }
        }
        return (weights, context)
    }

    /// `GroupedAttention.run` over every part, as a layer runs it: weights `[head][query][key]`
    /// and context `[query][head · d]`.
    static func attend(q: [Float], k: [Float], v: [Float], bias: [Float], length: Int, heads: Int, kvHeads: Int,
                       d: Int, visible: GroupedAttention.VisibleKeys, kernel: MatrixKernel,
                       parts: Int, withValues: Bool = true) -> (weights: [Float], context: [Float]) {
        var weights = [Float](repeating: .nan, count: heads * length * length)
        var context = [Float](repeating: .nan, count: length * heads * d)
        let scratchCount = GroupedAttention.scratchCount(keys: length, headSize: d, kernel: kernel)
        var scratch = [Float](repeating: .nan, count: parts * scratchCount)
        q.withUnsafeBufferPointer { qp in
            k.withUnsafeBufferPointer { kp in
                v.withUnsafeBufferPointer { vp in
                    bias.withUnsafeBufferPointer { bp in
                        weights.withUnsafeMutableBufferPointer { wp in
                            context.withUnsafeMutableBufferPointer { cp in
                                scratch.withUnsafeMutableBufferPointer { sp in
                                    let operands = GroupedAttention.Operands(
                                        queries: qp.baseAddress!, queryStride: heads * d,
                                        keys: kp.baseAddress!, keyStride: kvHeads * d,
                                        values: withValues ? vp.baseAddress! : nil, valueStride: kvHeads * d,
                                        context: withValues ? cp.baseAddress! : nil, contextStride: heads * d,
                                        bias: bp.baseAddress!, weights: wp.baseAddress!, length: length,
                                        attention: .init(headCount: heads, keyValueHeadCount: kvHeads, headSize: d),
                                        visible: visible)
                                    for part in 0..<parts {
                                        GroupedAttention.run(operands, part: part, parts: parts,
                                                             scratch: sp.baseAddress! + part * scratchCount, kernel: kernel)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (weights, context)
    }

    @Test(arguments: MatrixKernel.allCases, [1, 2, 3])
    func matchesFullSoftmaxReference(kernel: MatrixKernel, parts: Int) {
        var random = SplitMix(state: 17)
        let heads = 6, kvHeads = 2, d = 32
        // 70 keys: several query blocks, a visible count that is not a panel multiple.
        for (length, prefix, maskFirst) in [(5, 0, false), (70, 0, false), (70, 0, true), (70, 40, false), (37, 0, true)] {
            let q = random.values(length * heads * d), k = random.values(length * kvHeads * d)
            let v = random.values(length * kvHeads * d)
            var keyMask = (0..<length).map { $0 % 5 == 3 ? Float(0) : Float(1) }
            // Masking key 0 leaves query 0 no open key: uniform over all L keys, as transformers does.
            if maskFirst { keyMask[0] = 0 }
            let bias = AttentionBias(keyMask: keyMask, semantics: .hf)
                .limitedToEarlierKeys(slidingWindow: nil, widenedPrefix: prefix)
            let want = Self.reference(q: q, k: k, v: v, bias: bias.values, length: length, heads: heads,
                                      kvHeads: kvHeads, d: d)
            let (weights, context) = Self.attend(q: q, k: k, v: v, bias: bias.values, length: length, heads: heads,
                                                 kvHeads: kvHeads, d: d, visible: .causal(widenedPrefix: prefix),
                                                 kernel: kernel, parts: parts)
            let worstWeight = zip(weights, want.weights).map { abs(Double($0) - $1) }.max() ?? .infinity
            let worstContext = zip(context, want.context).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worstWeight < 1e-5, "L=\(length) prefix=\(prefix) \(kernel) parts=\(parts): weights off by \(worstWeight)")
            #expect(worstContext < 1e-4, "L=\(length) prefix=\(prefix) \(kernel) parts=\(parts): context off by \(worstContext)")
            if maskFirst {
                // Row 0 of head 0: every key masked, so uniform over all L keys, future ones included.
                #expect(abs(weights[length - 1] - 1 / Float(length)) < 1e-6)
            } else {
                // Keys after a query beyond the prefix carry exact zeros.
                let row = length - 2
                #expect(row < prefix || weights[row * length + length - 1] == 0)
            }
        }
    }

    /// An encoder's path (`.all`: every key visible, long value blocks), with one KV head per
    /// query head as in BERT and grouped as in a decoder, against the same Double reference; a
    /// pass without values (a last layer whose output nobody reads) gives bit-identical weights.
    @Test(arguments: MatrixKernel.allCases, [1, 2, 3])
    func everyKeyVisibleMatchesFullSoftmaxReference(kernel: MatrixKernel, parts: Int) {
        var random = SplitMix(state: 29)
        for (heads, kvHeads, d) in [(4, 4, 64), (6, 2, 32)] {
            // 300 keys: more than one 256-deep value block.
            for length in [1, 13, 37, 300] {
                let q = random.values(length * heads * d), k = random.values(length * kvHeads * d)
                let v = random.values(length * kvHeads * d)
                // Key 0 stays open; every third other key is closed, as padding would be.
                let keyMask = (0..<length).map { $0 > 0 && $0 % 3 == 0 ? Float(0) : Float(1) }
                let bias = AttentionBias(keyMask: keyMask, semantics: .hf).values
                let want = Self.reference(q: q, k: k, v: v, bias: bias, length: length, heads: heads,
                                          kvHeads: kvHeads, d: d)
                let (weights, context) = Self.attend(q: q, k: k, v: v, bias: bias, length: length, heads: heads,
                                                     kvHeads: kvHeads, d: d, visible: .all, kernel: kernel, parts: parts)
                let worstWeight = zip(weights, want.weights).map { abs(Double($0) - $1) }.max() ?? .infinity
                let worstContext = zip(context, want.context).map { abs(Double($0) - $1) }.max() ?? .infinity
                let label = "L=\(length) heads=\(heads)/\(kvHeads) d=\(d) \(kernel) parts=\(parts)"
                #expect(worstWeight < 1e-5, "\(label): weights off by \(worstWeight)")
                #expect(worstContext < 1e-4, "\(label): context off by \(worstContext)")
                let (alone, untouched) = Self.attend(q: q, k: k, v: v, bias: bias, length: length, heads: heads,
                                                     kvHeads: kvHeads, d: d, visible: .all, kernel: kernel,
                                                     parts: parts, withValues: false)
                #expect(alone == weights, "\(label): weights without values differ")
                #expect(untouched.allSatisfy { $0.isNaN }, "\(label): a pass without values wrote a context")
            }
        }
    }

    /// `ForwardResult.firstNonFiniteWeight` reads only each row's first key: that holds only if
    /// a row with any non-finite weight is non-finite at key 0, on every path (causal blocks
    /// that stop early, rows with no open key, full rows). A NaN query and an overflowing key
    /// poison some rows; every row must be all finite or non-finite at key 0.
    @Test(arguments: MatrixKernel.allCases)
    func aPoisonedRowIsNonFiniteAtItsFirstKey(kernel: MatrixKernel) {
        var random = SplitMix(state: 5)
        let heads = 6, kvHeads = 2, d = 32, length = 70
        for visible in [GroupedAttention.VisibleKeys.causal(widenedPrefix: 0), .causal(widenedPrefix: 40), .all] {
            var q = random.values(length * heads * d), k = random.values(length * kvHeads * d)
            let v = random.values(length * kvHeads * d)
            q[45 * heads * d + 4 * d + 7] = .nan                             // query 45, head 4
            k[52 * kvHeads * d + 1 * d + 3] = .infinity                      // key 52 of KV head 1 (heads 3…5)
            var keyMask = [Float](repeating: 1, count: length)
            keyMask[0] = 0                                                   // query 0: no open key
            let keyBias = AttentionBias(keyMask: keyMask, semantics: .hf)
            let bias = visible == .all ? keyBias : keyBias.limitedToEarlierKeys(slidingWindow: nil, widenedPrefix: {
                if case .causal(let prefix) = visible { return prefix } else { return 0 }
            }())
            let (weights, _) = Self.attend(q: q, k: k, v: v, bias: bias.values, length: length, heads: heads,
                                           kvHeads: kvHeads, d: d, visible: visible, kernel: kernel, parts: 2)
            var poisoned: Set<[Int]> = []
            for head in 0..<heads {
                for query in 0..<length {
                    let row = weights[((head * length) + query) * length..<((head * length) + query + 1) * length]
                    let anyNonFinite = row.contains { !$0.isFinite }
                    #expect(anyNonFinite == !row.first!.isFinite, "\(visible) \(kernel): head \(head) query \(query)")
                    if anyNonFinite { poisoned.insert([head, query]) }
                }
            }
            #expect(poisoned.contains([4, 45]), "\(visible) \(kernel): the NaN query's row")
            #expect(poisoned.contains([3, 60]) && poisoned.contains([5, 69]), "\(visible) \(kernel): rows that see key 52")
            #expect(!poisoned.contains([0, 10]), "\(visible) \(kernel): an untouched row")
        }
    }

    @Test func visibleCountRoundsToTheSoftmaxWidth() {
        #expect(GroupedAttention.visibleCount(keyEnd: 1, length: 100) == 16)
        #expect(GroupedAttention.visibleCount(keyEnd: 32, length: 100) == 32)
        #expect(GroupedAttention.visibleCount(keyEnd: 90, length: 100) == 96)
        #expect(GroupedAttention.visibleCount(keyEnd: 97, length: 100) == 100)
        #expect(GroupedAttention.VisibleKeys.causal(widenedPrefix: 50).keyEnd(rows: 32..<64, length: 100) == 64)
        #expect(GroupedAttention.VisibleKeys.causal(widenedPrefix: 50).keyEnd(rows: 0..<32, length: 100) == 50)
        #expect(GroupedAttention.VisibleKeys.all.keyEnd(rows: 0..<32, length: 100) == 100)
    }
}

@Suite struct GatedSiLUTests {
    /// The vectorised SwiGLU step against the scalar `expf` form, with a tail, extremes and zeros.
    @Test func vectorMatchesScalarReference() {
        var random = SplitMix(state: 5)
        for count in [1, 15, 16, 17, 100] {
            var gate = random.values(count).map { $0 * 12 }
            if count > 3 { gate[0] = -200; gate[1] = 200; gate[2] = 0 }
            let inner = random.values(count).map { $0 * 3 }
            var fast = inner, slow = inner
            fast.withUnsafeMutableBufferPointer { f in
                SIMDMath.gatedSiLUInPlace(f.baseAddress!, gate: gate, count: count)
            }
            slow.withUnsafeMutableBufferPointer { s in
                SIMDMath.gatedSiLUReference(s.baseAddress!, gate: gate, count: count)
            }
            for i in 0..<count {
                let scale = max(1, abs(slow[i]))
                #expect(abs(fast[i] - slow[i]) <= 2e-6 * scale, "count \(count) lane \(i): \(fast[i]) vs \(slow[i])")
                #expect(fast[i].isFinite)
            }
        }
    }
}
