import AttentionCore

/// Which screen the explorer shows over its main view.
public enum Overlay: Equatable, Sendable {
    case none
    /// The full key table (`?`).
    case help
    /// Choosing a query × key pattern (`p`): the catalog, with a line to edit its arguments.
    case patternPicker(PatternPicker)
    /// Editing the sentence in place (`e`).
    case editing(LineEditor)
}

/// What the main area shows. Every view has a key and a headless form.
public enum ExplorerView: String, CaseIterable, Codable, Sendable {
    /// The attention map of one layer and head (or their mean).
    case heatmap
    /// Masked minus unmasked weights on a diverging scale, with each row's mass moved (`d`).
    case diff
    /// The same mask under hf, hf4 and soft side by side (`S`).
    case compare
    /// The selected query row's softmax, stage by stage, with numbers (`m`).
    case math
    /// Every layer × head as a small map (`o`).
    case overview
    /// How the mask changes the model's output (`E`).
    case effect

    /// Views that need the unmasked run and the other semantics computed beside the main one.
    public var needsComparison: Bool { self == .diff || self == .compare || self == .effect }
}

/// The explorer's whole state; `render` draws it and `reduce` changes it.
public struct AppState: Sendable {
    /// The engine: text, tokens, mask, semantics and model.
    public internal(set) var explorer: Explorer
    /// The attention on screen. It belongs to `shownGeneration`; while a newer recompute is
    /// running it is the previous one, and the status line says a recompute is pending.
    public internal(set) var result: ForwardResult?
    /// Counts engine states: every mask, semantics or text change makes a new generation.
    public internal(set) var generation = 0
    /// The latest generation whose complete result has arrived; `result` may already hold an
    /// early result of a newer one (see `resultGeneration`).
    public internal(set) var shownGeneration = -1
    /// The generation `result` was computed for, early or complete.
    public internal(set) var resultGeneration = -1
    /// How long the last recompute took, in milliseconds.
    public internal(set) var lastRecomputeMilliseconds: Double?

    public internal(set) var layer = 0
    public internal(set) var head = 0
    /// Show the mean over the layer's heads instead of one head (`a`).
    public internal(set) var meanOfHeads = false
    /// The selected token: the key column, and the token whose mask the number keys set.
    public internal(set) var selectedKey = 1
    /// The selected query row.
    public internal(set) var selectedQuery = 1
    /// Whether the user has picked a query row (arrows, paging, a click) since the text was
    /// set; until then a decoder's effect view predicts after the last token.
    public internal(set) var queryChosen = false
    /// Where a span selection (`v`) started; mask keys then apply from here to `selectedKey`.
    public internal(set) var spanAnchor: Int?

    /// First query row and first key column in view, when the map is larger than the screen.
    public internal(set) var rowOffset = 0
    public internal(set) var columnOffset = 0
    /// Two query rows per character cell (`z`), so twice as many rows fit.
    public internal(set) var dense = false
    /// Projector zoom (`Z`, `--zoom`): big cells (two lines × six columns at least), key labels
    /// written across, fewer tokens on screen; the map scrolls to the rest.
    public internal(set) var zoom = false
    /// What the color scale's top stands for (`f` cycles): the map's max, 1, or each row's max.
    public internal(set) var scale: WeightScale = .perHead

    public internal(set) var view: ExplorerView = .heatmap
    /// Cell mode (`c`): the mask keys set the selected query × key cell instead of the token.
    public internal(set) var cellMode = false
    /// The unmasked run and the other semantics, for `diff`, `compare` and `effect`; belongs to
    /// `comparisonGeneration`.
    public internal(set) var comparison: Comparison?
    public internal(set) var comparisonGeneration = -1

    /// Set by `s`: the result shown under the previous semantics, so the frames after the
    /// recompute can mark the cells whose weight changed; the next key or click clears it.
    public internal(set) var semanticsChange: SemanticsChange?

    public internal(set) var overlay: Overlay = .none
    /// Counts Enters in the text editor; a prepared text is taken only for the latest one.
    public internal(set) var textRequest = 0
    /// The text being tokenized and prepared in the background (nil when none): the editor
    /// stays open and says so, and the map behind it is still the old text's.
    public internal(set) var preparingText: String?
    public internal(set) var undoStack: [MaskSnapshot] = []
    public internal(set) var redoStack: [MaskSnapshot] = []

    public internal(set) var themes: [Theme]
    public internal(set) var themeIndex: Int
    /// A session's theme that is not available here: the default is shown instead, with a
    /// warning, and the session is saved with this name unchanged unless `t` picks another.
    public internal(set) var unavailableSessionTheme: String?
    public internal(set) var colors: ColorCapability
    public internal(set) var width: Int
    public internal(set) var height: Int
    /// A one-line notice shown in the status area until the next key (a warning or what a key did).
    public internal(set) var message: Message?
    public internal(set) var wantsToQuit = false
    /// While a lesson plays, the first `q` only asks: a second `q` quits, any other key goes on.
    public internal(set) var quitAsked = false
    /// The lesson being played (`maskscope lesson`), nil in free exploration.
    public internal(set) var lesson: LessonPlayer?

    /// - Parameters:
    ///   - layer, head: the map shown first, 0-based (clamped to the model).
    ///   - message: a notice for the first screen, e.g. a theme that could not be loaded.
    public init(explorer: Explorer, themes: [Theme] = ThemeCatalog.all, themeIndex: Int = 0,
                colors: ColorCapability = .truecolor, width: Int = 80, height: Int = 24,
                layer: Int = 0, head: Int = 0, message: Message? = nil) {
        self.explorer = explorer
        self.themes = themes.isEmpty ? [ThemeCatalog.default] : themes
        self.themeIndex = min(max(0, themeIndex), max(0, themes.count - 1))
        self.colors = colors
        self.width = width
        self.height = height
        self.layer = min(max(0, layer), explorer.model.info.layerCount - 1)
        self.head = min(max(0, head), explorer.model.info.headCount - 1)
        self.message = message
        let count = explorer.tokens.count
        selectedKey = min(1, count - 1)
        selectedQuery = min(1, count - 1)
    }

    /// The same state with projector zoom on or off (`--zoom`; `Z` toggles it inside).
    public func zoomed(_ on: Bool) -> AppState {
        var state = self
        state.zoom = on
        return state
    }

    public var theme: Theme { themes[themeIndex] }
    /// The tokens as shown on screen: byte-level BPE's `Ġjumps` as `␣jumps`, a newline as ⏎,
    /// a lone byte as `<0xE6>` (the tokenizer's `displayForm`); WordPiece tokens as they are.
    public var tokens: [String] { explorer.displayTokens }
    public var tokenCount: Int { explorer.tokens.count }
    /// Masked-LM predictions as one line, `␣fox 0.41, ␣dog 0.12`: each token in the tokenizer's
    /// display form (byte-level BPE's `Ġfox` as `␣fox`) and its probability to two decimals.
    func shownPredictions(_ list: [TokenProbability]) -> String {
        let tokenizer = explorer.model.tokenizer
        return list.map { "\(tokenizer.displayForm(of: $0.token)) \(String(format: "%.2f", Double($0.probability)))" }
            .joined(separator: ", ")
    }
    /// The query position whose next token a decoder's effect view predicts: the selected
    /// query once one was chosen, else the last token (what a user would generate from).
    public var effectQuery: Int { queryChosen ? min(max(0, selectedQuery), tokenCount - 1) : tokenCount - 1 }
    /// Whether the heatmap on screen is older than the engine state.
    public var recomputePending: Bool { shownGeneration != generation }
    /// Whether the map of the layer on screen is the current engine state's: true once the
    /// recompute for the latest edit has published that layer, even before the deeper layers
    /// are done.
    public var shownLayerIsCurrent: Bool {
        guard let result, resultGeneration == generation else { return false }
        return result.completedLayers > layer
    }
    /// Whether a background result is still to come (the recompute, or the comparison passes
    /// the view needs), so the app loop keeps polling for it instead of waiting for a key.
    public var backgroundWorkPending: Bool {
        recomputePending || preparingText != nil || (view.needsComparison && comparisonGeneration != generation)
    }
    /// The positions the mask keys act on: the span when one is being selected, else the selected token.
    public var maskTargets: ClosedRange<Int> {
        guard let anchor = spanAnchor else { return selectedKey...selectedKey }
        return min(anchor, selectedKey)...max(anchor, selectedKey)
    }
}

/// What undo and redo restore: the mask, the semantics it was read under, the pattern and
/// the cell-mode edits.
public struct MaskSnapshot: Equatable, Sendable {
    public let mask: [Float]
    public let semantics: MaskSemantics
    public let pattern: MaskPattern
    public let cellOverrides: [Int: Float]

    init(_ explorer: Explorer) {
        mask = explorer.mask
        semantics = explorer.semantics
        pattern = explorer.pattern
        cellOverrides = explorer.cellOverrides
    }

    /// Puts this snapshot back into `explorer` (same text).
    func restore(into explorer: inout Explorer) throws {
        explorer.semantics = semantics
        try explorer.setMask(mask)
        try explorer.setPattern(pattern)
        explorer.clearCells()
        let length = explorer.tokens.count
        for (cell, value) in cellOverrides.sorted(by: { $0.key < $1.key }) {
            try explorer.setCell(query: cell / length, key: cell % length, value: value)
        }
    }
}

/// What `s` changed: from which semantics to which, and the result shown before.
public struct SemanticsChange: Sendable {
    public let from: MaskSemantics
    public let to: MaskSemantics
    public let before: ForwardResult
}

/// A notice on the status line.
public struct Message: Equatable, Sendable {
    public enum Kind: Sendable { case info, warning }
    public let text: String
    public let kind: Kind

    public static func info(_ text: String) -> Message { Message(text: text, kind: .info) }
    public static func warning(_ text: String) -> Message { Message(text: text, kind: .warning) }
}

/// The pattern picker's state: which catalog entry is highlighted, and the pattern text.
public struct PatternPicker: Equatable, Sendable {
    public internal(set) var selection: Int
    public internal(set) var editor: LineEditor

    init(current: MaskPattern) {
        let catalog = MaskPattern.catalog
        selection = catalog.firstIndex { $0.name == current.name } ?? 0
        editor = LineEditor(text: current == .none ? catalog[selection].example : current.description)
    }
}
