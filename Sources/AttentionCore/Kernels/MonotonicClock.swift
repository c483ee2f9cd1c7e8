#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one monotonic clock of the program (CLOCK_MONOTONIC: never jumps with the wall
/// clock): peak measurements, bench timings, the worker pool's spin limit, the explorer's
/// recompute times and the terminal's key timing all read it.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot).
    public static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Seconds since the same point.
    public static func seconds() -> Double {
        Double(nanoseconds()) * 1e-9
    }

    /// Whole milliseconds since the same point.
    public static func milliseconds() -> Int {
        Int(nanoseconds() / 1_000_000)
    }
}
