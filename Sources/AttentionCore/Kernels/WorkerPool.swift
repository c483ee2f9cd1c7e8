#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One splittable piece of work for `WorkerPool.run(_:parts:)`: `run(part:)` is called once
/// for every part of the job, concurrently, and must write only memory no other part touches.
/// A value type holding pointers, so running it allocates nothing.
public protocol PoolJob {
    func run(part: Int)
}

/// Persistent helper threads that split one matrix multiply with the calling thread.
///
/// A forward pass is ~40 multiplies of 10–1000 µs each; `DispatchQueue.concurrentPerform`
/// pays several µs per call to wake threads. Here the helper spins for `spinMicroseconds` after
/// each job, so the next multiply of the same forward starts at once, then parks on a condition
/// variable so an idle explorer does not burn a core.
///
/// `threads` counts the caller: `WorkerPool(threads: 2)` starts one helper and the caller does
/// part 0 of every job; `threads: 1` starts nothing and runs jobs inline.
public final class WorkerPool: @unchecked Sendable {
    // Sendable: `threads` and `spinMicroseconds` are immutable, and all mutable state lives in
    // `PoolState`, whose every field is read and written only with its mutex held.

    /// Threads that share each job, the caller's included.
    public let threads: Int
    public let spinMicroseconds: Int
    private let state: PoolState?

    /// - Parameters:
    ///   - threads: threads per job including the caller; values below 1 count as 1.
    ///   - spinMicroseconds: how long an idle helper (and a caller waiting for it) polls
    ///     before sleeping. 3 ms bridges the gap between two recomputes while someone types in
    ///     the explorer (it draws a frame in between, ~1 ms): measured on a 2-core VM, a parked
    ///     helper woke late often enough to push 1 key in 20 from 14 to 20 ms at 128 tokens.
    public init(threads: Int = 2, spinMicroseconds: Int = 3000) {
        self.threads = max(1, threads)
        self.spinMicroseconds = max(0, spinMicroseconds)
        guard self.threads > 1 else {
            state = nil
            return
        }
        let state = PoolState(spinNanoseconds: UInt64(self.spinMicroseconds) * 1_000)
        self.state = state
        for part in 1..<self.threads {
            let thread = Thread { state.helperLoop() }
            thread.name = "maskscope.worker.\(part)"
            thread.start()
        }
    }

    /// A pool with one thread per core, capped at `maximum`.
    public static func perCore(maximum: Int = 8) -> WorkerPool {
        WorkerPool(threads: min(maximum, ProcessInfo.processInfo.activeProcessorCount))
    }

    deinit {
        state?.shutDown()
    }

    /// Runs `body(part)` once for every `part` in `0..<parts` (`threads` when omitted),
    /// concurrently, and returns when all have finished. The caller's thread runs part 0, and
    /// any part no helper has claimed by the time it is free.
    ///
    /// `body` must only write memory that no other part reads or writes. If the pool is
    /// already running a job (a nested call from inside `body`, or another thread's call),
    /// the parts run one after another on the caller's thread instead of deadlocking.
    ///
    /// May allocate once per call: the optimizer's closure specialization rebuilds `body` as a
    /// heap closure. Paths that must not allocate use `run(_:parts:)` with a `PoolJob`.
    public func run(parts: Int? = nil, _ body: (_ part: Int) -> Void) {
        let parts = max(1, parts ?? threads)
        guard let state, state.tryBeginJob() else {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { job in
            withUnsafePointer(to: job) { pointer in
                state.runAsCaller(context: UnsafeRawPointer(pointer), parts: parts) { context, part in
                    context.assumingMemoryBound(to: ((Int) -> Void).self).pointee(part)
                }
            }
        }
        state.endJob()
    }

    /// As `run(_ body:)` for a job value, allocation-free: helpers reach the caller's copy of
    /// `job` through a pointer and call it through a function that captures nothing.
    ///
    /// - Parameter parts: how many parts `0..<parts` the job is cut into (at least 1; `threads`
    ///   when omitted). Each part runs exactly once, on whichever thread claims it first. More
    ///   parts than threads lets a thread that finishes early take over work the other has not
    ///   started, which matters on a shared host where one core can be taken away for a few
    ///   milliseconds in the middle of a multiply.
    public func run<Job: PoolJob>(_ job: Job, parts: Int? = nil) {
        let parts = max(1, parts ?? threads)
        guard let state, state.tryBeginJob() else {
            for part in 0..<parts { job.run(part: part) }
            return
        }
        withUnsafePointer(to: job) { pointer in
            state.runAsCaller(context: UnsafeRawPointer(pointer), parts: parts, invoke: Self.invoker(for: Job.self))
        }
        state.endJob()
    }

    private static func invoker<Job: PoolJob>(for _: Job.Type) -> (UnsafeRawPointer, Int) -> Void {
        { context, part in context.assumingMemoryBound(to: Job.self).pointee.run(part: part) }
    }

    /// Part `part`'s share of `0..<count` when it is cut into `threads` near-equal consecutive
    /// ranges, e.g. the attention heads one part of `run` should compute.
    public func share(of count: Int, part: Int) -> Range<Int> {
        WorkShare.range(part, of: threads, count: count)
    }
}

/// The mutex-guarded mailbox between a `WorkerPool`'s caller and its helpers.
///
/// Parts `1..<parts` of a job are *claimed*, not assigned: whichever thread gets to an
/// unclaimed part first runs it, and a thread that finishes one claims the next. When the
/// machine is busy and a helper is not scheduled in time, the caller runs that part itself
/// instead of waiting a scheduler time slice for it. Polling uses `pthread_mutex_trylock`
/// (never sleeps) and `sched_yield` (gives the core away when something else wants it).
final class PoolState: @unchecked Sendable {
    // Sendable: every `var` below is accessed only between `lock()` and `unlock()` of `mutex`;
    // `jobGate` serializes whole jobs; the pthread objects live at stable heap addresses.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let jobGate = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let jobPosted = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let helpersDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let spinNanoseconds: UInt64

    private var generation: UInt64 = 0
    /// The current job: `invoke(context, part)` runs one part.
    private var invoke: ((UnsafeRawPointer, Int) -> Void)?
    private var context: UnsafeRawPointer?
    /// How many parts the current job has.
    private var parts = 0
    /// The lowest part nobody has claimed yet; `parts` when all are claimed.
    private var nextPart = 0
    /// Helpers that claimed a part of the current job and have not finished it.
    private var runningHelpers = 0
    private var callerIsSleeping = false
    private var sleepingHelpers = 0
    private var isShuttingDown = false

    init(spinNanoseconds: UInt64) {
        self.spinNanoseconds = spinNanoseconds
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(jobGate, nil)
        pthread_cond_init(jobPosted, nil)
        pthread_cond_init(helpersDone, nil)
    }

    deinit {
        pthread_cond_destroy(helpersDone)
        pthread_cond_destroy(jobPosted)
        pthread_mutex_destroy(jobGate)
        pthread_mutex_destroy(mutex)
        helpersDone.deallocate()
        jobPosted.deallocate()
        jobGate.deallocate()
        mutex.deallocate()
    }

    func tryBeginJob() -> Bool { pthread_mutex_trylock(jobGate) == 0 }
    func endJob() { pthread_mutex_unlock(jobGate) }

    /// Publishes a job of `newParts` parts, runs part 0 and every part no helper has claimed
    /// on the calling thread, and returns once the helpers' parts are done and they hold no
    /// copy of it. `context` must stay valid until this returns.
    func runAsCaller(context newContext: UnsafeRawPointer, parts newParts: Int,
                     invoke newInvoke: @escaping (UnsafeRawPointer, Int) -> Void) {
        lock()
        invoke = newInvoke
        context = newContext
        parts = newParts
        nextPart = 1
        runningHelpers = 0
        generation &+= 1
        if sleepingHelpers > 0 { pthread_cond_broadcast(jobPosted) }
        unlock()
        newInvoke(newContext, 0)
        var deadline: UInt64?
        while true {
            lock()
            if nextPart < parts {
                let part = nextPart
                nextPart += 1
                unlock()
                newInvoke(newContext, part)
                continue
            }
            if runningHelpers == 0 { break }
            let start = deadline ?? now() + spinNanoseconds
            deadline = start
            if now() >= start {
                callerIsSleeping = true
                while runningHelpers > 0 { pthread_cond_wait(helpersDone, mutex) }
                callerIsSleeping = false
                break
            }
            unlock()
            sched_yield()
        }
        invoke = nil
        context = nil
        unlock()
    }

    func shutDown() {
        lock()
        isShuttingDown = true
        pthread_cond_broadcast(jobPosted)
        unlock()
    }

    func helperLoop() {
        var seenGeneration: UInt64 = 0
        while let generation = waitForJob(after: seenGeneration) {
            seenGeneration = generation
            while runUnclaimedPart() {
                lock()
                runningHelpers -= 1
                if runningHelpers == 0 && callerIsSleeping { pthread_cond_signal(helpersDone) }
                unlock()
            }
        }
    }

    /// The generation of the next job, or `nil` when the pool is shutting down.
    private func waitForJob(after seen: UInt64) -> UInt64? {
        let deadline = now() + spinNanoseconds
        while true {
            lock()
            if isShuttingDown { unlock(); return nil }
            if generation != seen { let posted = generation; unlock(); return posted }
            if now() >= deadline {
                sleepingHelpers += 1
                while generation == seen && !isShuttingDown { pthread_cond_wait(jobPosted, mutex) }
                sleepingHelpers -= 1
                let posted = isShuttingDown ? nil : generation
                unlock()
                return posted
            }
            unlock()
            sched_yield()
        }
    }

    /// Claims and runs one part if any is left. Kept out of line so this helper's copy of the
    /// closure is released before it reports the part finished: `withoutActuallyEscaping` in
    /// the caller checks that no copy outlives the job.
    @inline(never)
    private func runUnclaimedPart() -> Bool {
        lock()
        guard nextPart < parts, let current = invoke, let currentContext = context else {
            unlock()
            return false
        }
        let part = nextPart
        nextPart += 1
        runningHelpers += 1
        unlock()
        current(currentContext, part)
        return true
    }

    private func lock() {
        for _ in 0..<64 {
            if pthread_mutex_trylock(mutex) == 0 { return }
        }
        pthread_mutex_lock(mutex)
    }

    private func unlock() { pthread_mutex_unlock(mutex) }

    private func now() -> UInt64 { MonotonicClock.nanoseconds() }
}
