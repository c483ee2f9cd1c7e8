/// How every parallel step cuts its work: part `part` of `0..<count` split into `parts`
/// near-equal consecutive ranges (heads, rows, column panels). One definition, so every
/// job agrees on who does what.
enum WorkShare {
    @inline(__always)
    static func range(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (part * count / parts)..<((part + 1) * count / parts)
    }
}

extension WorkerPool {
    /// Runs `job` on the pool when it is cut into several parts, else as its one part here
    /// (no thread is woken for a small step).
    func dispatch<Job: PoolJob>(_ job: Job, parts: Int) {
        if parts > 1 { run(job, parts: parts) } else { job.run(part: 0) }
    }

    /// Parts a matrix multiply of `work` multiply-adds over `panels` column panels is cut
    /// into: 1 when it is too small to pay for waking a thread, else `partsPerThread` per
    /// thread (at most one per panel), claimed as threads come free.
    ///
    /// On the shared 2-core host a core is regularly taken away for a few milliseconds; with
    /// one part per thread the other core then waits at the end of every multiply it hit.
    /// Measured by alternating the two on successive SmolLM2 recomputes in one process
    /// (2 threads, 20 passes each, four runs): at 512 tokens the median fell 3–9 % in three runs
    /// and rose 3 % in one; at 128 tokens it stayed within ±2 %.
    func multiplyParts(work: Int, panels: Int) -> Int {
        guard threads > 1, work >= PanelMultiply.minimumParallelWork else { return 1 }
        return max(1, min(panels, threads * Self.partsPerThread))
    }

    /// Parts per thread of a large multiply (`multiplyParts`). Each part re-reads the whole
    /// input `A` once (from L2 or L3), so more is not free.
    static let partsPerThread = 3
}
