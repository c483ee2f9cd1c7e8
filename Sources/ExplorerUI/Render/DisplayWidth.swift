/// How many terminal columns text occupies, with `wcwidth` semantics, in pure Swift.
///
/// Layout must agree with what the terminal will draw, or every column after a CJK token or
/// an emoji shifts. The rules, per Unicode scalar:
/// - C0/C1 controls, DEL, U+2028/U+2029: 0 (not drawn; callers should not emit them).
/// - Nonspacing and enclosing marks, format characters (ZWJ, ZWSP, variation selectors,
///   BOM), Hangul medial vowels and final consonants (U+1160–U+11FF, U+D7B0–U+D7FF): 0.
/// - East Asian Wide and Fullwidth (CJK, Hangul syllables, fullwidth forms, most emoji): 2.
/// - Everything else: 1.
///
/// Per `Character` (a grapheme cluster, the unit a cursor moves over): an emoji presentation
/// sequence — an emoji with default emoji presentation, or followed by U+FE0F, a skin-tone
/// modifier, a keycap, or a ZWJ sequence, or a regional-indicator flag — is 2 columns;
/// otherwise the scalar widths are summed, as `wcswidth` does.
///
/// Checked against glibc 2.36's `wcwidth` in the C.UTF-8 locale over every code point: the
/// only differences are code points unassigned in Unicode 14 but known to Swift's newer
/// Unicode data (glibc says -1, we say 0, 1 or 2 by their properties), U+1171E (a mark that
/// became spacing), and the controls and line/paragraph separators (glibc -1, we 0).
public enum DisplayWidth {
    /// Columns of one Unicode scalar: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x0300 { return 1 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(value) { return 2 }
        return isEmojiAddedAfterTable(scalar) ? 2 : 1
    }

    /// Columns of one grapheme cluster: 0, 1 or 2 (sums of non-emoji clusters such as a
    /// Devanagari conjunct can exceed 2, exactly as the terminal draws them).
    public static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return of(first) }
        if isEmojiSequence(scalars) { return 2 }
        return scalars.reduce(0) { $0 + of($1) }
    }

    /// Columns of a string: the sum over its grapheme clusters.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// `text` cut to at most `width` columns, ending in `ellipsis` when anything was cut.
    ///
    /// A wide character that would straddle the limit is dropped whole, so the result can be
    /// one column narrower than `width`; use `fit(_:toWidth:)` for an exact width. When even
    /// the ellipsis does not fit, the text is cut without one.
    public static func truncate(_ text: String, toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let ellipsisWidth = of(ellipsis)
        let marker = ellipsisWidth <= width ? ellipsis : ""
        let budget = width - of(marker)
        var kept = ""
        var used = 0
        for character in text {
            let columns = of(character)
            if used + columns > budget { break }
            kept.append(character)
            used += columns
        }
        return kept + marker
    }

    /// Where `pad` puts the text inside the padded width.
    public enum Alignment: Sendable {
        case left, right, center
    }

    /// `text` padded with spaces to `width` columns. Text already at least `width` wide is
    /// returned unchanged (see `fit` to also truncate). `.center` puts an odd space on the right.
    public static func pad(_ text: String, toWidth width: Int, alignment: Alignment = .left) -> String {
        let missing = width - of(text)
        guard missing > 0 else { return text }
        switch alignment {
        case .left:
            return text + String(repeating: " ", count: missing)
        case .right:
            return String(repeating: " ", count: missing) + text
        case .center:
            let left = missing / 2
            return String(repeating: " ", count: left) + text + String(repeating: " ", count: missing - left)
        }
    }

    /// `text` truncated (with ellipsis) and padded to exactly `width` columns: a table cell.
    public static func fit(_ text: String, toWidth width: Int, alignment: Alignment = .left, ellipsis: String = "…") -> String {
        pad(truncate(text, toWidth: width, ellipsis: ellipsis), toWidth: width, alignment: alignment)
    }

    // MARK: - Rules

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .lineSeparator, .paragraphSeparator:
            return true
        case .format:
            return !prependedConcatenationMarks.contains(value)
        default:
            return false
        }
    }

    /// Format characters that are drawn as a visible sign spanning the following digits, so
    /// `wcwidth` gives them one column (Unicode property Prepended_Concatenation_Mark, which
    /// `Unicode.Scalar.Properties` does not expose).
    private static let prependedConcatenationMarks: Set<UInt32> = [
        0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891,
        0x08E2, 0x110BD, 0x110CD,
    ]

    private static func isEmojiSequence(_ scalars: Character.UnicodeScalarView) -> Bool {
        guard let first = scalars.first else { return false }
        let properties = first.properties
        if (0x1F1E6...0x1F1FF).contains(first.value) { return true }
        guard properties.isEmoji else { return false }
        if properties.isEmojiPresentation { return true }
        for scalar in scalars.dropFirst() {
            switch scalar.value {
            case 0xFE0F, 0x20E3, 0x200D, 0x1F3FB...0x1F3FF:
                return true
            default:
                continue
            }
        }
        return false
    }

    /// Emoji assigned after Unicode 14 (which `wideRanges` follows) that Swift's own Unicode
    /// data knows; every emoji with default emoji presentation is East Asian Wide except the
    /// regional indicators, which are one column each until they pair into a flag.
    private static func isEmojiAddedAfterTable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x1F000 && !(0x1F1E6...0x1F1FF).contains(scalar.value)
            && scalar.properties.isEmojiPresentation
    }

    private static func isWide(_ value: UInt32) -> Bool {
        if value < wideRanges[0].lowerBound { return false }
        if (0x20000...0x2FFFD).contains(value) || (0x30000...0x3FFFD).contains(value) { return true }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// East_Asian_Width W and F of Unicode 14 (plus U+3248–U+324F and U+4DC0–U+4DFF, which
    /// glibc also draws wide): exactly the width-2 code points of glibc 2.36's `wcwidth` in
    /// C.UTF-8 below plane 2, as sorted inclusive ranges (dumped by a C loop over `wcwidth`).
    /// Planes 2 and 3 (CJK extensions) are wide as a whole and handled in `isWide`.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x2FFB, 0x3000...0x3029,
        0x302E...0x303E, 0x3041...0x3096, 0x309B...0x30FF, 0x3105...0x312F, 0x3131...0x318E,
        0x3190...0x31E3, 0x31F0...0x321E, 0x3220...0xA48C, 0xA490...0xA4C6, 0xA960...0xA97C,
        0xAC00...0xD7A3, 0xF900...0xFA6D, 0xFA70...0xFAD9, 0xFE10...0xFE19, 0xFE30...0xFE52,
        0xFE54...0xFE66, 0xFE68...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE3,
        0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5, 0x18D00...0x18D08, 0x1AFF0...0x1AFF3,
        0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE, 0x1B000...0x1B122, 0x1B150...0x1B152, 0x1B164...0x1B167,
        0x1B170...0x1B2FB, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
        0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
        0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440,
        0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
        0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DD...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
        0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FA74, 0x1FA78...0x1FA7C, 0x1FA80...0x1FA86, 0x1FA90...0x1FAAC, 0x1FAB0...0x1FABA,
        0x1FAC0...0x1FAC5, 0x1FAD0...0x1FAD9, 0x1FAE0...0x1FAE7, 0x1FAF0...0x1FAF6,
    ]
}

extension StringProtocol {
    /// Terminal columns this text occupies (see `DisplayWidth`).
    public var displayWidth: Int { DisplayWidth.of(self) }
}

extension Character {
    /// Terminal columns this grapheme cluster occupies (see `DisplayWidth`).
    public var displayWidth: Int { DisplayWidth.of(self) }
}
