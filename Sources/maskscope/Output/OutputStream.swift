#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes on their way to a file descriptor, collected in a buffer and written in large
/// chunks, so that tens of millions of small appends (JSON numbers, CSV cells) cost one
/// `write(2)` per megabyte rather than one each.
struct OutputStream {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let chunkSize: Int

    init(descriptor: Int32 = 1, chunkSize: Int = 1 << 20) {
        self.descriptor = descriptor
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 4096)
    }

    static var standardOutput: OutputStream { OutputStream(descriptor: 1) }

    mutating func append(_ byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count >= chunkSize { try flush() }
    }

    mutating func append(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= chunkSize { try flush() }
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    mutating func append(bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    /// Writes everything buffered so far, retrying short and interrupted writes.
    mutating func flush() throws {
        var written = 0
        let total = buffer.count
        try buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while written < total {
                let result = write(descriptor, base + written, total - written)
                if result < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw OutputError.writeFailed(reason: String(cString: strerror(code)))
                }
                written += result
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Output that could not be written (a closed pipe, a full disk).
enum OutputError: Error, CustomStringConvertible {
    case writeFailed(reason: String)

    var description: String {
        switch self {
        case .writeFailed(let reason): return "could not write the output: \(reason)"
        }
    }
}

/// Writes a message and a newline to standard error, unbuffered.
func printToStandardError(_ message: String) {
    var stream = OutputStream(descriptor: 2, chunkSize: 1 << 16)
    try? stream.append(message + "\n")
    try? stream.flush()
}
