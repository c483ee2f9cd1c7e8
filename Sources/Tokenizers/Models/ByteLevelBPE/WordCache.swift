import Foundation

/// A bounded, thread-safe word → ids cache. Cleared when full (`tokenizers` stops adding at
/// 10,000 words; clearing keeps the memory bound and the common words come back at once).
final class WordCache: @unchecked Sendable {
    private var entries: [String: [Int]] = [:]
    private let lock = NSLock()
    private let capacity = 10_000

    subscript(word: String) -> [Int]? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return entries[word]
        }
        set {
            guard word.utf8.count <= 256 else { return }
            lock.lock()
            defer { lock.unlock() }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[word] = newValue
        }
    }
}
