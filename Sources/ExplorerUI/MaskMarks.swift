import AttentionCore

/// What the mask does to each query × key cell under one semantics: kept, kept partly,
/// closed (weight forced to 0) or boosted. The views draw `closed` and `partial` as their own
/// marks, never as a color of the weight scale, so a closed cell cannot pass for a small weight.
///
/// Read from the engine's combined cell mask (key mask × pattern, cell edits in place, `[PAD]`
/// at 0 from the tokenizer), so every reason a cell can be closed is covered.
struct MaskMarks: Sendable {
    let length: Int
    let semantics: MaskSemantics
    /// `[query * length + key]`.
    let states: [KeyMaskState]

    /// The marks of `explorer`'s mask read under `semantics` (its own by default).
    init(_ explorer: Explorer, semantics: MaskSemantics? = nil) {
        var engine = explorer
        if let semantics { engine.semantics = semantics }
        length = engine.tokens.count
        self.semantics = engine.semantics
        let cells = engine.cellMask
        states = cells.map { engine.semantics.keyState(for: $0) }
    }

    func state(query: Int, key: Int) -> KeyMaskState { states[query * length + key] }
    func isClosed(query: Int, key: Int) -> Bool { state(query: query, key: key) == .masked }
    func isPartial(query: Int, key: Int) -> Bool { state(query: query, key: key) == .partial }

    /// A key column's state over every query: masked when every cell of it is closed, partial
    /// when some cell is weakened or closed, else kept (or boosted when any cell is).
    func columnState(_ key: Int) -> KeyMaskState {
        var closed = 0, partial = 0, boosted = 0
        for query in 0..<length {
            switch states[query * length + key] {
            case .masked: closed += 1
            case .partial: partial += 1
            case .boosted: boosted += 1
            case .kept: break
            }
        }
        if closed == length { return .masked }
        if closed + partial > 0 { return .partial }
        return boosted > 0 ? .boosted : .kept
    }
}
