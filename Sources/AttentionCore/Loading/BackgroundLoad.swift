import Dispatch
import Synchronization

/// A part of a model load that runs on another core from the moment it is made, while the
/// loading thread goes on: a BERT checkpoint's tokenizer (a 30,522-entry vocabulary, about a
/// fifth of MiniLM's cold start) is read while the weights are checked and packed.
///
/// `value()` waits for it and rethrows its error. A caller that throws first simply never
/// asks, so a failed load reports its first problem in the same order as a sequential one.
final class BackgroundLoad<Value: Sendable>: Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Result<Value, any Error>?>(nil)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            finished.signal()
        }
    }

    /// The value, once the work is done; its error if it threw.
    func value() throws -> Value {
        if let known = outcome.withLock({ $0 }) { return try known.get() }
        finished.wait()
        finished.signal()   // for any later call
        guard let result = outcome.withLock({ $0 }) else { preconditionFailure("BackgroundLoad: signalled without a result") }
        return try result.get()
    }
}
