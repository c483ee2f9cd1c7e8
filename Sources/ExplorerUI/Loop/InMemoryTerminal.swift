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

    public init(width: Int, height: Int, colorCapability: ColorCapability = .truecolor, events: [InputEvent] = []) {
        size = (max(0, width), max(0, height))
        self.colorCapability = colorCapability
        pendingEvents = events
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
        guard !pendingEvents.isEmpty else { return nil }
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
