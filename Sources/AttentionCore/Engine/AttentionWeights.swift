/// The flat `[layer][head][query][key]` floats of `AttentionMaps`, read like an array.
///
/// Backed by a recycled `ResultBuffer` rather than an `Array`, so a recompute reuses the
/// memory of a result nobody holds any more instead of mapping fresh pages. Immutable once
/// made; copies share the memory.
public struct AttentionWeights: RandomAccessCollection, Equatable, Sendable {
    let storage: ResultBuffer

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> Float {
        precondition(position >= 0 && position < storage.count, "AttentionWeights: index \(position) out of 0..<\(storage.count)")
        return storage.base[position]
    }

    /// Calls `body` with the floats in place, without copying them.
    public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Float>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(storage) { try body(storage.buffer) }
    }

    /// Element-wise, like `Array`'s `==`: copies sharing their memory are equal at once, other
    /// pairs compare float by float (where a NaN differs from itself).
    public static func == (lhs: AttentionWeights, rhs: AttentionWeights) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.storage === rhs.storage { return true }
        return lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in left.elementsEqual(right) }
        }
    }
}
