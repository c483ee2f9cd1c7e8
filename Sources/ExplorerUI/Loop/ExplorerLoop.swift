import AttentionCore
import Dispatch
import Foundation
import Synchronization

/// Runs the explorer on a terminal: read an event, reduce, perform effects, draw.
///
/// Recomputes run on a background queue so input never waits for one. Each carries the
/// engine generation it was asked for; a newer request makes older ones stop between layers
/// and their results are dropped, so the screen always converges on the latest edit.
public final class ExplorerLoop: Sendable {
    private let latestGeneration = Atomic<Int>(0)
    /// The latest text request (`Effect.prepareText`); older ones are skipped if not started.
    private let latestTextRequest = Atomic<Int>(0)
    private let finished = Mutex<[AppEvent]>([])
    private let queue = DispatchQueue(label: "maskscope.recompute", qos: .userInitiated)
    /// Where a new text is prepared (`Effect.prepareText`), beside `queue` rather than behind
    /// it: Enter would otherwise wait for the recompute of the edit before it (1.7 s at 451
    /// SmolLM2 tokens), the editor open all the while and taking the keys typed meanwhile as
    /// text. Preparing runs the embeddings and the first layer's projections, on its own thread
    /// when the recompute holds the worker pool; the new text's recompute then stops the old one.
    private let textQueue = DispatchQueue(label: "maskscope.text", qos: .userInitiated)
    /// The last recompute that ran to its end: a decoder's next recompute copies the rows before
    /// the edited token from it (`state.result` may be an early result, which cannot serve), and
    /// only when it was computed from the same prepared text. Dropped when the text changes.
    private let lastComplete = Mutex<ForwardResult?>(nil)

    /// Where `w` writes its files: the working folder.
    private let exportFolder: URL

    /// Told each step a lesson shows (0-based index, step count), on the UI thread: the
    /// presenter's notes window follows it (`PresenterChannel`).
    private let lessonStepObserver: (@Sendable (Int, Int) -> Void)?

    public init(exportFolder: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                lessonStepObserver: (@Sendable (Int, Int) -> Void)? = nil) {
        self.exportFolder = exportFolder
        self.lessonStepObserver = lessonStepObserver
    }

    /// Runs until the user quits (or `maxIdlePolls` empty polls pass, for scripted tests).
    /// - Parameter onFrame: called right after each frame is drawn, with the state it shows;
    ///   `maskscope bench` times the explorer's key-to-screen latency with it.
    /// - Returns: the final state.
    @discardableResult
    public func run(_ initial: AppState, on terminal: some TerminalBackend, maxIdlePolls: Int? = nil,
                    onFrame: ((AppState) -> Void)? = nil) -> AppState {
        var state = initial
        state.width = terminal.size.width
        state.height = terminal.size.height
        state.colors = terminal.colorCapability
        state.keepSelectionInView()
        let wake = terminal.waker
        perform(state.initialEffects, for: state, wake: wake)
        terminal.draw(render(state))
        onFrame?(state)
        var idlePolls = 0
        var held: (request: Int, since: UInt64)?
        while !state.wantsToQuit {
            // Keys typed after Enter in the editor belong to the new text: while it is being
            // prepared (milliseconds) they wait in the terminal, unread, for at most
            // `typeAheadHold`; past that the editor takes keys again (Esc keeps the old text).
            var holdingInput = false
            if state.preparingText != nil {
                if held?.request != state.textRequest { held = (state.textRequest, MonotonicClock.nanoseconds()) }
                let since = held?.since ?? 0
                while finished.withLock({ $0.isEmpty }), MonotonicClock.nanoseconds() - since < Self.typeAheadHold {
                    usleep(500)
                }
                holdingInput = finished.withLock { !$0.isEmpty }
            }
            let waiting = state.backgroundWorkPending
            var changed = false
            // While a result is on its way the terminal is woken when it lands; one that cannot
            // be woken is polled every millisecond instead.
            let timeout = waiting ? (wake == nil ? 1 : 100) : (maxIdlePolls == nil ? nil : 1)
            if !holdingInput, let input = terminal.nextEvent(timeout: timeout) {
                idlePolls = 0
                // Coalescing: every event already waiting is reduced before the next frame, so
                // a burst of repeated keys costs one render, a newer edit supersedes the
                // recomputes of older ones (they stop at their next layer), and q or Ctrl-C
                // in the burst ends it at once. At most `burstLimit` events, so a flood of
                // input still shows progress.
                var pending: InputEvent? = input
                var taken = 0
                while let event = pending {
                    let (next, effects) = reduce(state, .input(event))
                    state = next
                    perform(effects, for: state, wake: wake)
                    if case .resize = event { terminal.invalidate() }
                    taken += 1
                    // An Enter that starts preparing a text ends the burst: what follows is type-ahead.
                    let stop = state.wantsToQuit || taken >= Self.burstLimit || (state.preparingText != nil && event == .enter)
                    pending = stop ? nil : terminal.nextEvent(timeout: 0)
                }
                changed = true
            } else if let limit = maxIdlePolls, !waiting {
                idlePolls += 1
                if idlePolls >= limit { break }
            }
            // A background result can ask for more work: a prepared text its recompute, a
            // comparison the next-token prediction the effect view shows.
            for event in finished.withLock({ events -> [AppEvent] in defer { events.removeAll() }; return events }) {
                let (next, effects) = reduce(state, event)
                state = next
                perform(effects, for: state, wake: wake)
                changed = true
            }
            if changed {
                terminal.draw(render(state))
                onFrame?(state)
            }
        }
        return state
    }

    /// Most input events reduced between two frames.
    static let burstLimit = 256

    /// Longest wait for a text being prepared before input is read again: 1 s, where
    /// preparing takes ~0.1 s even for 1,000 SmolLM2 tokens in a debug build.
    static let typeAheadHold: UInt64 = 1_000_000_000

    /// Waits for every requested text preparation and recompute to finish.
    public func drain() {
        textQueue.sync {}
        queue.sync {}
    }

    /// Runs `effects`, which reducing to `state` produced: a recompute publishes the attention
    /// up to `state.layer` early (over `state.result`'s deeper layers) and computes the hidden
    /// state only when `state.view` needs it. Each finished result calls `wake`.
    private func perform(_ effects: [Effect], for state: AppState, wake: (@Sendable () -> Void)?) {
        let shownLayer = state.layer
        let previous = state.result
        let needs = Self.needs(state)
        let effectQuery = state.effectQuery
        for effect in effects {
            if case .export(let files) = effect {
                finished.withLock { $0.append(.notice(write(files))) }
                continue
            }
            if case let .lessonStepShown(index, count) = effect {
                lessonStepObserver?(index, count)
                continue
            }
            if case let .prepareText(explorer, text, request) = effect {
                latestTextRequest.store(request, ordering: .releasing)
                textQueue.async { [self] in
                    guard latestTextRequest.load(ordering: .acquiring) == request else { return }
                    lastComplete.withLock { $0 = nil }
                    let prepared = TextPreparation.prepare(explorer, text: text, request: request)
                    finished.withLock { $0.append(.textPrepared(prepared)) }
                    wake?()
                }
                continue
            }
            if case let .compare(explorer, generation, unmasked) = effect {
                queue.async { [self] in
                    let current = { self.latestGeneration.load(ordering: .acquiring) == generation }
                    guard current(), let comparison = Comparison.compute(for: explorer, unmasked: unmasked, position: effectQuery,
                                                                         shouldContinue: current) else { return }
                    finished.withLock { $0.append(.compared(generation: generation, comparison: comparison)) }
                    wake?()
                }
                continue
            }
            if case let .predictNextToken(comparison, position, generation) = effect {
                let head = state.explorer.model.causalLMHead
                queue.async { [self] in
                    guard latestGeneration.load(ordering: .acquiring) == generation,
                          let predicted = comparison.nextToken(at: position, head: head) else { return }
                    finished.withLock { $0.append(.predictedNextToken(generation: generation, effect: predicted)) }
                    wake?()
                }
                continue
            }
            guard case let .recompute(explorer, generation) = effect else { continue }
            latestGeneration.store(generation, ordering: .releasing)
            queue.async { [self] in
                guard latestGeneration.load(ordering: .acquiring) == generation else { return }
                let start = MonotonicClock.nanoseconds()
                func milliseconds() -> Double { Double(MonotonicClock.nanoseconds() - start) / 1e6 }
                let early = EarlyLayers(throughLayer: shownLayer, previous: previous) { partial in
                    let event = AppEvent.recomputed(generation: generation, result: partial, milliseconds: milliseconds())
                    self.finished.withLock { $0.append(event) }
                    wake?()
                }
                let result = explorer.recompute(needs: needs, earlyLayers: early,
                                                reusing: lastComplete.withLock { $0 }) {
                    self.latestGeneration.load(ordering: .acquiring) == generation
                }
                guard let result else { return }
                lastComplete.withLock { $0 = result }
                let event = AppEvent.recomputed(generation: generation, result: result, milliseconds: milliseconds())
                finished.withLock { $0.append(event) }
                wake?()
                // After the result is on its way: weights that overflow make NaN rows, which
                // must be said, never drawn as quiet empty rows.
                if let place = result.firstNonFiniteWeight {
                    let warning = ModelOutputError.nonFinite(layer: place.layer, head: place.head, query: place.query,
                                                             model: explorer.model.info.name)
                    finished.withLock { $0.append(.notice(.warning(warning.description))) }
                    wake?()
                }
            }
        }
    }

    /// What a recompute for `state` must produce: the hidden state only for the output effect.
    static func needs(_ state: AppState) -> ForwardNeeds {
        state.view == .effect ? .attentionAndHidden : .attention
    }

    /// Writes export files atomically under unused names and says where they went.
    func write(_ files: [ExportFile]) -> Message {
        var written: [String] = []
        for file in files {
            let url = AtomicFile.unusedURL(in: exportFolder, base: file.baseName, extension: file.fileExtension)
            do {
                try AtomicFile.write(Data(file.contents.utf8), to: url)
                written.append(url.lastPathComponent)
            } catch {
                return .warning("\(error)")
            }
        }
        return .info("wrote \(written.joined(separator: " and ")) in \(exportFolder.path)")
    }

    /// Applies `effects` synchronously to `state`: the recompute (and a text preparation,
    /// with the effects it leads to) runs on this thread. For tests and headless rendering,
    /// where there is no UI to keep responsive.
    public static func settle(_ state: AppState, _ effects: [Effect]) -> AppState {
        var state = state
        for effect in effects {
            switch effect {
            case let .recompute(explorer, generation):
                guard let result = explorer.recompute(needs: needs(state), reusing: state.result) else { continue }
                state = reduce(state, .recomputed(generation: generation, result: result, milliseconds: 0)).0
            case let .compare(explorer, generation, unmasked):
                guard let comparison = Comparison.compute(for: explorer, unmasked: unmasked, position: state.effectQuery) else { continue }
                let (next, more) = reduce(state, .compared(generation: generation, comparison: comparison))
                state = settle(next, more)
            case let .predictNextToken(comparison, position, generation):
                guard let predicted = comparison.nextToken(at: position, head: state.explorer.model.causalLMHead) else { continue }
                state = reduce(state, .predictedNextToken(generation: generation, effect: predicted)).0
            case let .prepareText(explorer, text, request):
                let prepared = TextPreparation.prepare(explorer, text: text, request: request)
                let (next, effects) = reduce(state, .textPrepared(prepared))
                state = settle(next, effects)
            case .export, .lessonStepShown, .quit:
                continue
            }
        }
        return state
    }
}
