#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The activations of one forward pass in flight, allocated once and reused by every later
/// pass of up to `capacity` tokens, so a recompute after a mask edit allocates nothing but
/// its result.
///
/// Shapes for `L ≤ capacity` tokens, hidden size `H`, feed-forward size `I`, `parts` threads:
/// `hidden`, `attended`, `context`, `values` are `[L][H]`; `inner` is `[L][I]`; `headScratch`
/// is `parts` slices of `headScratchCount` floats, one per thread, for packing one head's
/// `Kᵀ` and `V`. All 64-byte aligned. One pass owns a workspace at a time (`ForwardWorkspacePool`).
final class ForwardWorkspace: @unchecked Sendable {
    // Sendable: handed between threads only through the pool's lock, and used by one pass at a time.
    let capacity: Int
    let parts: Int
    let hidden: UnsafeMutablePointer<Float>
    let attended: UnsafeMutablePointer<Float>
    let context: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    let inner: UnsafeMutablePointer<Float>
    /// `[L][H]`: a pre-norm layer's normalised input (to the projections, then to the MLP).
    let normed: UnsafeMutablePointer<Float>
    /// `[L][inner]`: a gated MLP's gate projection.
    let gate: UnsafeMutablePointer<Float>
    let headScratch: UnsafeMutablePointer<Float>
    let headScratchCount: Int
    private let allocations: [UnsafeMutablePointer<Float>]

    /// - Parameters:
    ///   - normed: whether a pre-norm layer needs `normed` (else it is a token 16 floats).
    ///   - gated: whether a gated MLP needs `gate` (else it is a token 16 floats).
    init(capacity: Int, parts: Int, hiddenSize: Int, innerSize: Int, headSize: Int, normed needsNormed: Bool = false,
         gated: Bool = false) {
        self.capacity = capacity
        self.parts = parts
        headScratchCount = GroupedAttention.scratchCount(keys: capacity, headSize: headSize)
        func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
            let count = max(16, count)
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
                .bindMemory(to: Float.self, capacity: count)
            pointer.initialize(repeating: 0, count: count)
            return pointer
        }
        hidden = allocate(capacity * hiddenSize)
        attended = allocate(capacity * hiddenSize)
        context = allocate(capacity * hiddenSize)
        values = allocate(capacity * hiddenSize)
        inner = allocate(capacity * innerSize)
        normed = allocate(needsNormed ? capacity * hiddenSize : 0)
        gate = allocate(gated ? capacity * innerSize : 0)
        headScratch = allocate(parts * headScratchCount)
        allocations = [hidden, attended, context, values, inner, normed, gate, headScratch]
    }

    deinit {
        for pointer in allocations { UnsafeMutableRawPointer(pointer).deallocate() }
    }

    /// Part `part`'s scratch for `GroupedAttention.run`, `headScratchCount` floats.
    func scratch(part: Int) -> UnsafeMutablePointer<Float> {
        precondition(part >= 0 && part < parts, "attention part \(part) of a workspace made for \(parts)")
        return headScratch + part * headScratchCount
    }
}

/// Idle workspaces of one model, lent to forward passes: overlapping passes (a superseded
/// recompute still finishing while the next starts, or tests on several threads) each get
/// their own, and a finished pass returns its workspace for the next.
final class ForwardWorkspacePool: @unchecked Sendable {
    // Sendable: `make` is only called, never mutated; `idle` lives in a `Mutex`.
    private let idle = Mutex<[ForwardWorkspace]>([])
    /// How many idle workspaces to keep; more only happen with more overlapping passes.
    private let keep: Int
    private let make: (_ capacity: Int, _ parts: Int) -> ForwardWorkspace

    init(keep: Int = 2, make: @escaping @Sendable (_ capacity: Int, _ parts: Int) -> ForwardWorkspace) {
        self.keep = keep
        self.make = make
    }

    /// Runs `body` with a workspace for at least `length` tokens and `parts` threads, taken
    /// from the idle ones when one fits, and keeps it for the next pass afterwards.
    func withWorkspace<Result>(length: Int, parts: Int, _ body: (ForwardWorkspace) -> Result) -> Result {
        let lent: ForwardWorkspace? = idle.withLock { idle in
            var fitting: Int?
            for index in idle.indices where idle[index].capacity >= length && idle[index].parts >= parts {
                if let best = fitting, idle[best].capacity <= idle[index].capacity { continue }
                fitting = index
            }
            return fitting.map { idle.remove(at: $0) }
        }
        let workspace = lent ?? make(length, parts)
        defer {
            let keep = keep
            idle.withLock { idle in
                idle.append(workspace)
                if idle.count > keep {
                    // Drop the smallest: a larger one serves every length it does.
                    if let smallest = idle.indices.min(by: { idle[$0].capacity < idle[$1].capacity }) {
                        idle.remove(at: smallest)
                    }
                }
            }
        }
        return body(workspace)
    }
}
