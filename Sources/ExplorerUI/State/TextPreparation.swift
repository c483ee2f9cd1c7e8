import AttentionCore

/// A new text made ready for the explorer off the UI thread: tokenized, embedded and projected
/// through the first layer (the per-text `PreparedInput` every mask edit reuses). On a long
/// text and a large model that takes long enough to freeze typing, so the reducer only asks
/// for it (`Effect.prepareText`) and the app loop hands the outcome back as
/// `AppEvent.textPrepared`; a newer request makes an older outcome stale.
public struct TextPreparation: Sendable {
    /// What came of it.
    public enum Outcome: Sendable {
        /// The engine on the new text, mask reset. `droppedPattern` says why the pattern in
        /// force no longer fits the new tokens and fell back to none (nil: it was kept).
        case ready(Explorer, droppedPattern: String?)
        /// The text was refused (empty, too long for the model, …): the message says why, and
        /// the engine is unchanged.
        case refused(String)
    }

    /// Which Enter in the editor asked for it (`AppState.textRequest`).
    public let request: Int
    /// The text that was prepared.
    public let text: String
    public let outcome: Outcome

    /// Prepares `text` (with `explorer`'s pair and padding) on the calling thread.
    public static func prepare(_ explorer: Explorer, text: String, request: Int) -> TextPreparation {
        var engine = explorer
        do {
            let dropped = try engine.setText(text, pair: engine.pair)
            return TextPreparation(request: request, text: text,
                                   outcome: .ready(engine, droppedPattern: dropped.map { "\($0)" }))
        } catch {
            return TextPreparation(request: request, text: text, outcome: .refused("\(error)"))
        }
    }
}
