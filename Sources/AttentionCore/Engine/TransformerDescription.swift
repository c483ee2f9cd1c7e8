import Tokenizers

/// One transformer architecture as data: what `TransformerLayer` and `EncoderModel` need to
/// know to run any family's layers, with no family code in the engine.
///
/// A family (`Models/<Family>`) reads its config into one of these and hands it, with the
/// weights, to the engine. BERT is post-norm LayerNorm, learned absolute positions, erf-GELU
/// MLP, bidirectional, masked-LM head; Llama is pre-norm RMSNorm, rotary, gated-SiLU MLP,
/// causal, fewer key/value heads than query heads.
public struct TransformerDescription: Sendable, Equatable {
    /// How activations are normalised over the feature dimension.
    public enum NormKind: String, Sendable, Equatable {
        /// `(x − mean)/√(var + ε)·γ + β` (BERT, GPT-2).
        case layerNorm
        /// `x/√(mean(x²) + ε)·γ` (Llama).
        case rmsNorm
    }

    /// Where the norm sits around each sub-layer (attention, MLP).
    public enum NormPlacement: String, Sendable, Equatable {
        /// `x = norm(x + sublayer(x))` (BERT).
        case post
        /// `x = x + sublayer(norm(x))` (GPT-2, Llama); the model adds a final norm after the
        /// last layer.
        case pre
    }

    public struct Norms: Sendable, Equatable {
        public var kind: NormKind
        public var placement: NormPlacement
        /// The `ε` under the square root.
        public var epsilon: Float

        public init(kind: NormKind, placement: NormPlacement, epsilon: Float) {
            self.kind = kind
            self.placement = placement
            self.epsilon = epsilon
        }
    }

    /// The shape of self-attention. Query and key/value widths are separate, so grouped-query
    /// attention (fewer key/value heads, each shared by `groupSize` query heads) is a plain case.
    public struct Attention: Sendable, Equatable {
        public var headCount: Int
        public var keyValueHeadCount: Int
        /// Features per head, `d`: scores are `q·k/√d`.
        public var headSize: Int

        public init(headCount: Int, keyValueHeadCount: Int, headSize: Int) {
            self.headCount = headCount
            self.keyValueHeadCount = keyValueHeadCount
            self.headSize = headSize
        }

        /// Features of one token's queries, all heads: `headCount · headSize`.
        public var queryWidth: Int { headCount * headSize }
        /// Features of one token's keys (and values): `keyValueHeadCount · headSize`.
        public var keyValueWidth: Int { keyValueHeadCount * headSize }
        /// Query heads per key/value head; 1 without grouped-query attention.
        public var groupSize: Int { headCount / max(1, keyValueHeadCount) }
        /// The key/value head query head `head` reads.
        public func keyValueHead(of head: Int) -> Int { head / groupSize }
    }

    /// Where token positions enter: into the embeddings, or into Q and K after projection.
    public enum PositionalTransform: Sendable, Equatable {
        /// No position information (a bag of tokens).
        case none
        /// A learned (or designed) vector per position added by the embedder (BERT, GPT-2);
        /// nothing happens after projection.
        case learnedAbsolute
        /// Rotary embeddings (Llama): each head's Q and K rotated pairwise by position, with
        /// frequencies `base^(−2i/d)`, in transformers' rotate-half pairing (`i`, `i + d/2`).
        case rotary(base: Float)
    }

    /// The position-wise MLP after attention.
    public enum MLPKind: String, Sendable, Equatable {
        /// `down(GELU(up(x)))` with the exact erf GELU (BERT's `"gelu"`).
        case gelu
        /// `down(GELU_tanh(up(x)))`, the tanh approximation (GPT-2's `"gelu_new"`).
        case tanhGELU
        /// `down(SiLU(gate(x)) ⊙ up(x))` (Llama).
        case gatedSiLU
    }

    /// What the last hidden state feeds, for the output views.
    public enum OutputHead: String, Sendable, Equatable {
        /// Predicts the token at every position (BERT's `[MASK]` filling).
        case maskedLM
        /// Predicts the next token (decoders).
        case causalLM
        /// No head in the checkpoint: only attention and hidden states.
        case none
    }

    public var hiddenSize: Int
    public var layerCount: Int
    /// Nil when the layers have no norms (the built-in model).
    public var norms: Norms?
    public var attention: Attention
    public var positions: PositionalTransform
    /// Nil when the layers have no MLP (the built-in model).
    public var mlp: MLPKind?
    /// Width of the MLP's inner layer; 0 without an MLP.
    public var intermediateSize: Int
    /// Whether each query sees only itself and earlier keys, whatever the mask says.
    public var isCausal: Bool
    /// With `isCausal`, how many keys back a query sees, itself included (Mistral's
    /// `sliding_window`); nil for no limit.
    public var slidingWindow: Int? = nil
    /// How the family's transformers 4.x code read a 2-D mask, which `hf4` reproduces: false
    /// for BERT's `(1 − m)·lowest` (0.5 masks fully), true for Llama's `causal + (m == 0)`
    /// (0.5 is kept exactly like 1).
    public var hf4MaskIsBoolean = false
    public var outputHead: OutputHead
    /// The special-token roles the family's inputs carry (BERT: CLS, SEP, PAD, MASK).
    public var specialTokenRoles: [SpecialTokenRole]
    /// Longest input, special tokens included.
    public var maxPositions: Int

    public init(hiddenSize: Int, layerCount: Int, norms: Norms?, attention: Attention,
                positions: PositionalTransform, mlp: MLPKind?, intermediateSize: Int, isCausal: Bool,
                outputHead: OutputHead, specialTokenRoles: [SpecialTokenRole], maxPositions: Int) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.norms = norms
        self.attention = attention
        self.positions = positions
        self.mlp = mlp
        self.intermediateSize = mlp == nil ? 0 : intermediateSize
        self.isCausal = isCausal
        self.outputHead = outputHead
        self.specialTokenRoles = specialTokenRoles
        self.maxPositions = maxPositions
    }

    /// Why the description cannot describe a runnable model, or nil when it can: every
    /// size positive, the heads dividing evenly into key/value groups, rotary on an even head size.
    public var problem: String? {
        if hiddenSize < 1 || layerCount < 1 || maxPositions < 1 { return "hidden size, layer count and positions must be at least 1" }
        let a = attention
        if a.headCount < 1 || a.keyValueHeadCount < 1 || a.headSize < 1 { return "head counts and head size must be at least 1" }
        if a.headCount % a.keyValueHeadCount != 0 {
            return "\(a.headCount) query heads do not split evenly over \(a.keyValueHeadCount) key/value heads"
        }
        if mlp != nil, intermediateSize < 1 { return "the MLP's intermediate size must be at least 1" }
        if case .rotary(let base) = positions, a.headSize % 2 != 0 || !(base > 0) {
            return "rotary positions need an even head size and a positive base (head size \(a.headSize), base \(base))"
        }
        return nil
    }

    /// Multiply-adds of one forward pass over `length` tokens, times 2 (FLOP): every dense
    /// layer `2·L·in·out` (Q `[L][heads·d]`, K and V `[L][kvHeads·d]` — grouped-query
    /// attention projects only the key/value heads —, output, and two or, gated, three MLP
    /// matrices), and per layer `Q·Kᵀ` and `P·V` over the query–key pairs the model may use,
    /// `4·pairs·queryWidth`: `L²` pairs for an encoder, `L·(L+1)/2` for a causal model (a query
    /// sees itself and the keys before it; a sliding window is not subtracted).
    /// MiniLM ≈ 6·(3,538,944·L + 1,536·L²); SmolLM2 (GQA 9/3 heads, SwiGLU, causal)
    /// = 30·(2·L·576·(2·576 + 2·192) + 6·L·576·1536 + 4·(L(L+1)/2)·576) ≈ 30·(7,077,888·L + 1,152·L(L+1)).
    /// With `.attention` the last layer counts only its query and key projections and `Q·Kᵀ`.
    /// Softmax, activations, norms and positions are not counted.
    public func forwardFLOPs(length: Int, needs: ForwardNeeds = .attentionAndHidden) -> Double {
        let tokens = Double(length), hidden = Double(hiddenSize)
        let queryWidth = Double(attention.queryWidth), keyValueWidth = Double(attention.keyValueWidth)
        let pairs = isCausal ? tokens * (tokens + 1) / 2 : tokens * tokens
        let queryKey = 2 * tokens * hidden * (queryWidth + keyValueWidth)
        var full = queryKey + 2 * tokens * hidden * keyValueWidth + 2 * tokens * queryWidth * hidden
        if let mlp {
            let matrices: Double = mlp == .gatedSiLU ? 3 : 2
            full += matrices * 2 * tokens * hidden * Double(intermediateSize)
        }
        full += 4 * pairs * queryWidth
        let last = needs == .attention ? queryKey + 2 * pairs * queryWidth : full
        return Double(layerCount - 1) * full + last
    }
}
