import Foundation

/// How a GGUF model's quantized weight matrices are held while it runs.
///
/// `f32` dequantizes every matrix once at load (4 bytes per weight) and is the fastest per
/// recompute; `quantized` leaves Q4_0…Q8_0 and Q2_K…Q6_K matrices as blocks in the mapped file
/// (resident memory ≈ the file) and dequantizes them tile by tile inside the matrix multiply,
/// with the same products bit for bit. `automatic` keeps them quantized only when their F32 form
/// would not fit comfortably (`automaticLimit`): small models such as SmolLM2-135M stay F32
/// and fast, 1B-class ones stay quantized and open within memory.
public enum WeightStorage: String, Sendable, CaseIterable {
    case f32
    case quantized
    case automatic = "auto"

    /// The environment variable that overrides `automatic` (values `f32`, `quantized`, `auto`).
    public static let environmentKey = "MASKSCOPE_WEIGHTS"

    /// From `MASKSCOPE_WEIGHTS`, else `fallback` (what the command prefers, else `automatic`).
    ///
    /// - Throws: `WeightStorageError.unknownSetting` for any other value.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       fallback: WeightStorage = .automatic) throws -> WeightStorage {
        guard let raw = environment[environmentKey], !raw.isEmpty else { return fallback }
        guard let storage = WeightStorage(rawValue: raw.lowercased()) else {
            throw WeightStorageError.unknownSetting(raw)
        }
        return storage
    }

    /// `automatic` keeps matrices quantized when their F32 form would take more than this:
    /// 1 GiB, or a quarter of the memory available if that is less. SmolLM2-135M's matrices are
    /// 0.42 GB in F32 (F32 is faster there, README "Bigger models"); Llama-3.2-1B's are 4.9 GB.
    public static func automaticLimit(availableBytes: Int) -> Int {
        min(1 << 30, availableBytes / 4)
    }

    /// Whether matrices whose F32 form takes `f32Bytes` stay quantized under this setting.
    public func keepsQuantized(f32Bytes: Int, availableBytes: Int) -> Bool {
        switch self {
        case .f32: false
        case .quantized: true
        case .automatic: f32Bytes > Self.automaticLimit(availableBytes: availableBytes)
        }
    }
}

/// Memory the process can still take: Linux's `MemAvailable` (free plus reclaimable page cache),
/// else the physical memory.
public enum MemoryBudget {
    public static func availableBytes() -> Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let fields = line.split(separator: " ")
                if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
            }
        }
        return Int(clamping: ProcessInfo.processInfo.physicalMemory)
    }

    /// "4.93 GB" (decimal units, as `ls -lh --si` and the README write sizes).
    public static func format(_ bytes: Int) -> String {
        let gb = Double(bytes) / 1e9
        return gb >= 1 ? String(format: "%.2f GB", gb) : String(format: "%.0f MB", Double(bytes) / 1e6)
    }
}

/// Why a model's weights were not set up in memory.
public enum WeightStorageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `MASKSCOPE_WEIGHTS` holds something other than f32, quantized or auto.
    case unknownSetting(String)
    /// Loading would need `neededBytes` of memory (weights as they would be held, plus the
    /// largest one's transient copies during load), more than the `availableBytes` left.
    case wouldNotFit(model: String, neededBytes: Int, availableBytes: Int, fileBytes: Int, advice: String)

    public var description: String {
        switch self {
        case let .unknownSetting(value):
            return "\(WeightStorage.environmentKey)=\(value) is not a weight storage; use f32, quantized or auto"
        case let .wouldNotFit(model, needed, available, fileBytes, advice):
            return "\(model): loading needs \(MemoryBudget.format(needed)) of memory for its weights "
                + "(file \(MemoryBudget.format(fileBytes))), but only \(MemoryBudget.format(available)) is available; \(advice)"
        }
    }
}
