/// Parses the claim language of lesson `expect` lines: one claim states a fact about a step's
/// attention or next-token prediction that `maskscope lesson --check` verifies on the model.
///
/// ```text
/// claim      := comparison [scope] | state [scope]
/// comparison := quantity OP value
/// state      := subject "is" ["not"] ("uniform" | "closed" | "open")
/// quantity   := "weight(q=" pos ", k=" pos ")"      attention weight of one cell
///             | "sum(q=" pos ", k=" keys ")"        a row's weights summed over keys
///             | "moved(q=" pos ")"                  mass moved in a row vs. the unmasked run
///             | "kl" ["(q=" pos ")"]                KL(before ‖ after) of the next token, nats
///             | "top" N "(" run [", q=" pos] ")"    the N most probable next tokens
/// run        := "before" | "after"                  unmasked run | the step's mask
/// subject    := "row" pos | "key" pos | "cell(q=" pos ", k=" pos ")"
/// value      := number | 'token text' | quantity
/// OP         := "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "excludes"
/// pos        := N | -N | "last" | "*" | 'token text'
/// keys       := pos | [pos] ".." [pos]              inclusive, as in mask SPECs
/// scope      := "in" heads "of" layers | "in" layers ["head" N]
/// heads      := "head" N | "every head" | "mean of heads"
/// layers     := "layer" N | "layers" N ".." N | "every layer"
/// ```
///
/// Meanings:
/// - Positions count from 0 and include special tokens, as the explorer labels them; `-1`
///   and `last` are the last position; a token text (`'jumps'`, matched against the raw
///   token or its readable text, surrounding spaces ignored) must occur exactly once.
/// - `*` quantifies: `weight(q=*, k=0) > 0.5` holds when every row gives key 0 more than half.
/// - Without a scope a claim is about the layer and head the step shows. `in layer 2` and
///   `in every layer` mean every head there; `mean of heads` is the heads' average, as the
///   explorer's mean view shows it. A claim must hold in every selected layer and head.
/// - `==` and `!=` on numbers allow 1e-4 (the project's parity bar): `weight(…) == 0` is
///   true for 0.00003. `<`, `<=`, `>`, `>=` compare exactly. `uniform` uses the same 1e-4.
/// - A cell is `closed` when its logit bias is ≤ −1e30 (its weight is exactly 0 whatever the
///   score): masked under hf or hf4, outside a pattern, or after the query on a causal model.
///   A row or key is closed when all its cells are; `open` is the opposite.
/// - `moved(q=Q)` is ½ Σ_k |w(Q,k) − w₀(Q,k)|, 0…1: the share of the row's attention that
///   went to other keys, against the same text with every mask value 1, no pattern, and the
///   model's own causal mask (what `maskscope effect` calls "before").
/// - `kl`, `top N` need a language-model head: a decoder's next token after position `q`
///   (default: the last token that is not padding), or a masked LM's prediction at a
///   `[MASK]` position. `before` is the unmasked run, `after` the step's mask. `top1(after)`
///   compares with `'text'` or with `top1(before)`; lists compare in order; `contains` and
///   `excludes` ask whether a list holds a token. Scopes do not apply to them.
///
/// Examples: `weight(q=5, k=2) == 0 in every head of layer 0`; `row 0 is uniform`;
/// `weight(q=*, k=0) > 0.5 in head 3 of layer 2`; `top1(after) != top1(before)`;
/// `moved(q=7) > 0.2`; `sum(q=last, k=..3) < 0.1 in every layer`; `key 'jumps' is closed`.
public enum ClaimParser {
    /// Words the language knows, for did-you-mean hints.
    static let quantityNames = ["weight", "sum", "moved", "kl", "top1", "top3", "top5"]
    static let subjectNames = ["row", "key", "cell"]

    public static func parse(_ text: String) throws(ClaimParseError) -> Claim {
        var parser = Parser(tokens: try ClaimLexer.tokens(of: text), text: text)
        return try parser.claim()
    }
}

private struct Parser {
    let tokens: [ClaimToken]
    let text: String
    var index = 0

    init(tokens: [ClaimToken], text: String) {
        self.tokens = tokens
        self.text = text
    }

    var current: ClaimToken { tokens[min(index, tokens.count - 1)] }

    mutating func claim() throws(ClaimParseError) -> Claim {
        let body: Claim.Body
        if case .word(let word) = current.kind, ClaimParser.subjectNames.contains(word) {
            body = try state()
        } else if case .word(let word) = current.kind, quantityKind(word) != nil {
            let quantity = try self.quantity()
            let comparator = try self.comparator()
            let value = try self.value(for: quantity, comparator: comparator)
            body = .comparison(quantity, comparator, value)
        } else {
            throw unexpected(expected: "a quantity (weight, sum, moved, kl, topN) or a subject (row, key, cell)",
                             known: ClaimParser.quantityNames + ClaimParser.subjectNames)
        }
        var scope: ClaimScope?
        let scopeColumn = current.offset + 1
        if isWord("in") {
            index += 1
            scope = try self.scope()
        }
        guard case .end = current.kind else {
            throw unexpected(expected: isPrediction(body) ? "the end of the claim" : "the end of the claim or a scope ('in every head of layer 0')",
                             known: ["in"])
        }
        if scope != nil, isPrediction(body) {
            throw ClaimParseError(column: scopeColumn, message: "kl and topN are about the model's output, not one layer or head: remove the scope")
        }
        return Claim(body: body, scope: scope, text: text)
    }

    func isPrediction(_ body: Claim.Body) -> Bool {
        if case .comparison(let quantity, _, let value) = body {
            if quantity.isPrediction { return true }
            if case .quantity(let other) = value, other.isPrediction { return true }
        }
        return false
    }

    // MARK: states

    mutating func state() throws(ClaimParseError) -> Claim.Body {
        guard case .word(let word) = current.kind else { throw unexpected(expected: "row, key or cell", known: []) }
        index += 1
        let subject: ClaimSubject
        switch word {
        case "row": subject = .row(try position())
        case "key": subject = .key(try position())
        default:
            try expectSymbol("(")
            let (query, key) = try queryAndKey()
            subject = .cell(query: query, key: key)
        }
        try expectWord("is")
        var negated = false
        if isWord("not") {
            negated = true
            index += 1
        }
        guard case .word(let name) = current.kind, let state = ClaimState(rawValue: name) else {
            throw unexpected(expected: "a state: uniform, closed or open", known: ClaimState.allCases.map(\.rawValue))
        }
        if state == .uniform, case .row = subject {} else if state == .uniform {
            throw ClaimParseError(column: current.offset + 1, message: "only a row can be uniform")
        }
        index += 1
        return .state(subject, negated: negated, state)
    }

    // MARK: quantities

    func quantityKind(_ word: String) -> String? {
        if ["weight", "sum", "moved", "kl"].contains(word) { return word }
        if word.hasPrefix("top"), let count = Int(word.dropFirst(3)), count >= 1 { return "top" }
        return nil
    }

    mutating func quantity() throws(ClaimParseError) -> ClaimQuantity {
        guard case .word(let word) = current.kind, let kind = quantityKind(word) else {
            throw unexpected(expected: "a quantity: weight, sum, moved, kl or topN", known: ClaimParser.quantityNames)
        }
        index += 1
        switch kind {
        case "weight":
            try expectSymbol("(")
            let (query, key) = try queryAndKey()
            return .weight(query: query, key: key)
        case "sum":
            try expectSymbol("(")
            let query = try argument("q")
            try expectSymbol(",")
            try expectArgumentName("k")
            let keys = try self.keys()
            try expectSymbol(")")
            return .sum(query: query, keys: keys)
        case "moved":
            try expectSymbol("(")
            let query = try argument("q")
            try expectSymbol(")")
            return .moved(query: query)
        case "kl":
            guard isSymbol("(") else { return .kl(query: nil) }
            index += 1
            let query = try argument("q")
            try expectSymbol(")")
            return .kl(query: query)
        default:
            let count = Int(word.dropFirst(3)) ?? 1
            guard count <= Predictions.kept else {
                throw ClaimParseError(column: tokens[index - 1].offset + 1, message: "top\(count) is too many: at most top\(Predictions.kept)")
            }
            try expectSymbol("(")
            guard case .word(let name) = current.kind, let run = ClaimRun(rawValue: name) else {
                throw unexpected(expected: "before (the unmasked run) or after (the step's mask)", known: ClaimRun.allCases.map(\.rawValue))
            }
            index += 1
            var query: ClaimPosition?
            if isSymbol(",") {
                index += 1
                query = try argument("q")
            }
            try expectSymbol(")")
            return .top(count: count, run: run, query: query)
        }
    }

    mutating func comparator() throws(ClaimParseError) -> ClaimComparator {
        switch current.kind {
        case .symbol(let symbol):
            if let comparator = ClaimComparator(rawValue: symbol) {
                index += 1
                return comparator
            }
            if symbol == "=" {
                throw ClaimParseError(column: current.offset + 1, message: "write '==' to compare ('=' names an argument)")
            }
        case .word("contains"):
            index += 1
            return .contains
        case .word("excludes"):
            index += 1
            return .excludes
        default:
            break
        }
        throw unexpected(expected: "a comparison: ==, !=, <, <=, >, >=, contains or excludes", known: ["contains", "excludes"])
    }

    mutating func value(for quantity: ClaimQuantity, comparator: ClaimComparator) throws(ClaimParseError) -> ClaimValue {
        let start = current
        let value: ClaimValue
        switch current.kind {
        case .number(let number, _):
            index += 1
            value = .number(number)
        case .symbol("-"):
            index += 1
            guard case .number(let number, _) = current.kind else { throw unexpected(expected: "a number after '-'", known: []) }
            index += 1
            value = .number(-number)
        case .string(let text):
            index += 1
            value = .text(text)
        case .word(let word) where quantityKind(word) != nil:
            value = .quantity(try self.quantity())
        default:
            throw unexpected(expected: "a number, a 'token text' or a quantity", known: ClaimParser.quantityNames)
        }
        let column = start.offset + 1
        let listOnLeft = quantity.isTokens
        switch (listOnLeft, comparator, value) {
        case (true, .contains, .text), (true, .excludes, .text), (true, .equal, .text), (true, .notEqual, .text):
            return value
        case (true, .equal, .quantity(let other)), (true, .notEqual, .quantity(let other)):
            guard other.isTokens else { throw ClaimParseError(column: column, message: "a topN list compares with a 'token text' or another topN, not a number") }
            return value
        case (true, .contains, _), (true, .excludes, _):
            throw ClaimParseError(column: column, message: "\(comparator.rawValue) takes a 'token text'")
        case (true, _, _):
            throw ClaimParseError(column: column, message: "a topN list compares only with ==, !=, contains or excludes")
        case (false, .contains, _), (false, .excludes, _):
            throw ClaimParseError(column: column, message: "\(comparator.rawValue) applies to a topN list, not a number")
        case (false, _, .text):
            throw ClaimParseError(column: column, message: "a number compares with a number, not a token text")
        case (false, _, .quantity(let other)) where other.isTokens:
            throw ClaimParseError(column: column, message: "a number compares with a number or a numeric quantity, not a topN list")
        default:
            return value
        }
    }

    // MARK: positions

    mutating func queryAndKey() throws(ClaimParseError) -> (ClaimPosition, ClaimPosition) {
        let query = try argument("q")
        try expectSymbol(",")
        let key = try argument("k")
        try expectSymbol(")")
        return (query, key)
    }

    mutating func argument(_ name: String) throws(ClaimParseError) -> ClaimPosition {
        try expectArgumentName(name)
        return try position()
    }

    mutating func expectArgumentName(_ name: String) throws(ClaimParseError) {
        guard isWord(name) else {
            throw unexpected(expected: "'\(name)=' (\(name == "q" ? "the query row" : "the key column"))", known: [name])
        }
        index += 1
        try expectSymbol("=")
    }

    mutating func position() throws(ClaimParseError) -> ClaimPosition {
        switch current.kind {
        case .number(let number, let written):
            guard let whole = Int(exactly: number) else {
                throw ClaimParseError(column: current.offset + 1, message: "a position is a whole number, found \(written)")
            }
            index += 1
            return .index(whole)
        case .symbol("-"):
            index += 1
            guard case .number(let number, _) = current.kind, let whole = Int(exactly: number), whole >= 1 else {
                throw unexpected(expected: "a whole number ≥ 1 after '-' (-1 is the last position)", known: [])
            }
            index += 1
            return .index(-whole)
        case .symbol("*"):
            index += 1
            return .every
        case .word("last"):
            index += 1
            return .index(-1)
        case .string(let text):
            index += 1
            return .token(text)
        default:
            throw unexpected(expected: "a position: a number, -1, last, * or a 'token text'", known: ["last"])
        }
    }

    mutating func keys() throws(ClaimParseError) -> ClaimKeys {
        if isSymbol("..") {
            index += 1
            return .range(from: nil, to: isRangeEnd ? nil : try position())
        }
        let first = try position()
        guard isSymbol("..") else { return .one(first) }
        index += 1
        return .range(from: first, to: isRangeEnd ? nil : try position())
    }

    var isRangeEnd: Bool { isSymbol(")") }

    // MARK: scope

    mutating func scope() throws(ClaimParseError) -> ClaimScope {
        if isWord("every") {
            index += 1
            if isWord("layer") {
                index += 1
                return ClaimScope(layers: .every, heads: .every)
            }
            try expectWord("head")
            try expectWord("of")
            return ClaimScope(layers: try layers(), heads: .every)
        }
        if isWord("head") {
            index += 1
            let head = try number("a head number")
            try expectWord("of")
            return ClaimScope(layers: try layers(), heads: .one(head))
        }
        if isWord("mean") {
            index += 1
            try expectWord("of")
            try expectWord("heads")
            try expectWord("of")
            return ClaimScope(layers: try layers(), heads: .mean)
        }
        if isWord("layer") || isWord("layers") {
            let layers = try self.layers()
            if isWord("head") {
                index += 1
                return ClaimScope(layers: layers, heads: .one(try number("a head number")))
            }
            return ClaimScope(layers: layers, heads: .every)
        }
        throw unexpected(expected: "a scope: layer N, layers A..B, every layer, every head of …, head N of …, mean of heads of …",
                         known: ["every", "head", "mean", "layer", "layers"])
    }

    mutating func layers() throws(ClaimParseError) -> ClaimScope.Layers {
        if isWord("every") {
            index += 1
            try expectWord("layer")
            return .every
        }
        if isWord("layers") {
            index += 1
            let first = try number("the first layer")
            try expectSymbol("..")
            let last = try number("the last layer")
            guard last >= first else {
                throw ClaimParseError(column: max(1, current.offset), message: "layers \(first)..\(last) is empty: write the lower layer first")
            }
            return .range(first, last)
        }
        try expectWord("layer")
        return .one(try number("a layer number"))
    }

    mutating func number(_ what: String) throws(ClaimParseError) -> Int {
        guard case .number(let value, _) = current.kind, let whole = Int(exactly: value), whole >= 0 else {
            throw unexpected(expected: "\(what) (a whole number, counted from 0)", known: [])
        }
        index += 1
        return whole
    }

    // MARK: helpers

    func isWord(_ word: String) -> Bool { current.kind == .word(word) }
    func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    mutating func expectWord(_ word: String) throws(ClaimParseError) {
        guard isWord(word) else { throw unexpected(expected: "'\(word)'", known: [word]) }
        index += 1
    }

    mutating func expectSymbol(_ symbol: String) throws(ClaimParseError) {
        guard isSymbol(symbol) else { throw unexpected(expected: "'\(symbol)'", known: []) }
        index += 1
    }

    /// "expected X, found Y", with a did-you-mean when Y is a word close to a known one.
    func unexpected(expected: String, known: [String]) -> ClaimParseError {
        var message = "expected \(expected), found \(current.shown)"
        if case .word(let word) = current.kind, let close = closestMatch(to: word, in: known), close != word {
            message += " (did you mean '\(close)'?)"
        }
        return ClaimParseError(column: current.offset + 1, message: message)
    }
}
