/// A little-endian float32 tensor read in place from a mapped checkpoint: no copy and no fresh
/// memory, only the file's pages from the page cache.
///
/// Loading MiniLM used to copy its 42.5 MB of layer matrices into arrays only to pack them and
/// free them again; on these guests a fresh page costs more to fault in and zero than the copy
/// itself, so that was about a fifth of the time to the first attention map. Holding a value
/// keeps the mapping alive.
public struct MappedFloats: @unchecked Sendable {
    // Sendable: the mapping is read-only for its whole life and `owner` keeps it mapped.
    private let owner: AnyObject
    /// `count` floats, 4-byte aligned, inside the mapping.
    public let base: UnsafePointer<Float>
    public let count: Int

    init(owner: AnyObject, base: UnsafePointer<Float>, count: Int) {
        self.owner = owner
        self.base = base
        self.count = count
    }

    public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: base, count: count) }

    /// The values as an array (a copy), for code that needs one.
    public func array() -> [Float] { Array(buffer) }
}

extension TensorSource {
    /// Sources that are not mapped float32 files never offer their tensors in place.
    public func mappedFloats(_ name: String) -> MappedFloats? { nil }
}
