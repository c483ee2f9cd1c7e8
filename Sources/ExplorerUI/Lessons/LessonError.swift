/// One thing wrong with a lesson file: where it is (file, line, 1-based step number and key) and
/// what to do about it. `maskscope lesson --check` prints one per line.
public struct LessonProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The lesson file as given (path or name).
    public let source: String
    /// 1-based line in the file, when it can be found.
    public let line: Int?
    /// 1-based column, for problems inside a value (a claim that does not parse).
    public let column: Int?
    /// 1-based step number, nil for problems with the file as a whole (title, TOML syntax).
    public let step: Int?
    /// The key at fault (`mask`, `layer`, …), nil when the problem is the step or file itself.
    public let key: String?
    public let message: String

    public init(source: String, line: Int?, column: Int? = nil, step: Int?, key: String?, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.step = step
        self.key = key
        self.message = message
    }

    /// `file.toml:14: step 3 (mask): no token 'cat' in the text; its tokens are: …`
    public var description: String {
        let place = line.map { "\(source):\($0)" + (column.map { ":\($0)" } ?? "") } ?? source
        var subject = ""
        if let step {
            subject = "step \(step)" + (key.map { " (\($0))" } ?? "") + ": "
        } else if let key {
            subject = "key '\(key)': "
        }
        return "\(place): \(subject)\(message)"
    }
}

/// Why a lesson cannot be loaded or played.
public enum LessonError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(source: String, reason: String)
    /// The text is not valid TOML; `line`/`column` come from the TOML parser.
    case badTOML(source: String, line: Int?, column: Int?, reason: String)
    /// The file parsed, but steps (or the title) are wrong; every problem is listed, in file order.
    case invalid([LessonProblem])

    public var description: String {
        switch self {
        case let .unreadable(source, reason):
            return "\(source): cannot read lesson file: \(reason)"
        case let .badTOML(source, line, column, reason):
            let place = [line, column].compactMap { $0 }.map(String.init)
            return "\(([source] + place).joined(separator: ":")): not valid TOML: \(reason)"
        case .invalid(let problems):
            return problems.map(\.description).joined(separator: "\n")
        }
    }

    /// The error as problems, for `--check`, which lists every problem the same way.
    public var problems: [LessonProblem] {
        switch self {
        case .invalid(let problems):
            return problems
        case let .unreadable(source, reason):
            return [LessonProblem(source: source, line: nil, step: nil, key: nil, message: "cannot read lesson file: \(reason)")]
        case let .badTOML(source, line, _, reason):
            return [LessonProblem(source: source, line: line, step: nil, key: nil, message: "not valid TOML: \(reason)")]
        }
    }
}
