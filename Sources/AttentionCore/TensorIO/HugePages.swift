#if canImport(Glibc)
import Glibc
#endif

/// Asks Linux to back a fresh, not yet touched buffer with 2 MiB pages where it can.
///
/// Loading copies a checkpoint's weights into new memory (MiniLM: 90 MB as floats, then 45 MB
/// of packed panels). With 4 KiB pages that is ~33,000 page faults, each zeroing its page in the
/// kernel: about a third of a cold start to the first attention map. With transparent huge
/// pages in `madvise` mode (Debian's default) the same memory takes a few dozen faults. Where
/// the kernel or the platform does not offer it, this does nothing, and nothing else changes.
enum HugePages {
    static let size = 2 << 20

    /// Advises the 2 MiB-aligned interior of `byteCount` bytes at `start`; buffers under 4 MiB
    /// are left alone (at most one huge page would fit, and malloc may reuse small ones).
    static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= 2 * size else { return }
        let address = UInt(bitPattern: start)
        let first = (address + UInt(size) - 1) & ~UInt(size - 1)
        let end = (address + UInt(byteCount)) & ~UInt(size - 1)
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, Int(end - first), MADV_HUGEPAGE)
        #endif
    }
}
