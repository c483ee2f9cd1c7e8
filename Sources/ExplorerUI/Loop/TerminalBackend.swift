/// What the app loop needs from a terminal: paint a frame, read the next input, know the size.
///
/// The ncurses implementation lives in the Terminal target; `InMemoryTerminal` stands in for it
/// in tests, so the whole loop (events → reducer → render → draw) runs without a tty.
public protocol TerminalBackend: AnyObject {
    /// Current size in columns and rows; render frames at this size.
    var size: (width: Int, height: Int) { get }
    /// What colors `draw` can show; decides between color and glyph heatmaps.
    var colorCapability: ColorCapability { get }
    /// Shows `grid` at the top-left of the screen. Backends may send only the cells that changed
    /// since the previous call.
    func draw(_ grid: CellGrid)
    /// Forgets what is on screen, so the next `draw` repaints every cell (after the screen was
    /// disturbed, e.g. by another program's output).
    func invalidate()
    /// The next input, waiting at most `milliseconds` (nil: until there is one). Returns nil
    /// when the time ran out with nothing to report, or when `waker` was called.
    func nextEvent(timeout milliseconds: Int?) -> InputEvent?
    /// Gives the terminal back to the shell. Safe to call more than once.
    func shutdown()
    /// A function any thread may call to make the waiting `nextEvent` (or the next one, if none
    /// is waiting) return nil at once. The explorer calls it when a background result lands,
    /// so the result is drawn without waiting out a poll interval. Nil when the backend cannot
    /// be woken: the loop then polls every millisecond while a result is on its way.
    var waker: (@Sendable () -> Void)? { get }
}

extension TerminalBackend {
    public var waker: (@Sendable () -> Void)? { nil }
}
