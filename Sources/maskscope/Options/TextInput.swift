import ArgumentParser
import Foundation
import Tokenizers

/// The text every command analyses: a TEXT argument (or `-` for standard input), an optional
/// second segment and optional padding.
struct TextInput: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "The sentence to analyse, or - to read UTF-8 text from standard input (one trailing newline is dropped). Put -- before a text that starts with -.",
        valueName: "text"))
    var text: String

    @Option(help: ArgumentHelp(
        "A second text, encoded as a pair by the tokenizer's template (BERT: [CLS] TEXT [SEP] PAIR [SEP], type id 1 for the pair's tokens; a decoder: its pair template, often TEXT PAIR).",
        valueName: "text"))
    var pair: String?

    @Option(name: .customLong("pad-to"), help: ArgumentHelp(
        "Append the pad token ([PAD] on BERT) until there are N positions (special tokens included); padding starts with mask value 0.",
        valueName: "n"))
    var padTo: Int?

    @Option(name: .customLong("pad-side"), help: ArgumentHelp(
        "Where --pad-to's padding goes: right (after the text, transformers' default) or left (before it, as decoder batches are padded for generation; positions still count 0, 1, 2… from the first pad).",
        valueName: "side"))
    var padSide: PaddingSide = .right

    func validate() throws {
        if let padTo, padTo < 1 {
            throw ValidationError("--pad-to must be a positive number of token positions, not \(padTo)")
        }
        if padSide != .right, padTo == nil {
            throw ValidationError("--pad-side \(padSide.rawValue) needs --pad-to N: it says where that padding goes")
        }
    }

    /// The text to analyse, read from standard input when TEXT is `-`.
    func resolvedText(standardInput: () throws -> Data = { try StandardInput.readAll() }) throws -> String {
        guard text == "-" else { return text }
        return try TextDecoding.standardInputText(try standardInput())
    }
}

/// Reading standard input to its end with `read(2)`, so a closed descriptor or a folder is
/// an error with a message rather than the trap `FileHandle.readDataToEndOfFile` dies of.
enum StandardInput {
    static func readAll(descriptor: Int32 = STDIN_FILENO) throws -> Data {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw TextInputError.standardInputUnavailable(reason: errno == EBADF ? "it is closed" : String(cString: strerror(errno)))
        }
        if status.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR) {
            throw TextInputError.standardInputUnavailable(reason: "it is a folder, not a file or a pipe")
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                return data
            } else if errno != EINTR {
                throw TextInputError.standardInputUnavailable(reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// Turning bytes read from standard input into text.
enum TextDecoding {
    /// Decodes UTF-8 bytes, dropping a leading byte-order mark and one trailing newline
    /// (`\n` or `\r\n`), as `echo` and editors add them.
    static func standardInputText(_ data: Data) throws -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.last == 0x0A {
            bytes.removeLast()
            if bytes.last == 0x0D { bytes.removeLast() }
        }
        if let offset = firstInvalidUTF8Offset(bytes) {
            let bomShift = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            throw TextInputError.invalidUTF8(offset: offset + bomShift, byte: bytes[offset])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence
    /// (overlong forms, surrogates and code points past U+10FFFF included), or nil.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            for continuation in 1..<length {
                let position = index + continuation
                guard position < bytes.count else { return index }
                let byte = bytes[position]
                let (low, high) = continuation == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= low, byte <= high else { return index }
            }
            index += length
        }
        return nil
    }
}

/// Input text that cannot be used.
enum TextInputError: Error, CustomStringConvertible, Equatable {
    /// `offset` counts bytes from the start of standard input, 0-based.
    case invalidUTF8(offset: Int, byte: UInt8)
    /// TEXT is `-` but standard input cannot be read (closed, a folder, a read error).
    case standardInputUnavailable(reason: String)

    var description: String {
        switch self {
        case let .standardInputUnavailable(reason):
            return "the text is - (read standard input), but standard input cannot be read: \(reason); pipe the text in (echo \"…\" | maskscope …) or pass it as an argument"
        case let .invalidUTF8(offset, byte):
            let hex = String(byte, radix: 16, uppercase: true)
            return "standard input is not valid UTF-8: byte \(offset) (0x\(hex.count == 1 ? "0" + hex : hex)) does not start a well-formed UTF-8 sequence; convert the text to UTF-8 (e.g. iconv -t UTF-8)"
        }
    }
}
