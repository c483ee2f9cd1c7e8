/// A streaming JSON writer: values go straight into an `OutputStream` as bytes, with no
/// intermediate tree, so a 512-token MiniLM attention dump (19 million floats) is written in
/// one pass with memory bounded by the stream's chunk size.
///
/// The caller is responsible for the structure (matching `beginObject`/`endObject`); the
/// writer inserts the commas between members and elements.
struct JSONOutput {
    var stream: OutputStream
    /// One entry per open container: whether it already holds a member or element.
    private var containerHasContent: [Bool] = []
    /// True right after `key(_:)`, when the next value belongs to that key.
    private var afterKey = false

    init(stream: OutputStream = .standardOutput) {
        self.stream = stream
    }

    mutating func beginObject() throws { try beforeValue(); try stream.append(UInt8(ascii: "{")); containerHasContent.append(false) }
    mutating func endObject() throws { containerHasContent.removeLast(); try stream.append(UInt8(ascii: "}")) }
    mutating func beginArray() throws { try beforeValue(); try stream.append(UInt8(ascii: "[")); containerHasContent.append(false) }
    mutating func endArray() throws { containerHasContent.removeLast(); try stream.append(UInt8(ascii: "]")) }

    /// Writes an object member's name; the next value written is its value.
    mutating func key(_ name: String) throws {
        try separate()
        try JSONOutput.appendQuoted(name, to: &stream)
        try stream.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String) throws {
        try beforeValue()
        try JSONOutput.appendQuoted(value, to: &stream)
    }

    mutating func int(_ value: Int) throws {
        try beforeValue()
        try stream.append(String(value))
    }

    mutating func bool(_ value: Bool) throws {
        try beforeValue()
        try stream.append(value ? "true" : "false")
    }

    /// Shortest text that reads back as the same `Float`; `null` for NaN and infinities,
    /// which JSON cannot represent.
    mutating func float(_ value: Float) throws {
        try beforeValue()
        try JSONOutput.appendNumber(value, to: &stream)
    }

    /// A probability or divergence in full double precision; `null` when not finite.
    mutating func double(_ value: Double) throws {
        try beforeValue()
        try stream.append(value.isFinite ? String(value) : "null")
    }

    mutating func strings(_ values: [String]) throws {
        try beginArray()
        for value in values { try string(value) }
        try endArray()
    }

    mutating func ints(_ values: [Int]) throws {
        try beginArray()
        for value in values { try int(value) }
        try endArray()
    }

    /// An array of floats, written without per-element bookkeeping (the hot path).
    mutating func floats<C: Collection>(_ values: C) throws where C.Element == Float {
        try beforeValue()
        try stream.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { try stream.append(UInt8(ascii: ",")) }
            first = false
            try JSONOutput.appendNumber(value, to: &stream)
        }
        try stream.append(UInt8(ascii: "]"))
    }

    /// Ends the document with a newline and writes out whatever is buffered.
    mutating func finish() throws {
        try stream.append(UInt8(ascii: "\n"))
        try stream.flush()
    }

    private mutating func beforeValue() throws {
        if afterKey { afterKey = false; return }
        try separate()
    }

    private mutating func separate() throws {
        guard let last = containerHasContent.indices.last else { return }
        if containerHasContent[last] { try stream.append(UInt8(ascii: ",")) }
        containerHasContent[last] = true
    }

    /// `Float.description` is the shortest round-trip form ("0.1", "1e-05", "3.4028235e+38"),
    /// all valid JSON numbers. Integral values drop the ".0" Swift adds.
    static func appendNumber(_ value: Float, to stream: inout OutputStream) throws {
        guard value.isFinite else { try stream.append("null"); return }
        if value == 0 { try stream.append(value.sign == .minus ? "-0" : "0"); return }
        var text = value.description
        try text.withUTF8 { utf8 in
            let integral = utf8.count > 2 && utf8[utf8.count - 2] == UInt8(ascii: ".") && utf8[utf8.count - 1] == UInt8(ascii: "0")
            try stream.append(bytes: UnsafeBufferPointer(rebasing: utf8[0 ..< utf8.count - (integral ? 2 : 0)]))
        }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`, … or
    /// `\u00XX`, everything else (non-ASCII included) kept as UTF-8.
    static func appendQuoted(_ text: String, to stream: inout OutputStream) throws {
        try stream.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                try stream.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: try stream.append(byte)
            }
        }
        try stream.append(UInt8(ascii: "\""))
    }
}
