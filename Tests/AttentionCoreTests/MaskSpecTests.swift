import Testing
@testable import AttentionCore

@Suite struct MaskSpecTests {
    let tokens = ["[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".", "[SEP]"]
    var ones: [Float] { Array(repeating: 1, count: tokens.count) }

    @Test func blogPostScenario() throws {
        let mask = try MaskSpec(parsing: "quick=1,jumps=0.5,lazy..=0").apply(to: ones, tokens: tokens)
        #expect(mask == [1, 1, 1, 1, 1, 0.5, 1, 1, 0, 0, 0, 0])
    }

    @Test func positionsRangesAndTokens() throws {
        #expect(try MaskSpec(parsing: "5=0").apply(to: ones, tokens: tokens)[5] == 0)
        #expect(try MaskSpec(parsing: "3..5=0").apply(to: ones, tokens: tokens) == [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        #expect(try MaskSpec(parsing: "..1=0").apply(to: ones, tokens: tokens).prefix(3) == [0, 0, 1])
        #expect(try MaskSpec(parsing: "10..=0").apply(to: ones, tokens: tokens).suffix(3) == [1, 0, 0])
        #expect(try MaskSpec(parsing: "the=0").apply(to: ones, tokens: tokens).enumerated().filter { $0.element == 0 }.map(\.offset) == [1, 7])
        #expect(try MaskSpec(parsing: "quick..fox=0.25").apply(to: ones, tokens: tokens)[2...4] == [0.25, 0.25, 0.25])
        #expect(try MaskSpec(parsing: "'.'=0").apply(to: ones, tokens: tokens)[10] == 0)
        #expect(try MaskSpec(parsing: ".=0").apply(to: ones, tokens: tokens)[10] == 0)
        #expect(try MaskSpec(parsing: "all..=0, 2=1").apply(to: [1, 1, 1], tokens: ["all", "b", "c"]) == [0, 0, 1])
        #expect(try MaskSpec(parsing: "").apply(to: ones, tokens: tokens) == ones)
        #expect(try MaskSpec(parsing: "..=0,quick=1").apply(to: ones, tokens: tokens).filter { $0 == 1 }.count == 1)
        #expect(try MaskSpec(parsing: "fox=-2").apply(to: ones, tokens: tokens)[4] == -2)
    }

    @Test func laterAssignmentsOverrideEarlierOnes() throws {
        #expect(try MaskSpec(parsing: "1..=0,the=1").apply(to: ones, tokens: tokens)[7] == 1)
    }

    @Test(arguments: [
        ("quick", "no '=VALUE'"),
        ("quick=half", "'half' is not a number"),
        ("cat=0", "no token 'cat'"),
        ("42=0", "position 42 is out of range"),
        ("7..3=0", "runs backwards"),
        ("lazy..quick=0", "runs backwards"),
        ("=1", "no position or token"),
        ("'a=1", "unclosed quote"),
        ("x=nan", "not a number"),
    ])
    func badSpecsNameTheOffendingPart(spec: String, message: String) throws {
        do {
            _ = try MaskSpec(parsing: spec).apply(to: ones, tokens: tokens)
            Issue.record("\(spec) was accepted")
        } catch let error as MaskSpecError {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
