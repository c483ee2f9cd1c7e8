import Foundation

/// A bounds-checked little-endian cursor over a GGUF file's bytes.
///
/// Every read checks the remaining length first and throws `GGUFError.truncated` naming what
/// was being read, so a parser built on it cannot read outside the buffer.
struct GGUFByteReader {
    let bytes: UnsafeRawBufferPointer
    let url: URL
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, url: URL) {
        self.bytes = bytes
        self.url = url
    }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes exist.
    func require(_ count: Int, for what: @autoclosure () -> String) throws {
        guard count <= remaining else {
            throw GGUFError.truncated(file: url, what: what(), offset: offset, needed: count, fileByteCount: bytes.count)
        }
    }

    mutating func skip(_ count: Int, for what: @autoclosure () -> String) throws {
        try require(count, for: what())
        offset += count
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, for what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, for: what())
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    /// The raw bytes of a length-prefixed GGUF string (u64 length, then UTF-8 without a NUL).
    mutating func stringBytes(for what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        let lengthOffset = offset
        let length = try read(UInt64.self, for: "the length of " + what())
        guard length <= UInt64(remaining) else {
            throw GGUFError.lengthBeyondFile(file: url, what: "the length of " + what(), length: length, offset: lengthOffset, fileByteCount: bytes.count)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + Int(length)])
        offset += Int(length)
        return slice
    }

    /// A string that must be valid UTF-8 (keys and tensor names).
    mutating func strictString(for what: @autoclosure () -> String) throws -> String {
        let start = offset
        let raw = try stringBytes(for: what())
        // Decoding replaces invalid sequences, so the text re-encodes to the same bytes only
        // when they were valid UTF-8 (`String(validating:)` needs macOS 15).
        let text = String(decoding: raw.bindMemory(to: UInt8.self), as: UTF8.self)
        guard text.utf8.elementsEqual(raw) else {
            throw GGUFError.notUTF8(file: url, what: what(), offset: start)
        }
        return text
    }

    /// A string value; invalid UTF-8 is replaced with U+FFFD, as llama.cpp tolerates it in
    /// token texts.
    mutating func lenientString(for what: @autoclosure () -> String) throws -> String {
        let raw = try stringBytes(for: what())
        return String(decoding: raw.bindMemory(to: UInt8.self), as: UTF8.self)
    }
}
