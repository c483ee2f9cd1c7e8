@testable import ExplorerUI
import Testing

@Suite("claim language: parser")
struct ClaimParserTests {
    @Test("the issue's examples parse to what they say")
    func issueExamples() throws {
        let weight = try ClaimParser.parse("weight(q=5, k=2) == 0 in every head of layer 0")
        #expect(weight.body == .comparison(.weight(query: .index(5), key: .index(2)), .equal, .number(0)))
        #expect(weight.scope == ClaimScope(layers: .one(0), heads: .every))

        let uniform = try ClaimParser.parse("row 0 is uniform")
        #expect(uniform.body == .state(.row(.index(0)), negated: false, .uniform))
        #expect(uniform.scope == nil)

        let half = try ClaimParser.parse("weight(q=*, k=0) > 0.5 in head 3 of layer 2")
        #expect(half.body == .comparison(.weight(query: .every, key: .index(0)), .greater, .number(0.5)))
        #expect(half.scope == ClaimScope(layers: .one(2), heads: .one(3)))

        let top = try ClaimParser.parse("top1(after) != top1(before)")
        #expect(top.body == .comparison(.top(count: 1, run: .after, query: nil), .notEqual, .quantity(.top(count: 1, run: .before, query: nil))))

        let moved = try ClaimParser.parse("moved(q=7) > 0.2")
        #expect(moved.body == .comparison(.moved(query: .index(7)), .greater, .number(0.2)))
    }

    @Test("every scope form, positions by text, from the end, ranges and states")
    func otherForms() throws {
        #expect(try ClaimParser.parse("row 1 is open in layer 2 head 3").scope == ClaimScope(layers: .one(2), heads: .one(3)))
        #expect(try ClaimParser.parse("row 1 is open in layer 1").scope == ClaimScope(layers: .one(1), heads: .every))
        #expect(try ClaimParser.parse("row 1 is open in every layer").scope == ClaimScope(layers: .every, heads: .every))
        #expect(try ClaimParser.parse("row 1 is open in mean of heads of layers 20..25").scope == ClaimScope(layers: .range(20, 25), heads: .mean))
        #expect(try ClaimParser.parse("row 1 is open in every head of every layer").scope == ClaimScope(layers: .every, heads: .every))
        #expect(try ClaimParser.parse("sum(q=last, k='lazy'..) <= 1e-4").body
                == .comparison(.sum(query: .index(-1), keys: .range(from: .token("lazy"), to: nil)), .lessOrEqual, .number(1e-4)))
        #expect(try ClaimParser.parse("sum(q=-2, k=..3) >= -0.5").body
                == .comparison(.sum(query: .index(-2), keys: .range(from: nil, to: .index(3))), .greaterOrEqual, .number(-0.5)))
        #expect(try ClaimParser.parse("cell(q=\"fox\", k=0) is not closed").body
                == .state(.cell(query: .token("fox"), key: .index(0)), negated: true, .closed))
        #expect(try ClaimParser.parse("key 'jumps' is closed").body == .state(.key(.token("jumps")), negated: false, .closed))
        #expect(try ClaimParser.parse("kl(q=3) < 0.1").body == .comparison(.kl(query: .index(3)), .less, .number(0.1)))
        #expect(try ClaimParser.parse("top5(before, q=4) contains ' cat'").body
                == .comparison(.top(count: 5, run: .before, query: .index(4)), .contains, .text(" cat")))
        #expect(try ClaimParser.parse("top5(after) excludes 'Paris'").body
                == .comparison(.top(count: 5, run: .after, query: nil), .excludes, .text("Paris")))
    }

    @Test("errors say what was expected, at which column, with did-you-mean")
    func errors() {
        func error(_ text: String) -> ClaimParseError? {
            do { _ = try ClaimParser.parse(text); return nil } catch { return error }
        }
        #expect(error("wieght(q=1, k=2) == 0") == ClaimParseError(column: 1, message:
            "expected a quantity (weight, sum, moved, kl, topN) or a subject (row, key, cell), found 'wieght' (did you mean 'weight'?)"))
        #expect(error("weight(q=1, k=2) == 0 in every head of lyer 0")?.column == 40)
        #expect(error("weight(q=1, k=2) == 0 in every head of lyer 0")?.message.hasSuffix("found 'lyer' (did you mean 'layer'?)") == true)
        #expect(error("row 0 is unifrom")?.message == "expected a state: uniform, closed or open, found 'unifrom' (did you mean 'uniform'?)")
        #expect(error("row 0 is unifrom")?.column == 10)
        #expect(error("weight(q=1, k=2) = 0")?.message == "write '==' to compare ('=' names an argument)")
        #expect(error("weight(q=1, k=2) == 0 in layers 5..2")?.message.contains("is empty") == true)
        #expect(error("kl > 0 in layer 0")?.column == 8)
        #expect(error("top1(after) > 0.5")?.message == "a topN list compares only with ==, !=, contains or excludes")
        #expect(error("weight(q=1, k=2) == 'fox'")?.message == "a number compares with a number, not a token text")
        #expect(error("key 3 is uniform")?.message == "only a row can be uniform")
        #expect(error("weight(q=1.5, k=2) == 0")?.column == 10)
        #expect(error("row 'fox is open")?.message == "the string opened here is not closed: add '")
        #expect(error("weight(q=1, k=2) ≠ 0")?.message == "write '!=' for '≠'")
        #expect(error("top1(aftr) == 'x'")?.message.hasSuffix("(did you mean 'after'?)") == true)
        #expect(error("row 1 is open and more")?.column == 15)
    }
}
