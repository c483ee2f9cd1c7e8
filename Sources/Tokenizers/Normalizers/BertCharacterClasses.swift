/// How BERT's normalizer and pre-tokenizer classify single Unicode scalars, exactly as
/// Hugging Face `tokenizers` (0.23) does.
///
/// `tokenizers` takes categories from the `unicode_categories` crate, which carries
/// Unicode 8.0 data: characters assigned later are neither punctuation, marks nor format
/// characters to it (an emoji format character from Unicode 9 is kept, not removed).
/// The tables here reproduce that with the scalar's `age`, plus the few scalars whose
/// category has changed since 8.0. The whole code space is checked against
/// Tests/Fixtures/tokenizer/unicode-classes.json.
public enum BertCharacterClasses {
    /// Scalars whose general category changed after Unicode 8.0, with their 8.0 category.
    private static let punctuationIn8: Set<UInt32> = [0x166D, 0x111C9]
    private static let nonspacingMarkIn8: Set<UInt32> = [0x1734, 0x1171E]
    private static let notNonspacingMarkIn8: Set<UInt32> = [0x1885, 0x1886, 0xA9BD, 0x111C9]

    private static func assignedByUnicode8(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// Removed by `clean_text`: NUL, U+FFFD, and control/format/private-use characters
    /// (Unicode 8.0 Cc, Cf, Co) other than tab, newline and carriage return.
    static func isRemovedByCleanText(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0 || value == 0xFFFD { return true }
        if value == 0x09 || value == 0x0A || value == 0x0D { return false }
        if value < 0x20 || value == 0x7F { return true }
        if value < 0x80 { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate:
            return assignedByUnicode8(scalar)
        default:
            return false
        }
    }

    /// Unicode White_Space (Rust's `char::is_whitespace`), tab/newline/CR included.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Split off as a one-character word: ASCII symbols and punctuation (33–47, 58–64,
    /// 91–96, 123–126, so `$ + < = > ^ \` | ~` too) and Unicode 8.0 punctuation (P*).
    /// Non-ASCII symbols (`±`, `×`, `€`, `→`) are not punctuation and stay inside words.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (33...47).contains(value) || (58...64).contains(value)
                || (91...96).contains(value) || (123...126).contains(value)
        }
        if punctuationIn8.contains(value) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return assignedByUnicode8(scalar)
        default:
            return false
        }
    }

    /// A combining mark that `strip_accents` deletes after NFD (Unicode 8.0 Mn).
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x300 { return false }
        if nonspacingMarkIn8.contains(value) { return true }
        if notNonspacingMarkIn8.contains(value) { return false }
        return scalar.properties.generalCategory == .nonspacingMark && assignedByUnicode8(scalar)
    }

    /// An ideograph BERT isolates as its own word: the CJK ranges `tokenizers` lists
    /// (its Extension C/D boundary leaves U+2B820–U+2B91F out, and so do we).
    public static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
