import AttentionCore
import Foundation
import Tokenizers

/// `--mask` values: a SPEC, or `@FILE` for a preset file (what the explorer's `w` writes).
enum MaskArgument {
    static func parse(_ argument: String) throws -> MaskSpec {
        guard argument.hasPrefix("@") else { return try MaskSpec(parsing: argument) }
        let path = (String(argument.dropFirst()) as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MaskPresetError.unreadable(path, FileReadProblem.reason(for: URL(fileURLWithPath: path)))
        }
        guard let text = String(data: data, encoding: .utf8) else { throw MaskPresetError.notUTF8(path) }
        do {
            return try MaskSpec(preset: text)
        } catch {
            throw MaskPresetError.invalid(path, "\(error)")
        }
    }
}

/// A mask preset file that cannot be used.
enum MaskPresetError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case notUTF8(String)
    case invalid(String, String)

    var description: String {
        switch self {
        case let .unreadable(path, reason): return "mask preset \(path) cannot be read: \(reason)"
        case .notUTF8(let path): return "mask preset \(path) is not UTF-8 text"
        case let .invalid(path, reason): return "mask preset \(path): \(reason)"
        }
    }
}
