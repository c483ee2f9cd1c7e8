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
    /// Whether the model's own causal limit was applied (`limitedToEarlierKeys`): then query
    /// `q` may attend only to keys `allowedKeys(of: q)`.
    public private(set) var isCausal = false
    /// With `isCausal`, the model's sliding window (Mistral): query `q` sees keys
    /// `q − window + 1 … q`; nil for an unlimited causal model.
    public private(set) var slidingWindow: Int?
    /// With `isCausal`, a prefix the user's `prefix:N` pattern opened as a what-if: queries
    /// `q < N` also see the keys `q < k < N`, which the model's causal mask would hide.
    public private(set) var widenedPrefix = 0

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

    /// This bias with every key after its query (or, with a sliding window, too far before
    /// it) removed: what a causal model's attention sees, whatever the mask says.
    ///
    /// Removed cells get float32's lowest value, as transformers' eager attention gives them
    /// (its boolean causal-and-padding mask becomes 0 / lowest); a cell the mask already set to
    /// −∞ (`soft` at 0) stays −∞, as adding lowest to −∞ does in transformers' 4-D additive
    /// mask. So a query whose every allowed key is masked gets what transformers gives it:
    /// under `hf`/`hf4` every cell of its row is lowest and the softmax is uniform over all
    /// positions, future ones included.
    ///
    /// - Parameter widenedPrefix: a prefix whose tokens see each other anyway (`prefix:N` as a what-if).
    public func limitedToEarlierKeys(slidingWindow: Int? = nil, widenedPrefix: Int = 0) -> AttentionBias {
        var limited = values
        let lowest = -Float.greatestFiniteMagnitude
        for query in 0..<length {
            let allowed = Self.allowedKeys(of: query, length: length, slidingWindow: slidingWindow, widenedPrefix: widenedPrefix)
            for key in 0..<length where !allowed.contains(key) {
                let index = query * length + key
                if limited[index] != -.infinity { limited[index] = lowest }
            }
        }
        var result = AttentionBias(length: length, values: limited)
        result.isCausal = true
        result.slidingWindow = slidingWindow
        result.widenedPrefix = widenedPrefix
        return result
    }

    static func allowedKeys(of query: Int, length: Int, slidingWindow: Int?, widenedPrefix: Int = 0) -> ClosedRange<Int> {
        if query < widenedPrefix { return 0...min(length, widenedPrefix) - 1 }
        let first = slidingWindow.map { max(0, query - $0 + 1) } ?? 0
        return first...query
    }

    /// The keys query `q` may attend to under the model's own limit: all of them for an
    /// encoder, `0...q` (or the sliding window) for a causal model.
    public func allowedKeys(of query: Int) -> Range<Int> {
        guard isCausal else { return 0..<length }
        let keys = Self.allowedKeys(of: query, length: length, slidingWindow: slidingWindow, widenedPrefix: widenedPrefix)
        return keys.lowerBound..<(keys.upperBound + 1)
    }

    /// Queries whose every allowed key is masked (bias float32-lowest or −∞). Their weights
    /// say nothing about the text: transformers makes such a row uniform over every position,
    /// future ones included, under `hf`/`hf4` (reproduced here), so the UI and JSON flag them.
    public var queriesWithEveryAllowedKeyMasked: [Int] {
        let lowest = -Float.greatestFiniteMagnitude
        return (0..<length).filter { q in
            allowedKeys(of: q).allSatisfy { values[q * length + $0] <= lowest }
        }
    }

    /// Queries whose every key has bias −∞ (possible under `soft` and `bias`): softmax
    /// has no value there, so their rows are zeros and the UI flags them.
    public var queriesWithNoKeys: [Int] {
        (0..<length).filter { q in
            (0..<length).allSatisfy { values[q * length + $0] == -.infinity }
        }
    }
}
