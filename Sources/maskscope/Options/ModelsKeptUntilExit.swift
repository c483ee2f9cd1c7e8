import AttentionCore
import Synchronization

/// Every model a command loads, held until the process ends, so that none is torn down
/// object by object just before the exit would hand its memory back at once.
///
/// Freeing a loaded MiniLM (a 30,522-entry vocabulary whose 36,350 keys, continuation pieces
/// included, are separate allocations, then glibc consolidating the freed chunks) took ~10 ms
/// of its ~150 ms cold start to the first `attention` JSON. Every command loads one model (a
/// lesson: its own, its fallback or builtin) and uses it to the end, so holding it costs no
/// memory the command was not already using.
enum ModelsKeptUntilExit {
    private static let models = Mutex<[EncoderModel]>([])

    static func keep(_ model: EncoderModel) {
        models.withLock { $0.append(model) }
    }
}
