import Foundation
import Tokenizers

/// A two-layer, six-head encoder whose weights are designed, not trained, so that each head
/// shows one of the attention patterns found in BERT. It needs no files, so the first run
/// works anywhere, and it goes through the same `Q·Kᵀ/√d + bias → softmax → ·V` code as a
/// real checkpoint, so masking behaves exactly as it does there.
///
/// The hidden state (144 features) is laid out in named blocks (`Feature`): position as
/// sin/cos pairs at 9 octave-spaced frequencies, a 24-dimensional vector per word (from a
/// stable hash of its text), flags for special tokens and punctuation, a constant 1, and two
/// context blocks that layers 1 and 2 write their attention output into. There is no
/// LayerNorm and no feed-forward block: each layer adds its output to the residual.
///
/// Each head's query and key projections read only the blocks its pattern needs:
/// - relative position heads rotate the query's sin/cos pairs by the offset, so
///   `q·k = gain · Σ_f cos(ω_f (i + offset − j))`, largest at `j = i + offset`;
/// - flag heads give every query the same constant and keys their flag;
/// - word heads compare word vectors (cosine ~1 for the same word, ~0 otherwise);
/// - the broad head has zero projections: every score is 0, so its weights are uniform.
public enum BuiltinModel {
    /// The designed heads, `[layer][head]`.
    public static let heads: [[HeadDesign]] = [
        [
            .init(name: "previous token", pattern: .offset(-1), design: "query = position rotated one step back, key = position"),
            .init(name: "next token", pattern: .offset(1), design: "query = position rotated one step ahead, key = position"),
            .init(name: "self", pattern: .offset(0), design: "query = key = position: each token finds itself"),
            .init(name: "[CLS]/[SEP]", pattern: .flag(.special), design: "query = constant, key = 'is [CLS] or [SEP]' flag"),
            .init(name: "same word", pattern: .sameWord, design: "query = key = word vector: repeats of a word find each other"),
            .init(name: "broad", pattern: .broad, design: "zero query and key: all scores equal, weights uniform over unmasked keys"),
        ],
        [
            .init(name: "two back", pattern: .offset(-2), design: "query = position rotated two steps back, key = position"),
            .init(name: "two ahead", pattern: .offset(2), design: "query = position rotated two steps ahead, key = position"),
            .init(name: "punctuation", pattern: .flag(.punctuation), design: "query = constant, key = punctuation flag (and half the [CLS]/[SEP] flag)"),
            .init(name: "sentence gist", pattern: .gist, design: "query = layer 1's context (mean of word vectors), key = word vector: words like the sentence's average"),
            .init(name: "[CLS]", pattern: .flag(.classToken), design: "query = constant, key = 'is [CLS]' flag"),
            .init(name: "broad", pattern: .broad, design: "zero query and key: uniform over unmasked keys"),
        ],
    ]

    public static let hiddenSize = 144
    public static let headCount = 6
    public static let headSize = 24
    public static let maxPositions = 512

    /// Builds the model. Cheap (a few hundred KB of weights), so callers need not cache it.
    public static func make() -> EncoderModel {
        let info = ModelInfo(
            name: "builtin", source: "built in (designed weights, no files)",
            layerCount: heads.count, headCount: headCount, hiddenSize: hiddenSize, maxPositions: maxPositions,
            headNames: heads.map { $0.map(\.name) }, headDesigns: heads.map { $0.map(\.design) })
        let layers = heads.enumerated().map { index, designs in
            layer(designs, writingContextAt: index == 0 ? Feature.context1 : Feature.context2)
        }
        return EncoderModel(info: info, tokenizer: BuiltinTokenizer(), embedder: BuiltinEmbedder(), layers: layers)
    }

    /// One designed head.
    public struct HeadDesign: Sendable {
        public let name: String
        let pattern: Pattern
        /// How its weights produce the pattern, in one line.
        public let design: String
    }

    enum Flag { case special, punctuation, classToken }

    enum Pattern {
        case offset(Int)
        case flag(Flag)
        case sameWord
        case gist
        case broad
    }

    /// Blocks of the hidden state.
    enum Feature {
        static let frequencies = 9
        static let position = 0..<18
        static let word = 18..<42
        static let special = 42
        static let punctuation = 43
        static let constant = 44
        static let classToken = 45
        static let context1 = 48..<72
        static let context2 = 72..<96

        /// Angular frequency of sin/cos pair `f`: periods 2, 4, …, 512 tokens.
        static func omega(_ f: Int) -> Double { Double.pi / Double(1 << f) }
    }

    /// Gains chosen so each designed pattern holds ≥ 90 % of its row on short and long texts.
    enum Gain {
        static let position: Float = 12
        static let flag: Float = 34
        static let word: Float = 60
        static let gist: Float = 40
    }

    /// The built-in model as data: two layers of six 24-wide heads, no norms, no MLP, designed
    /// positions in the embeddings, bidirectional, no output head.
    public static let description = TransformerDescription(
        hiddenSize: hiddenSize, layerCount: heads.count, norms: nil,
        attention: .init(headCount: headCount, keyValueHeadCount: headCount, headSize: headSize),
        positions: .learnedAbsolute, mlp: nil, intermediateSize: 0, isCausal: false, outputHead: .none,
        specialTokenRoles: [.cls, .sep, .pad, .unk], maxPositions: maxPositions)

    private static func layer(_ designs: [HeadDesign], writingContextAt context: Range<Int>) -> TransformerLayer {
        var query = Matrix(zeros: hiddenSize, hiddenSize)
        var key = Matrix(zeros: hiddenSize, hiddenSize)
        var value = Matrix(zeros: hiddenSize, hiddenSize)
        var output = Matrix(zeros: hiddenSize, hiddenSize)
        for (head, design) in designs.enumerated() {
            let base = head * headSize
            switch design.pattern {
            case .offset(let offset):
                for f in 0..<Feature.frequencies {
                    let angle = Feature.omega(f) * Double(offset)
                    let c = Float(cos(angle)) * Gain.position, s = Float(sin(angle)) * Gain.position
                    let (cosRow, sinRow) = (base + 2 * f, base + 2 * f + 1)
                    // (cos ω(t+δ), sin ω(t+δ)) from (cos ωt, sin ωt).
                    query[cosRow, 2 * f] = c; query[cosRow, 2 * f + 1] = -s
                    query[sinRow, 2 * f] = s; query[sinRow, 2 * f + 1] = c
                    key[cosRow, 2 * f] = 1; key[sinRow, 2 * f + 1] = 1
                }
            case .flag(let flag):
                query[base, Feature.constant] = Gain.flag
                switch flag {
                case .special: key[base, Feature.special] = 1
                case .classToken: key[base, Feature.classToken] = 1
                case .punctuation:
                    key[base, Feature.punctuation] = 1
                    key[base, Feature.special] = 0.5
                }
            case .sameWord:
                for (i, feature) in Feature.word.enumerated() {
                    query[base + i, feature] = Gain.word
                    key[base + i, feature] = 1
                }
            case .gist:
                for (i, feature) in Feature.context1.enumerated() {
                    query[base + i, feature] = Gain.gist
                    key[base + i, Feature.word.lowerBound + i] = 1
                }
            case .broad:
                break
            }
            // Every head carries word vectors; the broad head writes them into the context
            // block at full strength, the others at a quarter.
            let share: Float = { if case .broad = design.pattern { return 1 } else { return 0.25 } }()
            for (i, feature) in Feature.word.enumerated() {
                value[base + i, feature] = 1
                output[context.lowerBound + i, base + i] = share
            }
        }
        let zero = [Float](repeating: 0, count: hiddenSize)
        return TransformerLayer(
            description: description,
            query: Linear(weight: query, bias: zero), key: Linear(weight: key, bias: zero),
            value: Linear(weight: value, bias: zero), attentionOutput: Linear(weight: output, bias: zero),
            attentionNorm: nil, feedForward: nil, outputNorm: nil)
    }
}

/// Builds the built-in model's first hidden state from token texts and positions.
struct BuiltinEmbedder: TokenEmbedder {
    func embed(_ encoding: Encoding) throws -> Matrix {
        let width = BuiltinModel.hiddenSize
        typealias Feature = BuiltinModel.Feature
        var x = Matrix(zeros: encoding.count, width)
        for (t, token) in encoding.tokens.enumerated() {
            for f in 0..<Feature.frequencies {
                let angle = Feature.omega(f) * Double(t)
                x[t, 2 * f] = Float(cos(angle))
                x[t, 2 * f + 1] = Float(sin(angle))
            }
            for (i, component) in Self.wordVector(token).enumerated() {
                x[t, Feature.word.lowerBound + i] = component
            }
            if token == "[CLS]" || token == "[SEP]" { x[t, Feature.special] = 1 }
            if token == "[CLS]" { x[t, Feature.classToken] = 1 }
            if token.count == 1, let c = token.first, c.isPunctuation || c.isSymbol { x[t, Feature.punctuation] = 1 }
            x[t, Feature.constant] = 1
        }
        return x
    }

    /// A unit vector per word text, the same in every run: Gaussian components from a
    /// SplitMix64 stream seeded by the text's hash.
    static func wordVector(_ token: String) -> [Float] {
        var state = StableHash.fnv1a(token)
        func next() -> Double {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / Double(1 << 53)
        }
        let count = BuiltinModel.Feature.word.count
        var v = (0..<count).map { _ in sqrt(-2 * log(next())) * cos(2 * .pi * next()) }
        let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
        v = v.map { $0 / norm }
        return v.map(Float.init)
    }
}
