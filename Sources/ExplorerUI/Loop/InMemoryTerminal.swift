import Foundation

/// A `TerminalBackend` for tests: records every drawn frame and replays scripted input.
///
/// ```swift
/// let terminal = InMemoryTerminal(width: 40, height: 10, events: [.character("a"), .enter])
/// // run the app loop against `terminal`, then:
/// #expect(terminal.lastGrid?.textLines.first == "…")
/// ```
public final class InMemoryTerminal: TerminalBackend {
    public private(set) var size: (width: Int, height: Int)
    public let colorCapability: ColorCapability
    /// Every grid passed to `draw`, oldest first.
    public private(set) var drawnGrids: [CellGrid] = []
    /// Input not yet returned by `nextEvent`, next first.
    public private(set) var pendingEvents: [InputEvent]
    /// How many times `invalidate` was called.
    public private(set) var invalidateCount = 0
    public private(set) var isShutDown = false
    /// A test's safety net: once the script is exhausted, empty polls last a millisecond each and
    /// after this many `nextEvent` returns Ctrl-C, so a loop that never settles (waiting for work
    /// that never comes) ends and the test fails on its state instead of hanging. Nil: never,
    /// and empty polls return at once.
    public let interruptAfterEmptyPolls: Int?
    private var emptyPolls = 0

    public init(width: Int, height: Int, colorCapability: ColorCapability = .truecolor, events: [InputEvent] = [],
                interruptAfterEmptyPolls: Int? = nil) {
        size = (max(0, width), max(0, height))
        self.colorCapability = colorCapability
        pendingEvents = events
        self.interruptAfterEmptyPolls = interruptAfterEmptyPolls
    }

    /// The most recently drawn frame.
    public var lastGrid: CellGrid? { drawnGrids.last }

    public func draw(_ grid: CellGrid) {
        drawnGrids.append(grid)
    }

    public func invalidate() {
        invalidateCount += 1
    }

    /// Queues more input after the scripted events.
    public func enqueue(_ events: InputEvent...) {
        pendingEvents.append(contentsOf: events)
    }

    /// The next scripted event, or nil when the script is exhausted (as if the timeout ran
    /// out). A `.resize` event also changes `size`, as a real terminal's would.
    public func nextEvent(timeout milliseconds: Int?) -> InputEvent? {
        guard !pendingEvents.isEmpty else {
            emptyPolls += 1
            guard let limit = interruptAfterEmptyPolls else { return nil }
            if emptyPolls >= limit { return .control("c") }
            // Each empty poll waits out a millisecond, as a real terminal's timeout would, so
            // the limit is a time that background work has to finish in.
            usleep(1000)
            return nil
        }
        let event = pendingEvents.removeFirst()
        if case .resize(let width, let height) = event {
            size = (max(0, width), max(0, height))
        }
        return event
    }

    public func shutdown() {
        isShutDown = true
    }
}
