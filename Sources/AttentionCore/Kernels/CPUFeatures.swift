#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vector-instruction families of the CPU this process runs on, read once.
///
/// Linux: the `flags` line of `/proc/cpuinfo`; macOS: `sysctl hw.optional.*`. Anything
/// unreadable counts as absent, which only selects a slower kernel.
public struct CPUFeatures: Sendable, Equatable {
    /// 512-bit registers, 32 of them: room for the 8×32 tile of `SIMD16<Float>` accumulators.
    public var hasAVX512F: Bool
    /// 256-bit registers, 16 of them.
    public var hasAVX2: Bool
    /// Fused multiply-add, which halves the instruction count of the inner loop.
    public var hasFMA: Bool

    public init(hasAVX512F: Bool, hasAVX2: Bool, hasFMA: Bool) {
        self.hasAVX512F = hasAVX512F
        self.hasAVX2 = hasAVX2
        self.hasFMA = hasFMA
    }

    /// The running CPU's features.
    public static let host: CPUFeatures = detect()

    /// Parses the space-separated flag list of `/proc/cpuinfo` (e.g. `"fpu ... avx2 fma avx512f"`).
    public init(cpuinfoFlags: String) {
        let flags = Set(cpuinfoFlags.split(separator: " " as Character).map(String.init))
        self.init(hasAVX512F: flags.contains("avx512f"), hasAVX2: flags.contains("avx2"), hasFMA: flags.contains("fma"))
    }

    private static func detect() -> CPUFeatures {
        #if os(Linux) && arch(x86_64)
        guard let text = readSmallFile("/proc/cpuinfo") else { return .none }
        for line in text.split(separator: "\n" as Character) where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return CPUFeatures(cpuinfoFlags: String(line[line.index(after: colon)...]))
        }
        return .none
        #elseif canImport(Darwin) && arch(x86_64)
        return CPUFeatures(
            hasAVX512F: sysctlFlag("hw.optional.avx512f"),
            hasAVX2: sysctlFlag("hw.optional.avx2_0"),
            hasFMA: sysctlFlag("hw.optional.fma")
        )
        #else
        return .none
        #endif
    }

    static let none = CPUFeatures(hasAVX512F: false, hasAVX2: false, hasFMA: false)

    #if os(Linux)
    /// Reads up to the first 64 KiB of a file; `/proc` files report size 0, so no `stat`.
    private static func readSmallFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        let capacity = 1 << 16
        var bytes = [UInt8](repeating: 0, count: capacity)
        let count = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, capacity, file) }
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }
    #endif

    #if canImport(Darwin)
    private static func sysctlFlag(_ name: String) -> Bool {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        return sysctlbyname(name, &value, &size, nil, 0) == 0 && value != 0
    }
    #endif
}
