#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A self-pipe that lets another thread end the terminal's wait for input: `wake` writes a
/// byte, which makes the `poll` in `NCursesTerminal.nextEvent` return.
///
/// A class of its own so the descriptors live as long as any waker closure does: a recompute
/// may finish after the terminal was shut down, and a write to a closed descriptor number
/// could land in whatever file reused it.
final class WakePipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    /// Nil when the system has no descriptors left; the terminal then polls on a timer.
    init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Safe from any thread and from many at once; a full pipe already means "wake".
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe, so one wake ends one wait.
    func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }
}
