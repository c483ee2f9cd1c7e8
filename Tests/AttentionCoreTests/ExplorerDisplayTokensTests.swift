import Testing
@testable import AttentionCore

/// `Explorer.displayTokens` is made once per text, so it must follow every text change.
@Suite struct ExplorerDisplayTokensTests {
    @Test func displayTokensFollowTheText() throws {
        let model = try PrefixReuseTests.decoder("tiny-gpt2")
        var explorer = try Explorer(model: model, text: "the quick fox")
        #expect(explorer.displayTokens == explorer.tokens.map { model.tokenizer.displayForm(of: $0) })
        #expect(explorer.displayTokens.contains("␣quick"), "\(explorer.displayTokens)")
        try explorer.setText("a lazy\ndog")
        #expect(explorer.displayTokens == explorer.tokens.map { model.tokenizer.displayForm(of: $0) })
        #expect(explorer.displayTokens.contains("␣lazy") && !explorer.displayTokens.contains("␣quick"),
                "\(explorer.displayTokens)")
    }
}
