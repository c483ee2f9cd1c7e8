import Tokenizers

/// The engine the explorer drives: one text (or pair) under one model, its tokens, the
/// per-token mask and the semantics, and the attention they produce.
///
/// A value type whose heavy parts (the model and the per-text `PreparedInput`) are shared
/// immutable objects, so a copy can be handed to a background task to recompute while the UI
/// keeps editing its own. Changing the text re-tokenizes, resets the mask and redoes the
/// per-text work; changing the mask or semantics only reruns the layers.
public struct Explorer: Sendable {
    public let model: EncoderModel
    public private(set) var text: String
    public private(set) var pair: String?
    public private(set) var padTo: Int?
    public private(set) var prepared: PreparedInput
    /// One mask value per token position, special tokens included.
    public private(set) var mask: [Float]
    public var semantics: MaskSemantics

    /// Tokenizes and prepares `text`; the mask starts at the tokenizer's (1, and 0 for `[PAD]`).
    public init(model: EncoderModel, text: String, pair: String? = nil, padTo: Int? = nil,
                semantics: MaskSemantics = .hf) throws {
        self.model = model
        self.text = text
        self.pair = pair
        self.padTo = padTo
        self.semantics = semantics
        let encoding = try model.encode(text, pair: pair, padTo: padTo)
        prepared = try model.prepare(encoding)
        mask = encoding.defaultMask
    }

    public var encoding: Encoding { prepared.encoding }
    public var tokens: [String] { prepared.encoding.tokens }

    /// Replaces the text (and pair); the mask resets. On error nothing changes.
    public mutating func setText(_ newText: String, pair newPair: String? = nil) throws {
        let encoding = try model.encode(newText, pair: newPair, padTo: padTo)
        prepared = try model.prepare(encoding)
        text = newText
        pair = newPair
        mask = encoding.defaultMask
    }

    /// Replaces the whole mask; it must have one finite value per token, valid under the
    /// current semantics.
    public mutating func setMask(_ newMask: [Float]) throws {
        guard newMask.count == tokens.count else {
            throw ExplorerError.maskLength(values: newMask.count, tokens: tokens.count)
        }
        for (position, value) in newMask.enumerated() {
            if let problem = semantics.validate(value) {
                throw ExplorerError.invalidValue(position: position, token: tokens[position], reason: problem)
            }
        }
        mask = newMask
    }

    /// Sets one position's mask value.
    public mutating func setMask(at position: Int, to value: Float) throws {
        guard mask.indices.contains(position) else {
            throw ExplorerError.positionOutOfRange(position: position, count: mask.count)
        }
        var newMask = mask
        newMask[position] = value
        try setMask(newMask)
    }

    /// Applies a textual mask SPEC on top of the current mask.
    public mutating func apply(_ spec: MaskSpec) throws {
        try setMask(try spec.apply(to: mask, tokens: tokens))
    }

    /// The logit bias the current mask gives under the current semantics.
    public var bias: AttentionBias { AttentionBias(keyMask: mask, semantics: semantics) }

    /// Runs the model on the current state. Returns nil only when `shouldContinue` abandons it.
    public func recompute(shouldContinue: () -> Bool = { true }) -> ForwardResult? {
        model.forward(prepared, bias: bias, shouldContinue: shouldContinue)
    }
}

/// A state the explorer engine refuses.
public enum ExplorerError: Error, CustomStringConvertible, Equatable {
    case maskLength(values: Int, tokens: Int)
    case positionOutOfRange(position: Int, count: Int)
    case invalidValue(position: Int, token: String, reason: String)

    public var description: String {
        switch self {
        case let .maskLength(values, tokens):
            return "the mask has \(values) values but the text has \(tokens) tokens; give one value per token, special tokens included"
        case let .positionOutOfRange(position, count):
            return "position \(position) is out of range; the text has \(count) tokens (0…\(count - 1))"
        case let .invalidValue(position, token, reason):
            return "mask value at position \(position) ('\(token)'): \(reason)"
        }
    }
}
