/// The additive bias on every query × key logit for one forward pass, `[query][key]`
/// row-major, made from mask values through a `MaskSemantics`.
///
/// Per-token masks act on keys (columns), as in transformers: a masked token keeps its
/// own query row. A 2-D cell mask (patterns such as causal) is the general form.
public struct AttentionBias: Equatable, Sendable {
    /// Number of token positions `L`; `values` has `L × L` entries.
    public let length: Int
    /// Bias added to `q·k/√d`, indexed `query * length + key`.
    public let values: [Float]

    /// Broadcasts one mask value per key to every query row.
    /// - Parameter keyMask: one value per token position (special tokens included).
    public init(keyMask: [Float], semantics: MaskSemantics) {
        let keyBias = keyMask.map(semantics.bias(for:))
        length = keyMask.count
        var values = [Float]()
        values.reserveCapacity(length * length)
        for _ in 0..<length { values += keyBias }
        self.values = values
    }

    /// A full query × key field of mask values, `[query][key]` row-major.
    public init(cellMask: [Float], length: Int, semantics: MaskSemantics) {
        precondition(cellMask.count == length * length, "AttentionBias: \(cellMask.count) cells for length \(length)")
        self.length = length
        values = cellMask.map(semantics.bias(for:))
    }

    /// Values already biases, `[query][key]` row-major.
    init(length: Int, values: [Float]) {
        precondition(values.count == length * length, "AttentionBias: \(values.count) values for length \(length)")
        self.length = length
        self.values = values
    }

    /// This bias with every key after its query at −∞: what a causal model's attention sees,
    /// whatever the mask says.
    public func limitedToEarlierKeys() -> AttentionBias {
        var limited = values
        for query in 0..<length {
            for key in (query + 1)..<max(query + 1, length) { limited[query * length + key] = -.infinity }
        }
        return AttentionBias(length: length, values: limited)
    }

    /// Queries whose every key has bias −∞ (possible under `soft` and `bias`): softmax
    /// has no value there, so their rows are zeros and the UI flags them.
    public var queriesWithNoKeys: [Int] {
        (0..<length).filter { q in
            (0..<length).allSatisfy { values[q * length + $0] == -.infinity }
        }
    }
}
