/// A hint to the CPU to start loading a 64-byte line into its caches: `prefetcht0` on x86,
/// `prfm pldl1keep` on ARM, nothing where the target has no such instruction. Declared as the
/// target-independent LLVM intrinsic `llvm.prefetch`, since Swift has no prefetch of its own; it
/// neither faults nor changes any value, so it cannot alter results.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

enum CachePrefetch {
    /// Prefetches every line of `address ..< address + byteCount` for reading, into all levels.
    @inline(__always)
    static func read(_ address: UnsafeRawPointer, byteCount: Int) {
        forEachLine(of: address, byteCount: byteCount) { llvmPrefetch($0, 0, 3, 1) }
    }

    /// As `read`, into L2 and the levels beyond it but not L1 (`prefetcht1`): for data wanted a
    /// little later, which should not evict what the L1 holds for the work at hand.
    @inline(__always)
    static func readIntoL2(_ address: UnsafeRawPointer, byteCount: Int) {
        forEachLine(of: address, byteCount: byteCount) { llvmPrefetch($0, 0, 2, 1) }
    }

    /// Calls `body` with one address in every 64-byte line of the range. The locality of
    /// `llvm.prefetch` must be a literal, so each caller passes its own call.
    @inline(__always)
    private static func forEachLine(of address: UnsafeRawPointer, byteCount: Int, _ body: (UnsafeRawPointer) -> Void) {
        guard byteCount > 0 else { return }
        var offset = 0
        while offset < byteCount {
            body(address + offset)
            offset &+= 64
        }
        body(address + (byteCount &- 1))
    }
}
