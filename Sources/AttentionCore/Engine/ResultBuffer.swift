#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Float memory for the large results every recompute makes (the attention maps, the kept
/// queries and keys): 80 MB at 512 MiniLM tokens.
///
/// Fresh memory of that size comes from `mmap` each time, and the kernel zeroes every page of
/// it on first touch: about a tenth of a 512-token recompute. A buffer whose last user lets
/// go is instead kept by `ResultBufferRecycler` and handed to the next pass of the same size,
/// already mapped. Its contents are stale: whoever takes one fills all `count` floats before
/// anyone reads them.
final class ResultBuffer: @unchecked Sendable {
    // Sendable: written only by the pass that took it, before the result is published.
    let base: UnsafeMutablePointer<Float>
    /// Floats in use.
    let count: Int
    /// Floats allocated, `≥ count`.
    let capacity: Int
    private let recycler: ResultBufferRecycler?

    fileprivate init(base: UnsafeMutablePointer<Float>, count: Int, capacity: Int, recycler: ResultBufferRecycler?) {
        self.base = base
        self.count = count
        self.capacity = capacity
        self.recycler = recycler
    }

    /// A buffer of `count` floats with unspecified contents, from `recycler` when it holds one
    /// that fits. When none does, `spares` more of that size (nil: the recycler's own count)
    /// are made ready in the background for the passes to come (see `prepareWarmSpares`).
    static func uninitialized(count: Int, recycler: ResultBufferRecycler? = .shared, spares: Int? = nil) -> ResultBuffer {
        if let recycler, let (base, capacity) = recycler.take(count: count) {
            return ResultBuffer(base: base, count: count, capacity: capacity, recycler: recycler)
        }
        let capacity = max(16, count)
        let base = ResultMemory.allocate(floats: capacity)
        adviseHugePages(base, count: capacity)
        recycler?.prepareWarmSpares(capacity: capacity, count: spares)
        return ResultBuffer(base: base, count: count, capacity: capacity, recycler: recycler)
    }

    deinit {
        if let recycler, recycler.keep(base, capacity: capacity) { return }
        ResultMemory.free(base, floats: capacity)
    }

    var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: base, count: count) }
}

/// Idle `ResultBuffer` memory of the process, kept for the next pass of the same size.
///
/// Holds at most `limitBytes`; a buffer is reused only for a request at least half its size,
/// and a request nothing fits frees every idle buffer, since the text's length has changed and
/// those sizes will not come back soon. So each recycler serves one kind of buffer, whose size
/// changes only with the text: `shared` the attention maps (one buffer per layer),
/// `keptProjections` the queries, keys and values a result keeps.
final class ResultBufferRecycler: Sendable {
    /// Attention maps, one buffer per layer: two 512-token MiniLM results.
    static let shared = ResultBufferRecycler(limitBytes: 192 << 20, warmSpares: 2)
    /// Kept projections: a pass's own and its early result's copy.
    static let keptProjections = ResultBufferRecycler(limitBytes: 96 << 20, warmSpares: 2)

    /// One idle allocation. `@unchecked Sendable`: the memory is owned by whoever holds the
    /// entry (the recycler's lists, or the buffer it was handed to), never by two at once.
    fileprivate struct Idle: @unchecked Sendable {
        let base: UnsafeMutablePointer<Float>
        let capacity: Int
    }

    /// Pre-faulted spares, apart from `idle`, and the size they were made for.
    private struct Warm: Sendable {
        var spares: [Idle] = []
        /// The size of the latest text's buffers; spares of another size are freed.
        var size: Int?
    }

    private let idle = Mutex<[Idle]>([])
    private let warm = Mutex(Warm())
    private let limitFloats: Int
    /// Spares made per new size when the request does not say (see `prepareWarmSpares`); 0
    /// makes none, whatever the request says.
    private let warmSpares: Int
    /// Spares totalling fewer floats (1 MiB) fault in too fast to be worth making.
    static let warmSpareMinimum = 1 << 18

    init(limitBytes: Int, warmSpares: Int = 0) {
        limitFloats = limitBytes / MemoryLayout<Float>.stride
        self.warmSpares = warmSpares
    }

    /// After a pass had to map fresh memory of `capacity` floats (a new text length), makes
    /// `count` (nil: `warmSpares`) buffers of that size in the background with every page
    /// already touched, as many as the limit holds. The first mask edit then finds memory for
    /// its result (every layer's maps; its kept projections and their early copy) faulted in,
    /// and costs no more than the later ones; it used to pay ~20,000 first-touch page faults
    /// (and the kernel's zeroing) at 500 tokens, several times a later edit's time.
    func prepareWarmSpares(capacity: Int, count wanted: Int? = nil) {
        guard warmSpares > 0, capacity > 0 else { return }
        let stale: [Idle]? = warm.withLock { warm in
            guard warm.size != capacity else { return nil }
            warm.size = capacity
            defer { warm.spares.removeAll() }
            return warm.spares
        }
        guard let stale else { return }
        for entry in stale { ResultMemory.free(entry.base, floats: entry.capacity) }
        // Spares and idle buffers share the limit.
        let room = max(0, limitFloats - idleBufferFloats)
        let count = min(wanted ?? warmSpares, room / capacity)
        guard count > 0, capacity * count >= Self.warmSpareMinimum else { return }
        DispatchQueue.global(qos: .utility).async { [self] in
            for _ in 0..<count {
                let base = ResultMemory.allocate(floats: capacity)
                adviseHugePages(base, count: capacity)
                var index = 0
                while index < capacity {
                    base[index] = 0
                    index += 1024  // one write per 4 KiB page
                }
                let entry = Idle(base: base, capacity: capacity)
                let wanted = warm.withLock { warm in
                    guard warm.size == capacity else { return false }
                    warm.spares.append(entry)
                    return true
                }
                if !wanted { ResultMemory.free(base, floats: capacity) }
            }
        }
    }

    deinit {
        idle.withLock { idle in
            for entry in idle { ResultMemory.free(entry.base, floats: entry.capacity) }
        }
        warm.withLock { warm in
            for entry in warm.spares { ResultMemory.free(entry.base, floats: entry.capacity) }
        }
    }

    /// Floats held idle now, spares included.
    var idleFloats: Int { idleBufferFloats + spareFloats }
    /// Floats in released buffers waiting for a `take`.
    private var idleBufferFloats: Int { idle.withLock { Self.floats(in: $0) } }
    /// Floats in pre-faulted spares.
    private var spareFloats: Int { warm.withLock { Self.floats(in: $0.spares) } }

    private static func floats(in entries: [Idle]) -> Int { entries.reduce(0) { $0 + $1.capacity } }

    /// A spare or the smallest idle buffer of `count...2·count` floats, or nil.
    fileprivate func take(count: Int) -> (UnsafeMutablePointer<Float>, Int)? {
        let fits = { (capacity: Int) in capacity >= count && capacity <= 2 * max(16, count) }
        let spare: Idle? = warm.withLock { warm in
            guard let index = warm.spares.firstIndex(where: { fits($0.capacity) }) else { return nil }
            return warm.spares.remove(at: index)
        }
        if let spare { return (spare.base, spare.capacity) }
        let (taken, stale): (Idle?, [Idle]) = idle.withLock { idle in
            var best: Int?
            for index in idle.indices where fits(idle[index].capacity) {
                if let current = best, idle[current].capacity <= idle[index].capacity { continue }
                best = index
            }
            if let best { return (idle.remove(at: best), []) }
            let stale = idle
            idle.removeAll(keepingCapacity: true)
            return (nil, stale)
        }
        for entry in stale { ResultMemory.free(entry.base, floats: entry.capacity) }
        return taken.map { ($0.base, $0.capacity) }
    }

    /// Keeps `base` for a later `take`, evicting the oldest idle buffers to stay within the
    /// limit, which idle buffers share with the spares; false when it cannot fit (the caller
    /// frees it).
    fileprivate func keep(_ base: UnsafeMutablePointer<Float>, capacity: Int) -> Bool {
        let spareFloats = spareFloats
        guard spareFloats + capacity <= limitFloats else { return false }
        let limitFloats = limitFloats - spareFloats
        let entry = Idle(base: base, capacity: capacity)
        let evicted: [Idle] = idle.withLock { idle in
            var evicted: [Idle] = []
            var held = Self.floats(in: idle)
            while held + capacity > limitFloats, !idle.isEmpty {
                let oldest = idle.removeFirst()
                held -= oldest.capacity
                evicted.append(oldest)
            }
            idle.append(entry)
            return evicted
        }
        for entry in evicted { ResultMemory.free(entry.base, floats: entry.capacity) }
        return true
    }
}

/// Asks Linux to back a large fresh buffer with 2 MiB pages before it is first written: with
/// 4 KiB pages the ~20,000 page faults of a 512-token pass's first use of its result memory
/// cost several milliseconds. Only the whole 2 MiB pages inside the buffer are advised; a
/// refusal (THP off, other systems) just leaves the default pages.
func adviseHugePages(_ base: UnsafeMutablePointer<Float>, count: Int) {
    #if os(Linux)
    let hugePage = 2 << 20
    let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: base) + count * MemoryLayout<Float>.stride) & ~(hugePage - 1)
    guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(pointer, end - start, MADV_HUGEPAGE)
    #endif
}

/// Result memory straight from the kernel: `mmap` on allocation, `munmap` on release. Through
/// `malloc`, glibc serves buffers of a few megabytes (one layer's maps) from its heap once a
/// freed one has raised its mmap threshold, and keeps their pages resident after they are
/// freed: with one buffer per layer, a SmolLM2 session at 512 tokens grew by half a gigabyte.
enum ResultMemory {
    static func allocate(floats: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(1, floats) * MemoryLayout<Float>.stride
        #if os(Linux)
        // Out of memory traps, as `UnsafeMutableRawPointer.allocate` does.
        guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
            preconditionFailure("maskscope: no memory for \(bytes) bytes of attention results (mmap failed)")
        }
        return mapped.bindMemory(to: Float.self, capacity: floats)
        #else
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Float.self, capacity: floats)
        #endif
    }

    static func free(_ base: UnsafeMutablePointer<Float>, floats: Int) {
        #if os(Linux)
        munmap(UnsafeMutableRawPointer(base), max(1, floats) * MemoryLayout<Float>.stride)
        #else
        UnsafeMutableRawPointer(base).deallocate()
        #endif
    }
}
