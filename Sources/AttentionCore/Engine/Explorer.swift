import Tokenizers

/// The engine the explorer drives: one text (or pair) under one model, its tokens, the
/// per-token mask and the semantics, and the attention they produce.
///
/// A value type whose heavy parts (the model and the per-text `PreparedInput`) are shared
/// immutable objects, so a copy can be handed to a background task to recompute while the UI
/// keeps editing its own. Changing the text re-tokenizes, resets the mask and redoes the
/// per-text work; changing the mask or semantics only reruns the layers.
///
/// Besides the per-token mask it holds a query × key `pattern` (causal, window, …) and
/// optional per-cell overrides ("cell mode"). A cell's mask value is
/// `pattern[query][key] × mask[key]`, replaced by the cell's override when it has one (see
/// `MaskPattern.combine`); `bias` is that field through the semantics.
public struct Explorer: Sendable {
    public let model: EncoderModel
    public private(set) var text: String
    public private(set) var pair: String?
    public private(set) var padTo: Int?
    /// Where `padTo`'s padding goes: after the text, or before it as decoder batches are padded.
    public private(set) var padSide: PaddingSide
    public private(set) var prepared: PreparedInput {
        didSet { displayTokens = Self.displayForms(of: prepared.encoding.tokens, model.tokenizer) }
    }
    /// The tokens as a person reads them (`TextTokenizer.displayForm`: byte-level BPE's `Ġfox`
    /// as `␣fox`), made once per text: every frame labels tokens with them, and making them
    /// per label cost the explorer milliseconds per frame on long texts.
    public private(set) var displayTokens: [String]
    /// One mask value per token position, special tokens included.
    public private(set) var mask: [Float]
    public var semantics: MaskSemantics
    /// The query × key pattern combined with `mask`; `.none` leaves the mask as it is.
    public private(set) var pattern: MaskPattern = .none
    /// `pattern`'s values for the current text, `[query][key]`, `L × L`.
    public private(set) var patternValues: [Float]
    /// Cell-mode edits: mask values that replace a cell's combined value, keyed
    /// `query * L + key`. Cleared when the text changes.
    public private(set) var cellOverrides: [Int: Float] = [:]

    /// Tokenizes and prepares `text`; the mask starts at the tokenizer's (1, and 0 for `[PAD]`).
    public init(model: EncoderModel, text: String, pair: String? = nil, padTo: Int? = nil,
                padSide: PaddingSide = .right, semantics: MaskSemantics = .hf) throws {
        self.model = model
        self.text = text
        self.pair = pair
        self.padTo = padTo
        self.padSide = padSide
        self.semantics = semantics
        let encoding = try model.encode(text, pair: pair, padTo: padTo, padSide: padSide)
        prepared = try model.prepare(encoding)
        displayTokens = Self.displayForms(of: encoding.tokens, model.tokenizer)
        mask = encoding.defaultMask
        patternValues = try MaskPattern.none.values(for: encoding, documentSeparator: model.tokenizer.documentSeparator)
    }

    public var encoding: Encoding { prepared.encoding }
    private static func displayForms(of tokens: [String], _ tokenizer: any TextTokenizer) -> [String] {
        tokens.map { tokenizer.displayForm(of: $0) }
    }
    /// How the tokenizer spells the token that ends a packed document for `block` (`[SEP]`,
    /// `<|endoftext|>`), for messages; nil when it has none.
    public var documentSeparatorName: String? { model.tokenizer.documentSeparator?.token }
    public var tokens: [String] { prepared.encoding.tokens }
    /// What each token stands for, when the tokenizer's raw strings differ from it (byte-level
    /// BPE: `Ġjumps` is " jumps"); nil for tokenizers whose tokens are their text.
    public var tokenTexts: [String]? {
        guard let bpe = model.tokenizer as? ByteLevelBPETokenizer else { return nil }
        return tokens.map { bpe.text(of: $0) }
    }

    /// Replaces the text (and pair); the mask resets and cell overrides are cleared. On a
    /// tokenizer or model error nothing changes.
    ///
    /// The pattern is re-applied to the new tokens. When it no longer fits (`padding:K` with
    /// K past the new length, `seed` on a text without "quick"), the text still changes, the
    /// pattern falls back to `.none`, and the pattern's error is returned so the UI can say
    /// why; nil means the pattern was kept.
    @discardableResult
    public mutating func setText(_ newText: String, pair newPair: String? = nil) throws -> MaskPatternError? {
        let encoding = try model.encode(newText, pair: newPair, padTo: padTo, padSide: padSide, padShorterAllowed: true)
        prepared = try model.prepare(encoding)
        text = newText
        pair = newPair
        mask = encoding.defaultMask
        cellOverrides = [:]
        do {
            patternValues = try pattern.values(for: encoding, documentSeparator: model.tokenizer.documentSeparator)
            return nil
        } catch {
            pattern = .none
            patternValues = [Float](repeating: 1, count: encoding.count * encoding.count)
            return error as? MaskPatternError
        }
    }

    /// Sets the query × key pattern for the current text. On error nothing changes.
    /// - Throws: `MaskPatternError` when it does not fit the text.
    public mutating func setPattern(_ newPattern: MaskPattern) throws {
        patternValues = try newPattern.values(for: encoding, documentSeparator: model.tokenizer.documentSeparator)
        pattern = newPattern
    }

    /// Cell mode: gives one query × key cell its own mask value, replacing
    /// `pattern × mask[key]` there. The value must be valid under the current semantics.
    public mutating func setCell(query: Int, key: Int, value: Float) throws {
        let length = tokens.count
        for position in [query, key] where !(0..<length).contains(position) {
            throw ExplorerError.positionOutOfRange(position: position, count: length)
        }
        if let problem = semantics.validate(value) {
            throw ExplorerError.invalidCellValue(query: query, key: key, reason: problem)
        }
        cellOverrides[query * length + key] = value
    }

    /// Removes one cell's override (no-op when it has none).
    public mutating func clearCell(query: Int, key: Int) {
        cellOverrides[query * tokens.count + key] = nil
    }

    /// Removes every cell override.
    public mutating func clearCells() {
        cellOverrides = [:]
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
        try setMask(try spec.apply(to: mask, tokens: tokens, texts: tokenTexts))
    }

    /// Every cell's mask value, `[query][key]`, `L × L`: pattern × per-token mask, with the
    /// cell overrides in place.
    public var cellMask: [Float] {
        MaskPattern.combine(pattern: patternValues, keyMask: mask, semantics: semantics, overrides: cellOverrides)
    }

    /// The mask value of one cell (what `cellMask[query * L + key]` holds), computed alone:
    /// what the detail panel and a cell edit read on every frame or key.
    public func cellMaskValue(query: Int, key: Int) -> Float {
        MaskPattern.cell(query: query, key: key, pattern: patternValues, keyMask: mask, semantics: semantics,
                         overrides: cellOverrides)
    }

    /// The logit bias the current mask, pattern and overrides give under the current semantics,
    /// as the model's family defines it (`MaskSemantics.resolved(for:)`: hf4 on Llama keeps 0.5).
    /// A causal model adds its own causal mask on top in `forward`.
    public var bias: AttentionBias {
        let semantics = semantics.resolved(for: model.description)
        if pattern == .none, cellOverrides.isEmpty { return AttentionBias(keyMask: mask, semantics: semantics) }
        let bias = AttentionBias(cellMask: cellMask, length: tokens.count, semantics: semantics)
        if let widened = widenedPrefix {
            return bias.limitedToEarlierKeys(slidingWindow: model.description.slidingWindow, widenedPrefix: widened)
        }
        return bias
    }

    /// On a causal model, the prefix `prefix:N` opens against the model's own causal mask;
    /// nil when the pattern does not widen it. Window, block and global only narrow it.
    public var widenedPrefix: Int? {
        guard model.description.isCausal, case .prefix(let length) = pattern, length > 1 else { return nil }
        return min(length, tokens.count)
    }

    /// What the UI and the commands must say when the pattern widens the model's own mask.
    public var causalWarning: String? {
        guard let widened = widenedPrefix else { return nil }
        return "warning: prefix:\(widened) widens this decoder's causal mask (tokens 0…\(widened - 1) see later prefix tokens): a what-if the model was never trained on"
    }

    /// Runs the model on the current state. Returns nil only when `shouldContinue` abandons it.
    ///
    /// - Parameters:
    ///   - needs: `.attention` when nothing reads `hidden` (the explorer's maps): a sixth
    ///     faster on a 6-layer model, same maps.
    ///   - earlyLayers: hand over the attention up to the shown layer before the pass ends.
    ///   - previous: an earlier complete result; on a decoder, the rows before the first edited
    ///     one are copied from it when it was made for this text (see `EncoderModel.forward`).
    public func recompute(needs: ForwardNeeds = .attentionAndHidden, earlyLayers: EarlyLayers? = nil,
                          reusing previous: ForwardResult? = nil,
                          shouldContinue: () -> Bool = { true }) -> ForwardResult? {
        model.forward(prepared, bias: bias, needs: needs, earlyLayers: earlyLayers, reusing: previous,
                      shouldContinue: shouldContinue)
    }
}

/// A state the explorer engine refuses.
public enum ExplorerError: Error, CustomStringConvertible, Equatable {
    case maskLength(values: Int, tokens: Int)
    case positionOutOfRange(position: Int, count: Int)
    case invalidValue(position: Int, token: String, reason: String)
    case invalidCellValue(query: Int, key: Int, reason: String)

    public var description: String {
        switch self {
        case let .maskLength(values, tokens):
            return "the mask has \(values) values but the text has \(tokens) tokens; give one value per token, special tokens included"
        case let .positionOutOfRange(position, count):
            return "position \(position) is out of range; the text has \(count) tokens (0…\(count - 1))"
        case let .invalidValue(position, token, reason):
            return "mask value at position \(position) ('\(token)'): \(reason)"
        case let .invalidCellValue(query, key, reason):
            return "mask value of cell query \(query) → key \(key): \(reason)"
        }
    }
}
