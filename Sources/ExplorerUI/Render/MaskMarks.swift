import AttentionCore

/// What the mask does to each query × key cell under one semantics, as the views mark it:
/// `CellClosureMap` (mask-tui's model of why a cell is closed) read as kept, partial, closed or
/// boosted. The views draw closed and partial cells with marks of their own, never a color of
/// the weight scale, so a closed cell cannot pass for a small weight.
struct MaskMarks: Sendable {
    let closures: CellClosureMap
    /// The model's own limit alone (a decoder's causal mask, its sliding window), apart from
    /// the user's mask: pictures hatch these cells the other way, as the explorer does. Nil for
    /// an encoder.
    let modelLimit: CellClosureMap?

    /// The marks of `explorer`'s mask read under `semantics` (its own by default): key mask,
    /// pattern, cell edits and `[PAD]`.
    init(_ explorer: Explorer, semantics: MaskSemantics? = nil) {
        closures = CellClosureMap(keyMask: explorer.mask, semantics: semantics ?? explorer.semantics,
                                  patternValues: explorer.pattern == .none ? [] : explorer.patternValues,
                                  pattern: explorer.pattern, cellEdits: explorer.cellOverrides,
                                  isPadding: explorer.encoding.isPadding)
        let description = explorer.model.description
        modelLimit = description.isCausal
            ? CellClosureMap(keyMask: [Float](repeating: 1, count: explorer.tokens.count), semantics: .hf, modelIsCausal: true,
                             modelWindow: description.slidingWindow, widenedPrefix: explorer.widenedPrefix ?? 0)
            : nil
    }

    /// Whether the model's own causal mask (or sliding window) closes the cell, whatever the user's mask.
    func isModelClosed(query: Int, key: Int) -> Bool {
        modelLimit?.closure(query: query, key: key) == .closed(.modelCausal)
    }

    var length: Int { closures.length }
    var semantics: MaskSemantics { closures.semantics }

    func closure(query: Int, key: Int) -> CellClosure { closures.closure(query: query, key: key) }

    func state(query: Int, key: Int) -> KeyMaskState {
        switch closure(query: query, key: key) {
        case .open: return .kept
        case .partial: return .partial
        case .closed: return .masked
        }
    }
    func isClosed(query: Int, key: Int) -> Bool { closure(query: query, key: key).isClosed }
    func isPartial(query: Int, key: Int) -> Bool { closure(query: query, key: key).isPartial }

    /// A key column's state over every query: masked when every cell of it is closed, partial
    /// when some cell is weakened or closed, else kept.
    func columnState(_ key: Int) -> KeyMaskState {
        let column = closures.column(key)
        if column.closedForAll { return .masked }
        return column.isOpen ? .kept : .partial
    }
}
