/// A token of the claim language, with the 0-based character offset where it starts.
struct ClaimToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case word(String)
        case number(Double, text: String)
        case string(String)
        /// `( ) , = * .. - == != <= >= < >`
        case symbol(String)
        case end
    }
    let kind: Kind
    let offset: Int

    /// How the token reads in an error message.
    var shown: String {
        switch kind {
        case .word(let word): return "'\(word)'"
        case .number(_, let text): return text
        case .string(let text): return "'\(text)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end of the claim"
        }
    }
}

/// Splits a claim into tokens. Words are letters, digits and `_` starting with a letter;
/// numbers are decimal (`0.5`, `1e-4`; `1..3` is 1, `..`, 3); strings are in '…' or "…"
/// (a claim sits inside a TOML string, so '…' needs no escaping there).
enum ClaimLexer {
    static func tokens(of text: String) throws(ClaimParseError) -> [ClaimToken] {
        let characters = Array(text)
        var tokens: [ClaimToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let start = index
            if character == " " || character == "\t" {
                index += 1
            } else if character.isLetter || character == "_" {
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                    index += 1
                }
                tokens.append(ClaimToken(kind: .word(String(characters[start..<index])), offset: start))
            } else if character.isASCII, character.isNumber {
                while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isASCII, characters[index + 1].isNumber {
                    index += 1
                    while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                }
                if index < characters.count, characters[index] == "e" || characters[index] == "E" {
                    var look = index + 1
                    if look < characters.count, characters[look] == "-" || characters[look] == "+" { look += 1 }
                    if look < characters.count, characters[look].isASCII, characters[look].isNumber {
                        index = look
                        while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                    }
                }
                let written = String(characters[start..<index])
                guard let value = Double(written) else {
                    throw ClaimParseError(column: start + 1, message: "'\(written)' is not a number")
                }
                tokens.append(ClaimToken(kind: .number(value, text: written), offset: start))
            } else if character == "'" || character == "\"" {
                index += 1
                while index < characters.count, characters[index] != character { index += 1 }
                guard index < characters.count else {
                    throw ClaimParseError(column: start + 1, message: "the string opened here is not closed: add \(character)")
                }
                tokens.append(ClaimToken(kind: .string(String(characters[(start + 1)..<index])), offset: start))
                index += 1
            } else {
                let two = index + 1 < characters.count ? String(characters[index...index + 1]) : ""
                if ["==", "!=", "<=", ">=", ".."].contains(two) {
                    tokens.append(ClaimToken(kind: .symbol(two), offset: start))
                    index += 2
                } else if "(),=*<>-".contains(character) {
                    tokens.append(ClaimToken(kind: .symbol(String(character)), offset: start))
                    index += 1
                } else if character == "≠" || character == "≤" || character == "≥" {
                    let ascii = ["≠": "!=", "≤": "<=", "≥": ">="][String(character)] ?? ""
                    throw ClaimParseError(column: start + 1, message: "write '\(ascii)' for '\(character)'")
                } else {
                    throw ClaimParseError(column: start + 1, message: "unexpected character '\(character)'")
                }
            }
        }
        tokens.append(ClaimToken(kind: .end, offset: characters.count))
        return tokens
    }
}
