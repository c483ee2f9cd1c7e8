import AttentionCore
import Foundation
import Testing
@testable import ExplorerUI

/// Input storms and saved state from the reliability audit (issue 16).
@Suite struct ReliabilityTests {
    /// 100 keys/s in the overview used to queue one full render per key, so the explorer fell
    /// seconds behind and q waited behind the queue. A burst already waiting is reduced into
    /// one frame, and q inside it ends the loop at once, leaving the rest unread.
    @Test func aBurstOfKeysCostsOneFrameAndQActsAtOnce() throws {
        let state = try makeState(width: 100, height: 30)
        var events: [InputEvent] = [.character("o")]
        for index in 0..<600 { events.append(index % 2 == 0 ? .right : .down) }
        events.append(.character("q"))
        events += Array(repeating: .character("0"), count: 50)
        let terminal = InMemoryTerminal(width: 100, height: 30, colorCapability: .none, events: events)
        let final = ExplorerLoop().run(state, on: terminal, maxIdlePolls: 2000)
        #expect(final.wantsToQuit)
        #expect(terminal.pendingEvents.count == 50, "keys after q must not be read")
        #expect(terminal.drawnGrids.count < 20, "\(terminal.drawnGrids.count) frames for 602 keys")
        #expect(final.view == .overview)
    }

    /// Keys typed right after Enter in the editor act on the new text: they wait, unread,
    /// while it is prepared, instead of going into the editor's line (which abandoned the
    /// Enter: the key soak on SmolLM2 left the editor open with q typed into it).
    @Test func typeAheadAfterEnterActsOnTheNewText() throws {
        let state = try makeState()
        let events: [InputEvent] = [.character("e"), .control("u")] + type("the cat sat") + [.enter]
            + [.character("l"), .character("l"), .character("0")]
        let terminal = InMemoryTerminal(width: 80, height: 24, colorCapability: .none, events: events)
        let final = ExplorerLoop().run(state, on: terminal, maxIdlePolls: 2000)
        #expect(final.overlay == .none, "the editor is still open: \(final.overlay)")
        #expect(final.explorer.text == "the cat sat")
        // Token 1 at the start, two steps right: "sat", masked by the 0 typed ahead.
        #expect(final.explorer.tokens[final.selectedKey] == "sat" && final.explorer.mask[final.selectedKey] == 0)
        #expect(terminal.pendingEvents.isEmpty)
    }

    /// What a background result asks for runs too: a new text's recompute (the map stayed at
    /// "computing attention…" after every text edit until the next key), and in the effect view
    /// the next-token prediction that follows the comparison.
    @Test func workThatABackgroundResultAsksForRuns() throws {
        let edit: [InputEvent] = [.character("e"), .control("u")] + type("the cat sat") + [.enter]
        let terminal = InMemoryTerminal(width: 80, height: 24, colorCapability: .none, events: edit,
                                        interruptAfterEmptyPolls: 5000)
        let final = ExplorerLoop().run(try makeState(), on: terminal, maxIdlePolls: 50)
        let interrupted = final.wantsToQuit
        #expect(!interrupted, "the loop never settled: interrupted")
        #expect(final.explorer.text == "the cat sat" && !final.recomputePending)
        #expect(final.result?.isComplete == true && final.result?.attention.length == final.tokenCount)
    }

    /// Under the `burstLimit` a flood still shows frames as it goes.
    @Test func aFloodStillDrawsAsItGoes() throws {
        let state = try makeState(width: 100, height: 30)
        let events = Array(repeating: InputEvent.right, count: ExplorerLoop.burstLimit * 3)
        let terminal = InMemoryTerminal(width: 100, height: 30, colorCapability: .none, events: events)
        ExplorerLoop().run(state, on: terminal, maxIdlePolls: 50)
        #expect(terminal.drawnGrids.count >= 3)
    }

    /// A theme this Maskscope does not know (a user file's, a typo) is shown as the default
    /// with a warning and saved back unchanged, not replaced by viridis.
    @Test func anUnknownSessionThemeIsKeptAndSaid() throws {
        var session = try makeState().session(model: "builtin")
        session.theme = "my-lecture-theme"
        let source = URL(fileURLWithPath: "/tmp/s.json")
        let resumed = try AppState(session: session, model: BuiltinModel.make(), source: source)
        #expect(resumed.theme.name == ThemeCatalog.default.name)
        #expect(resumed.message?.kind == .warning)
        #expect(resumed.message?.text.contains("my-lecture-theme") == true)
        #expect(resumed.session(model: "builtin").theme == "my-lecture-theme")
        let cycled = press(resumed, .character("t"))
        #expect(cycled.session(model: "builtin").theme == cycled.theme.name, "picking a theme replaces it")
    }

    @Test func aSessionsLayerHeadOrPaddingThatDoNotFitAreRefused() throws {
        let source = URL(fileURLWithPath: "/tmp/s.json")
        for change in [{ (s: inout Session) in s.layer = 999 }, { $0.head = -1 }, { $0.padTo = -3 }, { $0.padTo = 1_000_000_000 }] {
            var session = try makeState().session(model: "builtin")
            change(&session)
            do {
                _ = try AppState(session: session, model: BuiltinModel.make(), source: source)
                Issue.record("accepted layer \(session.layer) head \(session.head) pad_to \(String(describing: session.padTo))")
            } catch let error as SessionError {
                #expect(error.description.contains("/tmp/s.json"))
            }
        }
    }

    /// Cycling into hf4 brings values it cannot represent to the nearer end of 0…2 and says so.
    @Test func cyclingIntoHf4ClampsBoostsToTwo() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: seedSentence, semantics: .hf)
        try explorer.setMask(at: 2, to: 3)
        let start = AppState(explorer: explorer, colors: .none)
        let state = ExplorerLoop.settle(start, start.initialEffects)
        let hf4 = press(state, .character("s"))
        #expect(hf4.explorer.semantics == .hf4)
        #expect(hf4.explorer.mask[2] == 2)
        #expect(hf4.message?.kind == .warning)
        #expect(hf4.message?.text.contains("0 to 2") == true)
        #expect(hf4.result?.firstNonFiniteWeight == nil)
    }
}
