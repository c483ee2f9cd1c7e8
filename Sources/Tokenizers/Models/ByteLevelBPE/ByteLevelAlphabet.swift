/// GPT-2's byte ↔ character map: every byte gets a printable character so that a vocabulary of
/// byte strings can be stored as text. Printable Latin-1 bytes stand for themselves; the other 68
/// (controls, space, 0x7F–0xA0, 0xAD) take U+0100 onwards, in byte order, so a space is `Ġ`
/// (U+0120) and a newline `Ċ` (U+010A). This is `bytes_to_unicode()` of GPT-2 and `tokenizers`.
enum ByteLevelAlphabet {
    /// The character for each byte value 0…255.
    static let characterForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let keepsItself = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if keepsItself {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next) ?? " "
                next += 1
            }
        }
        return table
    }()

    /// The byte each alphabet character stands for, indexed by scalar value (the alphabet ends
    /// at U+0143); -1 for characters outside the alphabet. An array, not a dictionary: every
    /// token shown or decoded goes through it.
    private static let byteForScalarValue: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in characterForByte.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// The byte `scalar` stands for, or nil outside the alphabet.
    @inline(__always)
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalarValue.count, byteForScalarValue[value] >= 0 else { return nil }
        return UInt8(byteForScalarValue[value])
    }

    /// Spells raw bytes in the alphabet, as the vocabulary stores them.
    static func spell<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(characterForByte[Int(byte)]) }
        return String(text)
    }

    /// The bytes a vocabulary string stands for, or nil when a character is outside the alphabet
    /// (an added token such as a literal `<|im_start|>` spelled with other characters).
    static func bytes(of token: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// True when every character of `token` is in the alphabet.
    static func spellsBytes(_ token: String) -> Bool {
        token.unicodeScalars.allSatisfy { byte(for: $0) != nil }
    }

    /// The bytes `tokenizers`' ByteLevel decoder produces for one token: the alphabet's bytes, or
    /// the token's own UTF-8 when any character is outside the alphabet.
    static func decodedBytes(of token: String) -> [UInt8] {
        bytes(of: token) ?? Array(token.utf8)
    }
}
