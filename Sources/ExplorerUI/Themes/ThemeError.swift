/// Why a theme could not be loaded. Every case names the file (`source`), the line when it is
/// known (1-based) and the key as a dotted path (`colors.scale`), so the message can be acted on.
public enum ThemeError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(source: String, reason: String)
    /// The text is not valid TOML; `line`/`column` come from the TOML parser.
    case badTOML(source: String, line: Int?, column: Int?, reason: String)
    /// A key the theme format does not have; `suggestion` is a close known key, if any.
    case unknownKey(source: String, line: Int?, key: String, suggestion: String?)
    /// A color that is not `#rrggbb`.
    case badHex(source: String, line: Int?, key: String, value: String)
    /// A color scale needs at least two stops to show a range of weights.
    case tooFewStops(source: String, line: Int?, key: String, count: Int)
    /// A required key is absent; `line` is that of its table header when the table exists.
    case missingKey(source: String, line: Int?, key: String)
    /// The key holds a value of another TOML type.
    case wrongType(source: String, line: Int?, key: String, expected: String, found: String)
    /// The value has the right type but cannot be used (e.g. a two-line description).
    case badValue(source: String, line: Int?, key: String, reason: String)
    /// `ThemeCatalog.resolve` got a name that is neither a built-in theme nor a file.
    case unknownTheme(name: String, available: [String], suggestion: String?)

    public var description: String {
        switch self {
        case let .unreadable(source, reason):
            return "\(source): cannot read theme file: \(reason)"
        case let .badTOML(source, line, column, reason):
            return "\(Self.place(source, line, column)): not valid TOML: \(reason)"
        case let .unknownKey(source, line, key, suggestion):
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return "\(Self.place(source, line)): unknown key '\(key)'\(hint); see themes/viridis.toml for every key"
        case let .badHex(source, line, key, value):
            return "\(Self.place(source, line)): key '\(key)': \"\(value)\" is not a color; write \"#rrggbb\" with six hex digits, e.g. \"#3b528b\""
        case let .tooFewStops(source, line, key, count):
            return "\(Self.place(source, line)): key '\(key)' has \(count) color stop\(count == 1 ? "" : "s"); a scale needs at least 2 (weight 0 and weight 1)"
        case let .missingKey(source, line, key):
            return "\(Self.place(source, line)): missing required key '\(key)'"
        case let .wrongType(source, line, key, expected, found):
            return "\(Self.place(source, line)): key '\(key)' must be \(expected), found \(found)"
        case let .badValue(source, line, key, reason):
            return "\(Self.place(source, line)): key '\(key)': \(reason)"
        case let .unknownTheme(name, available, suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            return "no theme named '\(name)' and no such file.\(hint) Built-in themes: \(available.joined(separator: ", ")); or give a path to a .toml theme file"
        }
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    private static func place(_ source: String, _ line: Int?, _ column: Int? = nil) -> String {
        guard let line else { return source }
        guard let column else { return "\(source):\(line)" }
        return "\(source):\(line):\(column)"
    }
}
