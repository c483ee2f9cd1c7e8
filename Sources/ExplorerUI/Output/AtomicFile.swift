import Foundation
import Tokenizers

/// Writes user files so that a crash or a full disk never leaves half a file: the bytes go to
/// a temporary file in the same folder, which is then renamed over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary, options: .withoutOverwriting)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                throw AtomicFileError.cannotReplace(url.path, reason)
            }
        } catch let error as AtomicFileError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw AtomicFileError.cannotWrite(url.path, FileReadProblem.posixReason(error) ?? "the temporary file beside it could not be written (is the folder there and writable?)")
        }
    }

    /// `folder/base.ext`, or `base-2.ext`, `base-3.ext`, … whichever does not exist yet.
    public static func unusedURL(in folder: URL, base: String, extension ext: String) -> URL {
        var candidate = folder.appendingPathComponent("\(base).\(ext)")
        var number = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = folder.appendingPathComponent("\(base)-\(number).\(ext)")
            number += 1
        }
        return candidate
    }
}

/// A user file that could not be written; the previous file, if any, is untouched.
public enum AtomicFileError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(String, String)
    case cannotReplace(String, String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "could not write \(path): \(reason)"
        case let .cannotReplace(path, reason): return "could not replace \(path): \(reason)"
        }
    }
}
