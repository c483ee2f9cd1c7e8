/// Why the terminal could not be used. The process exits non-zero with this message and the
/// terminal left as it was.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unknownTerminal(String?)
    /// TERM names a terminal that cannot position the cursor (e.g. `dumb`, an editor's shell).
    case cannotMoveCursor(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "standard input and output must be a terminal for the explorer; use a headless command (maskscope attention, maskscope render) in scripts"
        case .unknownTerminal(let term):
            if let term, !term.isEmpty {
                return "the terminal type TERM=\(term) is unknown to ncurses; try TERM=xterm-256color"
            }
            return "TERM is not set, so the terminal's capabilities are unknown; set it (e.g. TERM=xterm-256color) or use a headless command"
        case .cannotMoveCursor(let term):
            return "the terminal type TERM=\(term) cannot move the cursor, which the explorer needs; run it in a full terminal (e.g. TERM=xterm-256color) or use a headless command"
        }
    }
}
