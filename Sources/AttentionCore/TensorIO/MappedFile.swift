#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A whole file mapped read-only into memory, unmapped when the last reference goes.
///
/// Pages are read from disk only when touched, so opening a 90 MB checkpoint costs nothing
/// until its tensors are read. The file must not be truncated by another process while
/// mapped (the kernel would then fault on the missing pages).
final class MappedFile: @unchecked Sendable {
    /// The mapped bytes; never written, so sharing across threads is safe.
    let bytes: UnsafeRawBufferPointer

    /// - Throws: `SafeTensorsError.cannotOpen` naming the path and the system's reason,
    ///   `SafeTensorsError.tooShort` for files under `minimumByteCount` bytes (an empty file cannot be mapped).
    init(url: URL, minimumByteCount: Int) throws {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SafeTensorsError.cannotOpen(file: url, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SafeTensorsError.cannotOpen(file: url, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            let isFolder = (status.st_mode & S_IFMT) == S_IFDIR
            throw SafeTensorsError.cannotOpen(file: url, reason: isFolder ? "it is a folder, not a file" : "not a regular file")
        }
        guard let byteCount = Int(exactly: status.st_size), byteCount >= minimumByteCount else {
            throw SafeTensorsError.tooShort(file: url, byteCount: Int(status.st_size))
        }

        let failed = UnsafeMutableRawPointer(bitPattern: -1)
        guard let base = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, descriptor, 0), base != failed else {
            throw SafeTensorsError.cannotOpen(file: url, reason: "mmap failed: " + String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: base, count: byteCount)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
