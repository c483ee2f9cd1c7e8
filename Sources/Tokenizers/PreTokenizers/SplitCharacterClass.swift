/// How the byte-level split regexes see one Unicode scalar: `\p{L}`, `\p{N}`, `\s` or none of
/// them. Letters are the general categories Lu Ll Lt Lm Lo, numbers Nd Nl No, whitespace the
/// White_Space property — what Oniguruma (inside `tokenizers`) and Python `regex` use.
enum SplitCharacterClass: UInt8, Sendable {
    case letter
    case number
    case whitespace
    /// `[^\s\p{L}\p{N}]`: punctuation, symbols, marks, emoji, controls that are not spaces.
    case other

    init(_ scalar: Unicode.Scalar) {
        if scalar.isASCII {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A: self = .letter
            case 0x30...0x39: self = .number
            case 0x09...0x0D, 0x20: self = .whitespace
            default: self = .other
            }
            return
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            self = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            self = .number
        default:
            self = scalar.properties.isWhitespace ? .whitespace : .other
        }
    }
}
