import Foundation
import Testing
@testable import AttentionCore

/// The test-only toy family (ToyFamily/) loads through a registry with one more entry and runs
/// the generic layer's non-BERT paths; a direct loop-by-loop forward pass written here, from
/// the formulas (transformers' Llama: RMSNorm, rotate-half rotary, GQA via repeat_kv, SiLU
/// gate, causal mask), checks every attention weight and the last hidden state.
@Suite("Toy family: one folder and one registry entry") struct ToyFamilyTests {
    static let vocab = ["<bos>", "<pad>", "the", "cat", "sat", "on", "mat", "a", "dog"]
    static let hidden = 16, heads = 4, kvHeads = 2, layers = 2, inner = 24
    static let theta: Float = 10_000, eps: Float = 1e-6

    /// Deterministic small weights: a linear congruential stream in [-0.5, 0.5).
    static func weights(_ count: Int, seed: UInt64, around center: Float = 0) -> [Float] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return center + Float(state >> 40) / Float(1 << 24) - 0.5
        }
    }

    struct Checkpoint {
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
    }

    static func makeCheckpoint() -> Checkpoint {
        var c = Checkpoint()
        let d = hidden / heads
        var seed: UInt64 = 1
        func add(_ name: String, _ shape: [Int], around center: Float = 0) {
            seed += 1
            c.tensors[name] = (shape, weights(shape.reduce(1, *), seed: seed, around: center))
        }
        add("embed.weight", [vocab.count, hidden])
        for l in 0..<layers {
            let p = "layers.\(l)."
            add(p + "attn_norm.weight", [1, hidden], around: 1)
            add(p + "q.weight", [heads * d, hidden]); add(p + "k.weight", [kvHeads * d, hidden])
            add(p + "v.weight", [kvHeads * d, hidden]); add(p + "o.weight", [hidden, heads * d])
            add(p + "mlp_norm.weight", [1, hidden], around: 1)
            add(p + "gate.weight", [inner, hidden]); add(p + "up.weight", [inner, hidden]); add(p + "down.weight", [hidden, inner])
        }
        add("final_norm.weight", [1, hidden], around: 1)
        return c
    }

    static func writeCheckpoint(_ c: Checkpoint, to folder: TemporaryFolder) throws {
        let config = """
        {"model_type": "toy", "architectures": ["ToyForCausalLM"], "hidden_size": \(hidden), "num_attention_heads": \(heads),
         "num_key_value_heads": \(kvHeads), "num_hidden_layers": \(layers), "intermediate_size": \(inner),
         "rope_theta": \(theta), "rms_norm_eps": \(eps), "vocab": [\(vocab.map { "\"\($0)\"" }.joined(separator: ", "))]}
        """
        _ = try folder.write(config, to: "config.json")
        let tensors = c.tensors.keys.sorted().map { (name: $0, shape: c.tensors[$0]!.shape, values: c.tensors[$0]!.values) }
        _ = try folder.write(SafeTensorsBuilder.f32File(tensors), to: "model.safetensors")
    }

    /// The forward pass written out loop by loop: attention `[layer][head][query][key]` and the
    /// final-normed last hidden state `[token][hidden]`.
    static func reference(_ c: Checkpoint, ids: [Int], bias: [Float]) -> (attention: [[[[Float]]]], hidden: [[Float]]) {
        let L = ids.count, d = hidden / heads, group = heads / kvHeads
        func t(_ name: String) -> [Float] { c.tensors[name]!.values }
        func matmul(_ x: [[Float]], _ w: [Float], out: Int) -> [[Float]] {   // x·Wᵀ, W [out][in]
            x.map { row in (0..<out).map { o in (0..<row.count).reduce(Float(0)) { $0 + row[$1] * w[o * row.count + $1] } } }
        }
        func rms(_ x: [[Float]], _ g: [Float]) -> [[Float]] {
            x.map { row in
                let scale = 1 / ((row.reduce(0) { $0 + $1 * $1 } / Float(row.count)) + eps).squareRoot()
                return row.indices.map { row[$0] * scale * g[$0] }
            }
        }
        func rotary(_ x: [[Float]], headsIn: Int) -> [[Float]] {
            x.enumerated().map { position, row in
                var out = row
                for h in 0..<headsIn {
                    let v = Array(row[(h * d)..<((h + 1) * d)])
                    let rotated = (0..<d).map { i in i < d / 2 ? -v[i + d / 2] : v[i - d / 2] }   // rotate_half
                    for i in 0..<d {
                        let frequency = 1 / powf(theta, Float(2 * (i % (d / 2))) / Float(d))
                        let angle = Float(position) * frequency
                        out[h * d + i] = v[i] * cosf(angle) + rotated[i] * sinf(angle)
                    }
                }
                return out
            }
        }
        var x = ids.map { id in Array(t("embed.weight")[(id * hidden)..<((id + 1) * hidden)]) }
        var attention: [[[[Float]]]] = []
        for l in 0..<layers {
            let p = "layers.\(l)."
            let n = rms(x, t(p + "attn_norm.weight"))
            let q = rotary(matmul(n, t(p + "q.weight"), out: heads * d), headsIn: heads)
            let k = rotary(matmul(n, t(p + "k.weight"), out: kvHeads * d), headsIn: kvHeads)
            let v = matmul(n, t(p + "v.weight"), out: kvHeads * d)
            var context = [[Float]](repeating: [Float](repeating: 0, count: heads * d), count: L)
            var layerMaps: [[[Float]]] = []
            for h in 0..<heads {
                let kv = h / group
                var maps: [[Float]] = []
                for i in 0..<L {
                    var scores = (0..<L).map { j -> Float in
                        let dot = (0..<d).reduce(Float(0)) { $0 + q[i][h * d + $1] * k[j][kv * d + $1] }
                        return j > i ? -.infinity : dot / Float(d).squareRoot() + bias[i * L + j]
                    }
                    let top = scores.max()!
                    scores = scores.map { $0 == -.infinity ? 0 : expf($0 - top) }
                    let sum = scores.reduce(0, +)
                    let weights = scores.map { $0 / sum }
                    maps.append(weights)
                    for j in 0..<L { for e in 0..<d { context[i][h * d + e] += weights[j] * v[j][kv * d + e] } }
                }
                layerMaps.append(maps)
            }
            attention.append(layerMaps)
            let attended = zip(x, matmul(context, t(p + "o.weight"), out: hidden)).map { zip($0, $1).map(+) }
            let m = rms(attended, t(p + "mlp_norm.weight"))
            let gate = matmul(m, t(p + "gate.weight"), out: inner), up = matmul(m, t(p + "up.weight"), out: inner)
            let mixed = zip(gate, up).map { zip($0, $1).map { g, u in g / (1 + expf(-g)) * u } }
            x = zip(attended, matmul(mixed, t(p + "down.weight"), out: hidden)).map { zip($0, $1).map(+) }
        }
        return (attention, rms(x, t("final_norm.weight")))
    }

    static func load() throws -> (EncoderModel, Checkpoint, TemporaryFolder) {
        let checkpoint = makeCheckpoint()
        let folder = try TemporaryFolder()
        try writeCheckpoint(checkpoint, to: folder)
        let registry = ModelFamilyRegistry(families: ModelFamilyRegistry.standard.families + [ToyFamily()])
        let location = ModelLocation(choice: .folder(folder.url.path), folder: folder.url, name: "toy", reason: "test")
        return (try registry.load(location), checkpoint, folder)
    }

    @Test func theStandardRegistryRefusesItByName() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try Self.writeCheckpoint(Self.makeCheckpoint(), to: folder)
        let location = ModelLocation(choice: .folder(folder.url.path), folder: folder.url, name: "toy", reason: "test")
        #expect(throws: ModelLoadError.self) { _ = try ModelFamilyRegistry.standard.load(location) }
        do { _ = try ModelFamilyRegistry.standard.load(location) } catch {
            #expect("\(error)".contains(#"model_type "toy" is not an architecture Maskscope runs"#))
        }
    }

    @Test func loadsAndRunsAsTheFormulasSay() throws {
        let (model, checkpoint, folder) = try Self.load()
        defer { folder.remove() }
        #expect(model.description.attention.groupSize == 2)
        #expect(model.description.isCausal)
        var explorer = try Explorer(model: model, text: "the cat sat on a mat")
        for mask: [Float] in [[1, 1, 1, 1, 1, 1, 1], [1, 1, 0, 1, 1, 0, 1]] {
            try explorer.setMask(mask)
            let result = try #require(explorer.recompute())
            let bias = AttentionBias(keyMask: mask, semantics: explorer.semantics).values
            let expected = Self.reference(checkpoint, ids: explorer.encoding.ids, bias: bias)
            var worst: Float = 0
            for l in 0..<Self.layers {
                for h in 0..<Self.heads {
                    for (q, row) in expected.attention[l][h].enumerated() {
                        for (k, weight) in row.enumerated() {
                            worst = max(worst, abs(result.attention.weight(layer: l, head: h, query: q, key: k) - weight))
                        }
                    }
                }
            }
            #expect(worst < 1e-5, "attention differs by \(worst) with mask \(mask)")
            // Causal: nothing above the diagonal, whatever the mask says.
            #expect(result.attention.weight(layer: 1, head: 3, query: 2, key: 5) == 0)
            let hidden = try #require(result.hidden)
            let hiddenError = expected.hidden.enumerated().map { t, row in
                row.enumerated().map { abs(hidden[t, $0] - $1) }.max() ?? 0
            }.max() ?? 0
            #expect(hiddenError < 1e-4, "hidden state differs by \(hiddenError)")
            // Raw scores read the kept (rotated) queries and the grouped key head.
            let scores = result.rawScores(layer: 1, head: 3, query: 4)
            #expect(scores.count == 7)
        }
        #expect(model.forwardFLOPs(length: 7) > 0)
    }

    @Test func rotaryPreservesLengthAndLeavesPositionZero() {
        var vectors: [Float] = Self.weights(3 * 8, seed: 99)
        let before = vectors
        var keys: [Float] = Self.weights(3 * 4, seed: 98)
        vectors.withUnsafeMutableBufferPointer { p in
            keys.withUnsafeMutableBufferPointer { k in
                RotaryPositions(base: 10_000, headSize: 4).rotate(
                    queries: p.baseAddress!, queryStride: 8, queryHeads: 2, keys: k.baseAddress!, keyStride: 4, keyHeads: 1, rows: 3)
            }
        }
        #expect(Array(vectors[0..<8]) == Array(before[0..<8]))
        for row in 0..<3 {
            for head in 0..<2 {
                let start = row * 8 + head * 4
                let a = before[start..<(start + 4)].reduce(0) { $0 + $1 * $1 }
                let b = vectors[start..<(start + 4)].reduce(0) { $0 + $1 * $1 }
                #expect(abs(a - b) < 1e-5)
            }
        }
    }

    /// The token-by-token rotation gives exactly the floats of transformers' formula applied
    /// pair by pair (the loop order it replaced), for Q and K of different head counts and strides.
    @Test func rotaryMatchesPairByPairReferenceBitForBit() {
        let headSize = 64, half = 32, rows = 37, base: Float = 100_000
        let queryStride = 9 * headSize + 3 * headSize, keyStride = queryStride
        var kept: [Float] = Self.weights(rows * queryStride, seed: 7)
        var reference = kept
        for (offset, heads) in [(0, 9), (9 * headSize, 3)] {
            for i in 0..<half {
                let inverseFrequency = 1 / powf(base, Float(2 * i) / Float(headSize))
                for t in 0..<rows {
                    let angle = Float(t) * inverseFrequency
                    let c = cosf(angle), s = sinf(angle)
                    for head in 0..<heads {
                        let at = t * queryStride + offset + head * headSize
                        let x1 = reference[at + i], x2 = reference[at + i + half]
                        reference[at + i] = x1 * c - x2 * s
                        reference[at + i + half] = x2 * c + x1 * s
                    }
                }
            }
        }
        kept.withUnsafeMutableBufferPointer { p in
            RotaryPositions(base: base, headSize: headSize).rotate(
                queries: p.baseAddress!, queryStride: queryStride, queryHeads: 9,
                keys: p.baseAddress! + 9 * headSize, keyStride: keyStride, keyHeads: 3, rows: rows)
        }
        #expect(kept.map(\.bitPattern) == reference.map(\.bitPattern))
    }
}
