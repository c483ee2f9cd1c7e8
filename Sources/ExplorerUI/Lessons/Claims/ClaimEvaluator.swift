import AttentionCore
import Foundation
import Tokenizers

/// Checks claims against one lesson step's state. Create one per step: the forward passes
/// are run once and shared by that step's claims.
public struct ClaimEvaluator {
    /// `==`/`!=` on numbers and `uniform` allow this much difference (the parity bar).
    public static let tolerance = 1e-4

    /// A cell is closed when its logit bias is at most this: −∞, float32's lowest (a causal or
    /// `hf` mask) or hf4's (1 − m) × lowest for any m < 1 − 1e-8. Against such a bias exp()
    /// underflows to exactly 0 for any finite score, so no weight can pass.
    public static let closedBias: Float = -1e30

    private let context: ClaimContext

    public init(explorer: Explorer, layer: Int, head: Int, meanOfHeads: Bool = false) {
        context = ClaimContext(explorer: explorer, layer: layer, head: head, meanOfHeads: meanOfHeads)
    }

    public init(step: LessonStepState) {
        self.init(explorer: step.explorer, layer: step.layer, head: step.head, meanOfHeads: step.meanOfHeads)
    }

    public func evaluate(_ claim: Claim) -> ClaimOutcome {
        do {
            switch claim.body {
            case let .comparison(quantity, comparator, value):
                if quantity.isTokens { return try compareTokens(quantity, comparator, value) }
                if quantity.isPrediction { return try comparePrediction(quantity, comparator, value) }
                return try compareAttention(quantity, comparator, value, scope: claim.scope)
            case let .state(subject, negated, state):
                return try check(subject, negated: negated, state, scope: claim.scope)
            }
        } catch {
            return .unusable(error.message)
        }
    }

    // MARK: scope

    /// A head to read: one of the layer's heads, or their mean.
    private enum HeadChoice {
        case one(Int)
        case mean
    }

    private func places(_ scope: ClaimScope?) throws(ClaimUsageError) -> [(layer: Int, head: HeadChoice)] {
        let info = context.info
        guard let scope else {
            return [(context.layer, context.meanOfHeads ? .mean : .one(context.head))]
        }
        let layers: [Int]
        switch scope.layers {
        case .one(let layer): layers = [layer]
        case let .range(first, last): layers = Array(first...last)
        case .every: layers = Array(0..<info.layerCount)
        }
        if let bad = layers.first(where: { $0 >= info.layerCount }) {
            throw ClaimUsageError("layer \(bad) does not exist: \(info.name) has layers 0…\(info.layerCount - 1)")
        }
        let heads: [HeadChoice]
        switch scope.heads {
        case .one(let head):
            guard head < info.headCount else {
                throw ClaimUsageError("head \(head) does not exist: \(info.name) has heads 0…\(info.headCount - 1)")
            }
            heads = [.one(head)]
        case .every: heads = (0..<info.headCount).map { .one($0) }
        case .mean: heads = [.mean]
        }
        return layers.flatMap { layer in heads.map { (layer, $0) } }
    }

    private func name(_ place: (layer: Int, head: HeadChoice)) -> String {
        switch place.head {
        case .one(let head): return "layer \(place.layer) head \(head)"
        case .mean: return "layer \(place.layer) mean of heads"
        }
    }

    // MARK: attention quantities

    private func maskedAttention() throws(ClaimUsageError) -> AttentionMaps {
        guard let pass = context.masked else { throw ClaimUsageError("the forward pass did not complete") }
        return pass.attention
    }

    private func row(_ maps: AttentionMaps, _ place: (layer: Int, head: HeadChoice), query: Int) -> [Float] {
        switch place.head {
        case .one(let head):
            return maps.queryRow(layer: place.layer, head: head, query: query)
        case .mean:
            var mean = [Float](repeating: 0, count: maps.length)
            for head in 0..<maps.headCount {
                let row = maps.queryRow(layer: place.layer, head: head, query: query)
                for key in mean.indices { mean[key] += row[key] / Float(maps.headCount) }
            }
            return mean
        }
    }

    /// Every (query, key) binding of a quantity's positions, and its value there.
    private func values(of quantity: ClaimQuantity, at place: (layer: Int, head: HeadChoice),
                        maps: AttentionMaps) throws(ClaimUsageError) -> [(where: String, value: Double)] {
        switch quantity {
        case let .weight(query, key):
            let queries = try context.positions(query), keys = try context.positions(key)
            var found: [(String, Double)] = []
            for q in queries {
                let weights = row(maps, place, query: q)
                for k in keys {
                    found.append((binding(query == .every ? q : nil, key == .every ? k : nil), Double(weights[k])))
                }
            }
            return found
        case let .sum(query, keys):
            let range = try keyRange(keys)
            return try context.positions(query).map { q in
                let weights = row(maps, place, query: q)
                return (binding(query == .every ? q : nil, nil), range.reduce(0.0) { $0 + Double(weights[$1]) })
            }
        case .moved(let query):
            guard let before = context.unmasked?.attention else { throw ClaimUsageError("the unmasked pass did not complete") }
            return try context.positions(query).map { q in
                let after = row(maps, place, query: q), reference = row(before, place, query: q)
                let moved = zip(after, reference).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / 2
                return (binding(query == .every ? q : nil, nil), moved)
            }
        case .kl, .top:
            throw ClaimUsageError("kl and topN are not attention quantities")
        }
    }

    private func binding(_ query: Int?, _ key: Int?) -> String {
        [query.map { "row \($0)" }, key.map { "key \($0)" }].compactMap { $0 }.joined(separator: " ")
    }

    private func keyRange(_ keys: ClaimKeys) throws(ClaimUsageError) -> [Int] {
        switch keys {
        case .one(let position):
            return try context.positions(position)
        case let .range(from, to):
            let first = try from.map { p throws(ClaimUsageError) in try context.resolve(p) } ?? 0
            let last = try to.map { p throws(ClaimUsageError) in try context.resolve(p) } ?? context.length - 1
            guard first <= last else { throw ClaimUsageError("the key range \(first)..\(last) is empty") }
            return Array(first...last)
        }
    }

    private func compareAttention(_ quantity: ClaimQuantity, _ comparator: ClaimComparator, _ value: ClaimValue,
                                  scope: ClaimScope?) throws(ClaimUsageError) -> ClaimOutcome {
        let maps = try maskedAttention()
        for place in try places(scope) {
            let left = try values(of: quantity, at: place, maps: maps)
            let right: Double
            switch value {
            case .number(let number): right = number
            case .quantity(let other):
                let found = try values(of: other, at: place, maps: maps)
                guard found.count == 1 else { throw ClaimUsageError("the right-hand quantity must name one cell or row, not '*'") }
                right = found[0].value
            case .text:
                throw ClaimUsageError("a number compares with a number")
            }
            for (position, actual) in left where !Self.compare(actual, comparator, right) {
                let at = position.isEmpty ? "" : " \(position)"
                var shown = "\(name(place))\(at) has \(Self.format(actual))"
                if case .quantity = value { shown += " against \(Self.format(right))" }
                return .fails(actual: shown)
            }
        }
        return .holds
    }

    static func compare(_ a: Double, _ comparator: ClaimComparator, _ b: Double) -> Bool {
        switch comparator {
        case .equal: return abs(a - b) <= tolerance
        case .notEqual: return abs(a - b) > tolerance
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        case .contains, .excludes: return false
        }
    }

    /// Four significant digits, as the explorer shows weights (`0.0132`, `1.2e-05`).
    static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value.isNaN { return "NaN" }
        return String(format: "%.4g", value)
    }

    // MARK: states

    private func check(_ subject: ClaimSubject, negated: Bool, _ state: ClaimState,
                       scope: ClaimScope?) throws(ClaimUsageError) -> ClaimOutcome {
        let expected = !negated
        let stateName = (negated ? "not " : "") + state.rawValue
        switch state {
        case .uniform:
            guard case .row(let query) = subject else { throw ClaimUsageError("only a row can be uniform") }
            let maps = try maskedAttention()
            for place in try places(scope) {
                for q in try context.positions(query) {
                    let weights = row(maps, place, query: q)
                    let spread = Double((weights.max() ?? 0) - (weights.min() ?? 0))
                    if (spread <= Self.tolerance) != expected {
                        let top = weights.indices.max { weights[$0] < weights[$1] } ?? 0
                        return .fails(actual: "\(name(place)) row \(q) is \(expected ? "not uniform" : "uniform"): weights "
                                      + "\(Self.format(Double(weights.min() ?? 0)))…\(Self.format(Double(weights.max() ?? 0)))"
                                      + (expected ? ", most on key \(top)" : ", each \(Self.format(Double(weights.first ?? 0)))"))
                    }
                }
            }
            return .holds
        case .closed, .open:
            _ = try places(scope)  // the bias is every head's, but a scope naming no layer is still an error
            guard let bias = context.masked?.bias else { throw ClaimUsageError("the forward pass did not complete") }
            let length = context.length
            func closed(_ q: Int, _ k: Int) -> Bool { bias.values[q * length + k] <= Self.closedBias }
            let wantClosed = (state == .closed) == expected
            let cells: [(label: String, cells: [(Int, Int)])]
            switch subject {
            case .row(let query):
                cells = try context.positions(query).map { q in ("row \(q)", (0..<length).map { (q, $0) }) }
            case .key(let key):
                cells = try context.positions(key).map { k in ("key \(k)", (0..<length).map { ($0, k) }) }
            case let .cell(query, key):
                var list: [(String, [(Int, Int)])] = []
                for q in try context.positions(query) {
                    for k in try context.positions(key) { list.append(("cell q=\(q) k=\(k)", [(q, k)])) }
                }
                cells = list
            }
            for (label, group) in cells {
                let isClosed = group.allSatisfy { closed($0.0, $0.1) }
                if isClosed != wantClosed {
                    let open = group.filter { !closed($0.0, $0.1) }
                    let detail = isClosed ? "is closed" : "is open" + (group.count > 1 ? " (\(Self.describe(open)))" : "")
                    return .fails(actual: "\(label) \(detail), expected \(stateName)")
                }
            }
            return .holds
        }
    }

    private static func describe(_ cells: [(Int, Int)]) -> String {
        let shown = cells.prefix(3).map { "q=\($0.0) k=\($0.1)" }.joined(separator: ", ")
        return "open: " + shown + (cells.count > 3 ? " and \(cells.count - 3) more" : "")
    }

    // MARK: predictions

    private func comparePrediction(_ quantity: ClaimQuantity, _ comparator: ClaimComparator,
                                   _ value: ClaimValue) throws(ClaimUsageError) -> ClaimOutcome {
        guard case .kl(let query) = quantity else { throw ClaimUsageError("not a prediction") }
        let prediction = try predictions(at: query)
        let kl = prediction.kl
        let right: Double
        switch value {
        case .number(let number): right = number
        case .quantity(.kl(let other)): right = try predictions(at: other).kl
        default: throw ClaimUsageError("kl compares with a number")
        }
        return Self.compare(kl, comparator, right)
            ? .holds
            : .fails(actual: "KL(before ‖ after) at position \(prediction.position) is \(Self.format(kl)) nats")
    }

    private func compareTokens(_ quantity: ClaimQuantity, _ comparator: ClaimComparator,
                               _ value: ClaimValue) throws(ClaimUsageError) -> ClaimOutcome {
        guard case let .top(count, run, query) = quantity else { throw ClaimUsageError("not a token list") }
        let left = try predictions(at: query)
        let list = left.top(count, run)
        let shownLeft = "top\(count)(\(run.rawValue)) at position \(left.position) is \(Self.show(list))"
        let holds: Bool
        var shown = shownLeft
        switch value {
        case .text(let text):
            switch comparator {
            case .contains: holds = list.contains { $0.matches(text) }
            case .excludes: holds = !list.contains { $0.matches(text) }
            case .equal: holds = list.count == 1 && list[0].matches(text)
            case .notEqual: holds = !(list.count == 1 && list[0].matches(text))
            default: throw ClaimUsageError("a token list compares with ==, !=, contains or excludes")
            }
        case let .quantity(.top(otherCount, otherRun, otherQuery)):
            let right = try predictions(at: otherQuery).top(otherCount, otherRun)
            let same = list.map(\.id) == right.map(\.id)
            holds = comparator == .equal ? same : comparator == .notEqual ? !same : false
            shown += ", top\(otherCount)(\(otherRun.rawValue)) is \(Self.show(right))"
        default:
            throw ClaimUsageError("a token list compares with a 'token text' or another topN")
        }
        return holds ? .holds : .fails(actual: shown)
    }

    private static func show(_ list: [PredictedToken]) -> String {
        list.map { "'\($0.text)' \(String(format: "%.2f", $0.probability))" }.joined(separator: ", ")
    }

    /// The distributions at `query` (nil: the last real token). A decoder's come from
    /// `NextTokenEffect`, the explorer's effect view's computation; a masked LM's from its head
    /// at a `[MASK]` position.
    private func predictions(at query: ClaimPosition?) throws(ClaimUsageError) -> Predictions {
        let model = context.explorer.model
        let position = try query.map { p throws(ClaimUsageError) in try context.resolve(p) } ?? context.lastRealToken
        guard let masked = context.masked, let unmasked = context.unmasked,
              let maskedHidden = masked.hidden, let unmaskedHidden = unmasked.hidden else {
            throw ClaimUsageError("the forward passes did not complete")
        }
        if let head = model.causalLMHead {
            guard let effect = NextTokenEffect(head: head, masked: masked, unmasked: unmasked, position: position, top: Predictions.kept) else {
                throw ClaimUsageError("no next-token prediction at position \(position)")
            }
            let bpe = model.tokenizer as? ByteLevelBPETokenizer
            func list(_ candidates: [NextTokenEffect.Candidate]) -> [PredictedToken] {
                candidates.map { PredictedToken(id: $0.id, raw: $0.token, text: bpe?.text(of: $0.token) ?? $0.token, probability: $0.probability) }
            }
            return Predictions(position: effect.position, before: list(effect.before), after: list(effect.after), kl: effect.klDivergence)
        }
        if let head = model.maskedLMHead {
            guard context.explorer.tokens[position] == head.maskToken else {
                throw ClaimUsageError("\(model.info.name) predicts only at \(head.maskToken) tokens; position \(position) is '\(context.explorer.tokens[position])'")
            }
            func probabilities(_ hidden: Matrix) -> [Double] {
                let logits = head.logits(hidden: hidden, positions: [position])
                return CausalLMHead.probabilities(Array(logits.values[0..<logits.columns]))
            }
            let before = probabilities(unmaskedHidden), after = probabilities(maskedHidden)
            var kl = 0.0
            for i in before.indices where before[i] > 0 { kl += before[i] * log(before[i] / max(after[i], .leastNonzeroMagnitude)) }
            func list(_ p: [Double]) -> [PredictedToken] {
                p.indices.sorted { p[$0] > p[$1] }.prefix(Predictions.kept).map {
                    let raw = $0 < head.vocabulary.count ? head.vocabulary[$0] : "[id \($0)]"
                    return PredictedToken(id: $0, raw: raw, text: raw, probability: p[$0])
                }
            }
            return Predictions(position: position, before: list(before), after: list(after), kl: max(0, kl))
        }
        throw ClaimUsageError("\(model.info.name) has no language-model head: kl and topN need a decoder (--model smollm2) or a masked LM")
    }
}

/// One predicted token: its id, raw vocabulary string, readable text and probability.
struct PredictedToken {
    let id: Int
    let raw: String
    let text: String
    let probability: Double

    /// Whether a claim's `'text'` names this token: its raw string or its readable text, exactly.
    func matches(_ written: String) -> Bool { written == raw || written == text }
}

/// Next-token (or `[MASK]`) predictions at one position, unmasked and under the step's mask.
struct Predictions {
    /// Candidates kept per run: `topN` claims may ask for up to this many.
    static let kept = 20

    let position: Int
    let before: [PredictedToken]
    let after: [PredictedToken]
    /// KL(before ‖ after) over the whole vocabulary, nats.
    let kl: Double

    func top(_ count: Int, _ run: ClaimRun) -> [PredictedToken] {
        Array((run == .before ? before : after).prefix(max(1, count)))
    }
}
