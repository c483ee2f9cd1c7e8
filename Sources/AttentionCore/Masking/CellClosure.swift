import Foundation

/// Why the mask forces a query × key cell's weight to 0 (or scales it down): what the
/// detail panel tells a student and what the map's marker stands for.
public enum MaskedCellReason: String, CaseIterable, Sendable, Codable {
    /// The key's per-token mask value, read under the current semantics.
    case keyMask
    /// The query × key pattern (causal, window, block, …) closes the cell.
    case pattern
    /// A cell-mode edit gave this one cell its own value.
    case cellEdit
    /// The key is padding: a `[PAD]` the tokenizer added (mask 0), or a `padding:K` pattern.
    case padding
    /// The model's own causal mask (decoders): a query never sees a later key.
    case modelCausal

    /// A few words for the detail panel, e.g. "closed by the key mask".
    public var phrase: String {
        switch self {
        case .keyMask: return "key mask"
        case .pattern: return "pattern"
        case .cellEdit: return "cell edit"
        case .padding: return "padding"
        case .modelCausal: return "model's causal mask"
        }
    }
}

/// What the mask does to one query × key cell, before any weight is computed.
public enum CellClosure: Equatable, Sendable {
    /// The mask leaves the cell as the model computes it (or raises it: `soft` above 1).
    case open
    /// The cell keeps only a share of its unnormalised weight (`soft` 0 < m < 1: share m;
    /// `bias` below 0: share e^bias), before the row is renormalised.
    case partial(kept: Float, reason: MaskedCellReason)
    /// The mask forces the cell's weight to 0 (unless every key of the row is closed, when
    /// transformers' finite bias spreads the row evenly; see `CellClosureMap.rowIsFullyClosed`).
    case closed(MaskedCellReason)

    public var isClosed: Bool { if case .closed = self { return true } else { return false } }
    public var isPartial: Bool { if case .partial = self { return true } else { return false } }
    /// The cause, nil when open.
    public var reason: MaskedCellReason? {
        switch self {
        case .open: return nil
        case .partial(_, let reason), .closed(let reason): return reason
        }
    }
    /// The share of the unnormalised weight the mask keeps: 1 open, 0 closed.
    public var keptShare: Float {
        switch self {
        case .open: return 1
        case .partial(let kept, _): return kept
        case .closed: return 0
        }
    }

    /// One line for a detail panel: "open", "closed by the pattern: weight forced to 0",
    /// "kept 50% (key mask): weight ×0.5 before renormalising".
    public var explanation: String {
        switch self {
        case .open: return "open"
        case .closed(let reason): return "closed by the \(reason.phrase): weight forced to 0"
        case let .partial(kept, reason):
            return "kept \(MaskValueFormat.short((kept * 1000).rounded() / 10))% (\(reason.phrase)): weight ×\(MaskValueFormat.short(kept)) before renormalising"
        }
    }
}

/// How one key column fares over all queries: what the mask row and column labels show.
public struct KeyColumnClosure: Equatable, Sendable {
    /// Queries whose cell in this column is closed.
    public let closedQueries: Int
    /// Queries whose cell in this column is only partly kept.
    public let partialQueries: Int
    /// Number of queries (rows) that may see this key: all of them for an encoder; on a decoder,
    /// those the model's own causal mask leaves it open to.
    public let queryCount: Int
    /// The reason of the first closed (else partial) cell, nil when the column is open.
    public let reason: MaskedCellReason?
    /// The smallest kept share among the partial cells (1 when none).
    public let smallestKeptShare: Float

    /// Every query's cell in the column is closed.
    public var closedForAll: Bool { queryCount > 0 && closedQueries == queryCount }
    /// No cell of the column is closed or partial.
    public var isOpen: Bool { closedQueries == 0 && partialQueries == 0 }
}

/// Answers "is this cell closed, and why?" for every query × key cell of one explorer state
/// in O(1) per cell, from the parts the mask is made of (per-key values, pattern values, cell
/// edits) instead of a recomputed `L × L` mask. Build one per frame; lookups are cheap.
///
/// The cell value follows `MaskPattern.combine` exactly: `pattern × keyMask[key]`, a closed
/// pattern cell under `bias` semantics is float32's lowest, and a cell edit replaces the
/// whole value. The semantics' `keyState` then says masked, partial, kept or boosted.
public struct CellClosureMap: Sendable {
    /// Number of token positions `L`.
    public let length: Int
    public let semantics: MaskSemantics
    /// One mask value per key position.
    public let keyMask: [Float]
    /// The pattern's values, `[query][key]`, `L × L`; empty means every cell 1.
    let patternValues: [Float]
    /// Keys `>= paddingPatternStart` are closed by a `padding:K` pattern (reason `padding`).
    let paddingPatternStart: Int
    /// True for `[PAD]` positions the tokenizer added.
    let isPadding: [Bool]
    /// Cell edits, keyed `query * L + key`.
    let cellEdits: [Int: Float]
    /// The model is a decoder with its own causal mask.
    public let modelIsCausal: Bool
    /// A causal model's own sliding window (Mistral), in keys; nil for none.
    public let modelWindow: Int?
    /// Queries below this see the whole prefix (`prefix:N` widening a causal model's mask).
    let widenedPrefix: Int

    /// - Parameters:
    ///   - keyMask: `L` per-token values.
    ///   - patternValues: `L × L` from `MaskPattern.values(for:)`, or empty for no pattern.
    ///   - pattern: names the pattern so `padding:K` reads as padding.
    ///   - cellEdits: cell-mode values keyed `query * L + key`.
    ///   - isPadding: `L` flags, `[PAD]` positions; empty means none.
    public init(keyMask: [Float], semantics: MaskSemantics, patternValues: [Float] = [],
                pattern: MaskPattern = .none, cellEdits: [Int: Float] = [:], isPadding: [Bool] = [],
                modelIsCausal: Bool = false, modelWindow: Int? = nil, widenedPrefix: Int = 0) {
        let length = keyMask.count
        self.length = length
        self.semantics = semantics
        self.keyMask = keyMask
        self.patternValues = patternValues.count == length * length ? patternValues : []
        if case .padding(let count) = pattern { paddingPatternStart = length - count } else { paddingPatternStart = Int.max }
        self.cellEdits = cellEdits
        self.isPadding = isPadding.count == length ? isPadding : [Bool](repeating: false, count: length)
        self.modelIsCausal = modelIsCausal
        self.modelWindow = modelWindow
        self.widenedPrefix = widenedPrefix
    }

    /// The closure map of an explorer's current mask, pattern and cell edits, with the model's
    /// own causal mask (and sliding window) and the semantics as the model's family reads it
    /// (`hf4` on a Llama keeps 0.5 like 1).
    public init(explorer: Explorer) {
        let description = explorer.model.description
        self.init(keyMask: explorer.mask, semantics: explorer.semantics.resolved(for: description),
                  patternValues: explorer.pattern == .none ? [] : explorer.patternValues,
                  pattern: explorer.pattern, cellEdits: explorer.cellOverrides,
                  isPadding: explorer.encoding.isPadding, modelIsCausal: description.isCausal,
                  modelWindow: description.slidingWindow, widenedPrefix: explorer.widenedPrefix ?? 0)
    }

    /// What the mask does to cell (query, key). Positions outside `0..<L` are open.
    public func closure(query: Int, key: Int) -> CellClosure {
        guard (0..<length).contains(query), (0..<length).contains(key) else { return .open }
        if modelIsCausal,
           !AttentionBias.allowedKeys(of: query, length: length, slidingWindow: modelWindow, widenedPrefix: widenedPrefix).contains(key) {
            return .closed(.modelCausal)
        }
        let index = query * length + key
        if let edit = cellEdits[index] {
            return closure(of: edit, reason: .cellEdit)
        }
        let open: Float = patternValues.isEmpty ? 1 : patternValues[index]
        let patternReason: MaskedCellReason = key >= paddingPatternStart ? .padding : .pattern
        if semantics == .bias, open == 0 { return .closed(patternReason) }
        let value = open * keyMask[key]
        let combined = closure(of: value, reason: .keyMask)
        guard combined != .open else { return .open }
        // Name the factor that does it: the pattern's own value, else the key's.
        let keyReason: MaskedCellReason = isPadding[key] && keyMask[key] == 0 ? .padding : .keyMask
        let keyFactor = semantics.keyState(for: keyMask[key])
        let patternFactor = semantics.keyState(for: open)
        let reason: MaskedCellReason
        switch (patternFactor, keyFactor) {
        case (.masked, _): reason = patternReason
        case (_, .masked): reason = keyReason
        case (.partial, _): reason = patternReason
        case (_, .partial): reason = keyReason
        default: reason = open < semantics.neutralValue ? patternReason : keyReason
        }
        switch combined {
        case .closed: return .closed(reason)
        case .partial(let kept, _): return .partial(kept: kept, reason: reason)
        case .open: return .open
        }
    }

    /// A cell value under the semantics, with the given reason when it closes or weakens.
    private func closure(of value: Float, reason: MaskedCellReason) -> CellClosure {
        switch semantics.keyState(for: value) {
        case .kept, .boosted: return .open
        case .masked: return .closed(reason)
        case .partial:
            let kept: Float = semantics == .bias ? Foundation.exp(value) : value
            return .partial(kept: kept, reason: reason)
        }
    }

    /// How key column `key` fares over every query: O(L).
    public func column(_ key: Int) -> KeyColumnClosure {
        var closed = 0, partial = 0
        var closedReason: MaskedCellReason?, partialReason: MaskedCellReason?
        var smallest: Float = 1
        var queries = 0
        for query in 0..<length {
            switch closure(query: query, key: key) {
            case .open: queries += 1
            // The model's own causal mask is not the user's: a decoder's column counts only
            // the queries that may see the key, so its label says what the mask did.
            case .closed(.modelCausal): break
            case .closed(let reason):
                queries += 1
                closed += 1
                if closedReason == nil { closedReason = reason }
            case let .partial(kept, reason):
                queries += 1
                partial += 1
                smallest = min(smallest, kept)
                if partialReason == nil { partialReason = reason }
            }
        }
        return KeyColumnClosure(closedQueries: closed, partialQueries: partial, queryCount: queries,
                                reason: closedReason ?? partialReason, smallestKeptShare: smallest)
    }

    /// Every key of row `query` is closed. Under `hf`/`hf4` the closing bias is finite, so
    /// softmax then spreads the row evenly (as transformers does) instead of giving zeros;
    /// under `soft` the row has no weights at all. O(L).
    public func rowIsFullyClosed(query: Int) -> Bool {
        guard length > 0 else { return false }
        return (0..<length).allSatisfy { closure(query: query, key: $0).isClosed }
    }
}
