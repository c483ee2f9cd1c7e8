/// Finds the invalid TOML that toml++ (inside TOMLKit) aborts on, before the text reaches it.
///
/// Why: toml++ checks some of its parser's preconditions with assertions rather than errors, so
/// a few bytes of broken theme or lesson file aborted Maskscope, and where assertions are
/// compiled out its parser goes on past a broken assumption. Found by Fuzz/Targets/ThemeTOMLFuzz:
/// - a table header whose key starts with a character no key can start with: `[=`, `[[ #`,
///   `[.a]`, `[` then a line break (fixed upstream in tomlplusplus PR #301, not in our TOMLKit);
/// - `}` where an array expects a value: `a = [}`, `a = [1, }`;
/// - a date or time that is not one: `1974-05-27Td`. Rather than chase every assertion of the
///   date, time and number parsers, a bare value must be `true`, `false` or a TOML number: no
///   theme or lesson key takes a date or a time, so those were errors anyway.
/// Everything refused is either invalid TOML or a date or time, so refusing it first loses nothing.
enum TOMLParserGuard {
    /// The first such place: 1-based line and column (in Unicode scalars) of the offending
    /// character, and a sentence for the user. Nil when toml++ can be given the text.
    static func firstProblem(in text: String) -> (line: Int, column: Int, reason: String)? {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        var index = 0, line = 1, lineStart = 0
        if scalars.first == "\u{FEFF}" { index = 1; lineStart = 1 }  // toml++ skips a byte-order mark
        /// Open `[` and `{` of values, innermost last: a multi-line array's lines are values, not headers.
        var open: [Unicode.Scalar] = []
        var atStatementStart = true
        /// After `=`, or `[` and `,` in an array: the next bare word is a value.
        var expectValue = false

        func newline(at position: Int) {
            line += 1
            lineStart = position + 1
        }
        /// Moves past a string that opens at `index`, counting the lines a multi-line one spans.
        func skipString() {
            let quote = scalars[index]
            let basic = quote == "\""
            if index + 2 < count, scalars[index + 1] == quote, scalars[index + 2] == quote {
                index += 3
                while index < count {
                    if basic, scalars[index] == "\\" { index += 2; continue }
                    if scalars[index] == "\n" { newline(at: index) }
                    if index + 2 < count, scalars[index] == quote, scalars[index + 1] == quote, scalars[index + 2] == quote {
                        index += 3
                        while index < count, scalars[index] == quote { index += 1 }  // up to two quotes may end the content
                        return
                    }
                    index += 1
                }
                return
            }
            index += 1
            while index < count, scalars[index] != "\n" {
                if basic, scalars[index] == "\\" { index += 2; continue }
                if scalars[index] == quote { index += 1; return }
                index += 1
            }
        }

        while index < count {
            let scalar = scalars[index]
            switch scalar {
            case "\n":
                newline(at: index)
                if open.isEmpty { atStatementStart = true; expectValue = false }
                index += 1
            case " ", "\t", "\r":
                index += 1
            case "#":
                while index < count, scalars[index] != "\n" { index += 1 }
            case "\"", "'":
                skipString()
                atStatementStart = false
                expectValue = false
            case "[" where open.isEmpty && atStatementStart:
                var keyStart = index + 1
                if keyStart < count, scalars[keyStart] == "[" { keyStart += 1 }
                while keyStart < count, scalars[keyStart] == " " || scalars[keyStart] == "\t" { keyStart += 1 }
                if keyStart < count {
                    let first = scalars[keyStart]
                    guard isBareKeyScalar(first) || first == "\"" || first == "'" || first == "]" else {
                        let shown = first == "\n" || first == "\r" ? "the end of the line" : "'\(first.escaped(asASCII: false))'"
                        return (line, keyStart - lineStart + 1,
                                "a table header needs a key after '[' (letters, digits, '_', '-', or a quoted key), but it has \(shown)")
                    }
                }
                // The rest of the header is keys and closing brackets, on this line.
                index = keyStart
                while index < count, scalars[index] != "\n", scalars[index] != "#" {
                    if scalars[index] == "\"" || scalars[index] == "'" { skipString() } else { index += 1 }
                }
                atStatementStart = false
            case "[", "{":
                open.append(scalar)
                expectValue = scalar == "[" && expectValue
                atStatementStart = false
                index += 1
            case "}" where open.last == "[":
                return (line, index - lineStart + 1, "'}' inside an array, where a value or the closing ']' should be")
            case "]", "}":
                _ = open.popLast()
                atStatementStart = false
                expectValue = false
                index += 1
            case "=":
                expectValue = true
                atStatementStart = false
                index += 1
            case ",":
                expectValue = open.last == "["
                index += 1
            default:
                atStatementStart = false
                guard expectValue else { index += 1; continue }
                let start = index
                while index < count, !" \t\r\n,]}#".unicodeScalars.contains(scalars[index]) { index += 1 }
                let word = String(String.UnicodeScalarView(scalars[start..<index]))
                guard isBareValue(word) else {
                    return (line, start - lineStart + 1,
                            "'\(word)' is not a value Maskscope reads: write text in quotes, a number, true or false")
                }
                expectValue = false
            }
        }
        return nil
    }

    /// `true`, `false`, and TOML 1.0's integers (decimal, 0x, 0o, 0b) and floats (with `inf`, `nan`).
    private static func isBareValue(_ word: String) -> Bool {
        if word == "true" || word == "false" { return true }
        var rest = Substring(word)
        let signed = rest.first == "+" || rest.first == "-"
        if signed { rest = rest.dropFirst() }
        if rest == "inf" || rest == "nan" { return true }
        let decimal: (Character) -> Bool = { ("0"..."9").contains($0) }
        if !signed, rest.count > 2, rest.first == "0", let base = rest.dropFirst().first, "xob".contains(base) {
            let digit: (Character) -> Bool = base == "x" ? { $0.isHexDigit } : base == "o" ? { ("0"..."7").contains($0) } : { $0 == "0" || $0 == "1" }
            return isDigitRun(rest.dropFirst(2), digit)
        }
        let exponentStart = rest.firstIndex { $0 == "e" || $0 == "E" }
        var mantissa = rest[..<(exponentStart ?? rest.endIndex)]
        if let exponentStart {
            var exponent = rest[rest.index(after: exponentStart)...]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard isDigitRun(exponent, decimal) else { return false }
        }
        if let dot = mantissa.firstIndex(of: ".") {
            guard isDigitRun(mantissa[mantissa.index(after: dot)...], decimal) else { return false }
            mantissa = mantissa[..<dot]
        }
        return isDigitRun(mantissa, decimal) && (mantissa == "0" || mantissa.first != "0")
    }

    /// Digits with single underscores between them.
    private static func isDigitRun(_ text: Substring, _ isDigit: (Character) -> Bool) -> Bool {
        guard let first = text.first, let last = text.last, isDigit(first), isDigit(last) else { return false }
        return !text.contains("__") && text.allSatisfy { isDigit($0) || $0 == "_" }
    }

    private static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }
}
