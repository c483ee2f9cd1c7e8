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
        if parts > 1 { run(job) } else { job.run(part: 0) }
    }
}
