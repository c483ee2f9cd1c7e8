import Foundation

/// Why a file could not be read, in words a user can act on, instead of Foundation's
/// "The operation could not be completed. (NSCocoaErrorDomain error 256.)".
///
/// Looks at the path itself (missing, a dangling symbolic link, a folder, not readable) and
/// falls back to the POSIX error underneath Foundation's, so every loader (config.json,
/// vocabularies, themes, lessons, sessions) says the same thing for the same problem.
public enum FileReadProblem {
    public static func reason(for url: URL, error: (any Error)? = nil) -> String {
        let path = url.path
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if !manager.fileExists(atPath: path, isDirectory: &isFolder) {
            if let target = try? manager.destinationOfSymbolicLink(atPath: path) {
                return "it is a symbolic link to \(target), which does not exist"
            }
            return "no such file"
        }
        if isFolder.boolValue { return "it is a folder, not a file" }
        if !manager.isReadableFile(atPath: path) { return "permission denied (the file is not readable by this user)" }
        if let error { return posixReason(error) ?? "it could not be read" }
        return "it could not be read"
    }

    /// The POSIX error message under a Foundation error, if it carries one.
    public static func posixReason(_ error: any Error) -> String? {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nil
    }
}
