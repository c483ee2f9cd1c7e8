/// Everything the user can ask the explorer to do from the main view.
public enum Action: Equatable, Sendable {
    case previousToken, nextToken, firstToken, lastToken
    case previousQuery, nextQuery
    case setMask(Float), increaseMask, decreaseMask, toggleMask, startSpan, resetMasks
    case undo, redo
    case previousLayer, nextLayer, previousHead, nextHead, toggleMeanOfHeads
    case cycleSemantics, editText, cycleTheme, toggleDense, toggleZoom, cycleScale, export
    case showView(ExplorerView), open, toggleCellMode, pickPattern
    /// n, N, C: handled by the lesson player while a lesson plays; otherwise they say how to start one.
    case lessonKey
    case scrollUp, scrollDown
    case toggleHelp, back, quit
}

/// One row of the key table: the keys, how help shows them, and what they do.
public struct KeyBinding: Sendable {
    public let keys: [InputEvent]
    /// How the help overlay and hint line write the keys ("←/h").
    public let label: String
    public let action: Action
    public let help: String
    public let group: String
}

/// The explorer's key table. Key handling and the help overlay both read it, so help can
/// never disagree with what the keys do.
public enum KeyBindings {
    public static let all: [KeyBinding] = [
        .init(keys: [.left, .character("h")], label: "←/h", action: .previousToken, help: "previous token (key column)", group: "Select"),
        .init(keys: [.right, .character("l")], label: "→/l", action: .nextToken, help: "next token (key column)", group: "Select"),
        .init(keys: [.up, .character("k")], label: "↑/k", action: .previousQuery, help: "previous query row", group: "Select"),
        .init(keys: [.down, .character("j")], label: "↓/j", action: .nextQuery, help: "next query row", group: "Select"),
        .init(keys: [.home, .character("g")], label: "Home End", action: .firstToken, help: "first / last token (g G)", group: "Select"),
        .init(keys: [.end, .character("G")], label: "", action: .lastToken, help: "", group: "Select"),
        .init(keys: [.pageUp], label: "PgUp/Dn", action: .scrollUp, help: "query rows up / down a page", group: "Select"),
        .init(keys: [.pageDown], label: "", action: .scrollDown, help: "", group: "Select"),
        .init(keys: [.character("0")], label: "0 5 1", action: .setMask(0), help: "value 0 · 0.5 · 1 (kept)", group: "Mask"),
        .init(keys: [.character("5")], label: "", action: .setMask(0.5), help: "", group: "Mask"),
        .init(keys: [.character("1")], label: "", action: .setMask(1), help: "", group: "Mask"),
        .init(keys: [.character("+"), .character("=")], label: "+/-", action: .increaseMask, help: "value up / down by 0.1", group: "Mask"),
        .init(keys: [.character("-"), .character("_")], label: "", action: .decreaseMask, help: "", group: "Mask"),
        .init(keys: [.character("x")], label: "x", action: .toggleMask, help: "toggle between 0 and 1", group: "Mask"),
        .init(keys: [.character("v")], label: "v", action: .startSpan, help: "span: move, then set it all", group: "Mask"),
        .init(keys: [.character("r")], label: "r", action: .resetMasks, help: "reset every value to 1", group: "Mask"),
        .init(keys: [.character("u")], label: "u ^R", action: .undo, help: "undo · redo (^R is Ctrl-R)", group: "Mask"),
        .init(keys: [.control("r")], label: "", action: .redo, help: "", group: "Mask"),
        .init(keys: [.character("p")], label: "p", action: .pickPattern, help: "pattern; cell = pattern×key", group: "Mask"),
        .init(keys: [.character("c")], label: "c", action: .toggleCellMode, help: "cell mode: edit q × k cells", group: "Mask"),
        .init(keys: [.character("s")], label: "s", action: .cycleSemantics, help: "semantics hf→hf4→soft→bias", group: "Mask"),
        .init(keys: [.character("[")], label: "[ ]", action: .previousLayer, help: "previous / next layer", group: "View"),
        .init(keys: [.character("]")], label: "", action: .nextLayer, help: "", group: "View"),
        .init(keys: [.character("<"), .character(",")], label: "< > , .", action: .previousHead, help: "previous / next head", group: "View"),
        .init(keys: [.character(">"), .character(".")], label: "", action: .nextHead, help: "", group: "View"),
        .init(keys: [.character("a")], label: "a", action: .toggleMeanOfHeads, help: "mean of heads on / off", group: "View"),
        .init(keys: [.character("z")], label: "z", action: .toggleDense, help: "dense: 2 query rows a line", group: "View"),
        .init(keys: [.character("Z")], label: "Z", action: .toggleZoom, help: "zoom: big cells (projector)", group: "View"),
        .init(keys: [.character("f")], label: "f", action: .cycleScale, help: "scale: map max · 0…1 · row", group: "View"),
        .init(keys: [.character("t")], label: "t", action: .cycleTheme, help: "next color theme", group: "View"),
        .init(keys: [.character("d")], label: "d S", action: .showView(.diff), help: "diff · compare semantics", group: "View"),
        .init(keys: [.character("S")], label: "", action: .showView(.compare), help: "", group: "View"),
        .init(keys: [.character("m")], label: "m o E", action: .showView(.math), help: "math · overview · effect", group: "View"),
        .init(keys: [.character("o")], label: "", action: .showView(.overview), help: "", group: "View"),
        .init(keys: [.character("E")], label: "", action: .showView(.effect), help: "", group: "View"),
        .init(keys: [.enter], label: "", action: .open, help: "", group: "View"),
        .init(keys: [.character("e")], label: "e", action: .editText, help: "edit the text (Enter, Esc)", group: "Text"),
        .init(keys: [.character("n"), .character("N"), .character("C")], label: "n N C", action: .lessonKey, help: "lesson next · back · caption", group: "Text"),
        .init(keys: [.character("w")], label: "w", action: .export, help: "write view (SVG) + mask file", group: "App"),
        .init(keys: [.character("?"), .function(1)], label: "?", action: .toggleHelp, help: "this help", group: "App"),
        .init(keys: [.escape], label: "Esc", action: .back, help: "close overlay / view / span (never quits)", group: "App"),
        .init(keys: [.character("q")], label: "q", action: .quit, help: "quit (Ctrl-C always quits)", group: "App"),
    ]

    private static let byKey: [InputEvent: Action] = {
        var table: [InputEvent: Action] = [:]
        for binding in all {
            for key in binding.keys where table[key] == nil { table[key] = binding.action }
        }
        return table
    }()

    /// The action a key stands for in the main view.
    public static func action(for key: InputEvent) -> Action? { byKey[key] }

    /// The rows the help overlay lists, in order (continuation rows left out).
    public static var helpRows: [KeyBinding] { all.filter { !$0.label.isEmpty } }

    /// The bottom line's reminder, every item, as on a wide screen.
    public static let hint = hint(width: .max)

    /// The bottom line's reminder in at most `width` columns: the most useful keys first,
    /// and "? help  q quit" always at its end.
    /// `quit` says how to quit: "q quit", or "q q quit" while a lesson plays.
    public static func hint(width: Int, quit: String = "q quit") -> String {
        let items = ["←→ token", "↑↓ query", "0 5 1 x mask", "s semantics", "p pattern", "[ ] layer", "< > head",
                     "f scale", "v span", "u undo", "e edit", "t theme"]
        let tail = "? help  " + quit
        var shown: [String] = []
        for item in items where DisplayWidth.of((shown + [item, tail]).joined(separator: "  ")) <= width {
            shown.append(item)
        }
        return (shown + [tail]).joined(separator: "  ")
    }
}
