#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AttentionCore
import Dispatch
import ExplorerUI

/// The explorer's latency as a user feels it: from a mask key being read to the frame that
/// shows the shown layer's new attention, through the real `ExplorerLoop` (reducer, background
/// recompute, the wake-up of the loop's wait, `render` at 120×40). Only the final write to a
/// real terminal is left out: frames go to `KeyTimingTerminal`, which stamps them.
enum ScreenLatency {
    /// Milliseconds per mask key: `repeats + 2` keys alternating `0` and `1` on the selected
    /// token, each sent once the previous edit has fully settled. The first is the explorer's
    /// first edit; callers drop the first two as warm-ups for the steady figures.
    static func times(explorer: Explorer, shownLayer: Int, repeats: Int) -> [Double] {
        let state = AppState(explorer: explorer, themes: [ThemeCatalog.default], colors: .truecolor,
                             width: 120, height: 40, layer: shownLayer)
        let terminal = KeyTimingTerminal(keys: (0..<(repeats + 2)).map { $0 % 2 == 0 ? "0" : "1" })
        ExplorerLoop().run(state, on: terminal) { shown in terminal.frameDrawn(shown) }
        return terminal.latencies
    }

    /// A 120×40 truecolor terminal that types `keys`, one after the previous key's edit has
    /// settled, then `q`. Waiting for input it sleeps until the timeout or its waker, as
    /// `NCursesTerminal` does.
    final class KeyTimingTerminal: TerminalBackend {
        let size = (width: 120, height: 40)
        let colorCapability = ColorCapability.truecolor
        private let woken = DispatchSemaphore(value: 0)
        private var keys: [Character]
        /// When the key now being timed was read; nil when no edit is in flight.
        private var keyReadAt: Double?
        /// Whether the last frame showed every background result (the next key may go).
        private var settled = false
        private(set) var latencies: [Double] = []

        init(keys: [Character]) { self.keys = keys }

        func draw(_ grid: CellGrid) {}
        func invalidate() {}
        func shutdown() {}

        func nextEvent(timeout milliseconds: Int?) -> InputEvent? {
            if settled, keyReadAt == nil {
                settled = false
                guard !keys.isEmpty else { return .character("q") }
                keyReadAt = BenchClock.now()
                return .character(keys.removeFirst())
            }
            if let milliseconds {
                _ = woken.wait(timeout: .now() + .milliseconds(max(0, milliseconds)))
            } else {
                woken.wait()
            }
            return nil
        }

        var waker: (@Sendable () -> Void)? {
            let semaphore = woken
            return { semaphore.signal() }
        }

        /// Stamps the first frame that shows the timed edit's attention for the shown layer.
        func frameDrawn(_ state: AppState) {
            if let start = keyReadAt, state.shownLayerIsCurrent {
                latencies.append((BenchClock.now() - start) * 1e3)
                keyReadAt = nil
            }
            settled = !state.backgroundWorkPending
        }
    }

    /// A text of exactly `length` tokens (the tokenizer's special tokens included) from
    /// `sentence`'s words repeated, topped up with "the" (one token in BERT and byte-level BPE
    /// vocabularies) where a word would
    /// overshoot; nil when the tokenizer cannot reach that length this way.
    static func text(of length: Int, from sentence: String, model: EncoderModel) throws -> String? {
        let words = sentence.split(separator: " ").map(String.init)
        guard var text = words.first else { return nil }
        var count = try model.encode(text).count
        var index = 1
        while count < length {
            let word = words[index % words.count]
            index += 1
            var candidate = text + " " + word
            var candidateCount = try model.encode(candidate).count
            if candidateCount > length {
                candidate = text + " the"
                candidateCount = try model.encode(candidate).count
                guard candidateCount == count + 1 else { return nil }
            }
            text = candidate
            count = candidateCount
        }
        return count == length ? text : nil
    }
}
