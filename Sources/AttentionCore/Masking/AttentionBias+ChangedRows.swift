#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AttentionBias {
    /// The first query whose attention this causal bias can make different from `other`'s
    /// (the same model's causal limit, the same length), or `length` when none can.
    ///
    /// A row counts as the same when it is bit for bit the same, or when both rows leave some
    /// allowed key open and agree bit for bit on every allowed key. The keys outside a row's
    /// allowed range carry float32's lowest value, or −∞ where the mask itself gave −∞ (`soft`
    /// at 0), and either way weigh exactly 0 once the row has an open key; so masking a later
    /// token under `soft` leaves the earlier rows alone. A row with no open key is the
    /// exception: transformers makes it uniform over every key whose bias is the row's largest,
    /// future ones included, so there every value counts.
    func firstChangedQuery(comparedWith other: AttentionBias) -> Int {
        guard isCausal, other.isCausal, length == other.length, values.count == other.values.count,
              slidingWindow == other.slidingWindow, widenedPrefix == other.widenedPrefix else { return 0 }
        return values.withUnsafeBufferPointer { new in
            other.values.withUnsafeBufferPointer { old in
                guard let new = new.baseAddress, let old = old.baseAddress else { return 0 }
                let rowBytes = length * MemoryLayout<Float>.stride
                for query in 0..<length {
                    let newRow = new + query * length, oldRow = old + query * length
                    if memcmp(newRow, oldRow, rowBytes) == 0 { continue }
                    let allowed = Self.allowedKeys(of: query, length: length, slidingWindow: slidingWindow,
                                                   widenedPrefix: widenedPrefix)
                    let start = allowed.lowerBound, count = allowed.count
                    guard memcmp(newRow + start, oldRow + start, count * MemoryLayout<Float>.stride) == 0,
                          GroupedAttention.hasOpenKey(newRow + start, count: count) else { return query }
                    // Equal on the allowed keys, so the old row has the same open key.
                }
                return length
            }
        }
    }
}
