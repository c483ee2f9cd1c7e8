import Synchronization

/// A bounded, thread-safe word → ids cache. Cleared when full (`tokenizers` stops adding at
/// 10,000 words; clearing keeps the memory bound and the common words come back at once).
/// Guarded by `Synchronization.Mutex`, the program's one mutex type.
final class WordCache: Sendable {
    private let entries = Mutex<[String: [Int]]>([:])
    private let capacity = 10_000

    subscript(word: String) -> [Int]? {
        get {
            entries.withLock { $0[word] }
        }
        set {
            guard word.utf8.count <= 256 else { return }
            entries.withLock { entries in
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[word] = newValue
            }
        }
    }
}
