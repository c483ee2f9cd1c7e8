import ArgumentParser
import Terminal

extension NCursesTerminal {
    /// The terminal for `explore` and `lesson`; when there is none to draw on (not a tty, no
    /// terminfo), the reason on standard error and exit status 1.
    static func openForCommand() throws -> NCursesTerminal {
        do {
            return try NCursesTerminal()
        } catch {
            printToStandardError("Error: \(error)")
            throw ExitCode.failure
        }
    }
}
