import AttentionCore
import Foundation
import Tokenizers
import TOMLKit

/// A guided tour of the explorer, read from a TOML file: a title and steps, each a caption plus
/// the explorer state it shows (text, mask, pattern, semantics, layer, head, view).
///
/// ```toml
/// title = "What does 0.5 mean?"
///
/// [[step]]
/// caption = "The blog post's mask, by position. Under hf (transformers 5) 0.5 keeps 'jumps' fully."
/// text = "The quick brown fox jumps over the lazy dog."
/// mask = "quick=1,jumps=0.5,lazy..=0"
///
/// [[step]]
/// caption = "Under hf4 (transformers 4) the same 0.5 masks 'jumps' completely."
/// semantics = "hf4"
/// ```
///
/// Every key carries over to later steps until a step sets it again. A new `text`, `pair`,
/// `pad_to` or `pad_side` re-tokenizes and resets the mask to the tokenizer's (1, and 0 for
/// `[PAD]`); `mask` is a SPEC applied on top of the mask the step starts from; `pair = ""`
/// removes the pair and `pad_to = 0` the padding; `pad_side = "left"` puts the padding before
/// the text (`"right"`, the default, after it). The first step must set `text`.
///
/// `model = "smollm2"` (any `--model` value) names the model the captions describe, and
/// `fallback = "builtin"` a model the lesson, claims included, also holds on, used when the
/// named one is not installed. A step's `expect` (a string or an array of strings) holds
/// claims about that step in `ClaimParser`'s language, checked by `maskscope lesson --check`.
public struct Lesson: Equatable, Sendable {
    public let title: String
    /// The `--model` value the lesson is written for; nil: whatever model is chosen.
    public var model: String?
    /// The `--model` value the lesson also holds on (claims included) when `model` is missing.
    public var fallback: String?
    /// Names the file in problems (the path as given).
    public let source: String
    public let steps: [LessonStep]

    /// Keys at the top of the file.
    public static let topLevelKeys = ["title", "model", "fallback", "step"]
    /// Keys of a `[[step]]` table.
    public static let stepKeys = ["caption", "text", "pair", "pad_to", "pad_side", "mask", "pattern", "semantics", "layer", "head", "view", "notes", "expect"]

    public init(title: String, source: String, steps: [LessonStep], model: String? = nil, fallback: String? = nil) {
        self.title = title
        self.model = model
        self.fallback = fallback
        self.source = source
        self.steps = steps
    }

    /// Reads a lesson file. Errors name the file as given (`url.relativePath`), the line, the step and the key.
    /// - Throws: `LessonError` (`.invalid` lists every problem found, not only the first).
    public static func load(contentsOf url: URL) throws(LessonError) -> Lesson {
        try parse(toml: try readText(of: url), source: url.relativePath)
    }

    /// Parses lesson TOML. `source` names the text in problems. Checks everything that needs no
    /// model: keys (unknown ones are errors, with a close known key suggested), types, that each
    /// step has a caption, that masks, patterns, semantics and views are spelled right. What
    /// depends on the model's tokens and size is `check(model:)`.
    public static func parse(toml: String, source: String) throws(LessonError) -> Lesson {
        let (lesson, problems) = try read(toml: toml, source: source)
        guard problems.isEmpty else { throw .invalid(problems) }
        return lesson
    }

    /// Everything wrong with a lesson file, for `maskscope lesson --check`: what `parse` finds
    /// and, in the steps it could read, what `check(model:)` finds. Empty when the lesson plays.
    /// With `claims`, each step's `expect` claims are evaluated too (`claimProblems(states:)`).
    /// Without a model only what `parse` finds (the file's keys, types and claim syntax).
    public static func problems(inFile url: URL, model: EncoderModel?, claims: Bool = true) -> [LessonProblem] {
        do {
            return problems(inTOML: try readText(of: url), source: url.relativePath, model: model, claims: claims)
        } catch {
            return error.problems
        }
    }

    /// `problems(inFile:model:claims:)` for text already read.
    public static func problems(inTOML toml: String, source: String, model: EncoderModel?, claims: Bool = true) -> [LessonProblem] {
        do {
            let (lesson, problems) = try read(toml: toml, source: source)
            guard let model else { return problems }
            let (states, stepProblems) = lesson.stepStates(model: model)
            let all = problems + stepProblems + (claims ? lesson.claimProblems(states: states) : [])
            return all.sorted { ($0.step ?? 0, $0.line ?? 0) < ($1.step ?? 0, $1.line ?? 0) }
        } catch {
            return error.problems
        }
    }

    /// The lesson's `model` and `fallback`, read before a model is chosen; nil for a file that
    /// cannot be read (its problems are reported when it is loaded).
    public static func declaredModels(inFile url: URL) -> (model: String?, fallback: String?) {
        guard let text = try? readText(of: url), let (lesson, _) = try? read(toml: text, source: url.relativePath) else {
            return (nil, nil)
        }
        return (lesson.model, lesson.fallback)
    }

    private static func readText(of url: URL) throws(LessonError) -> String {
        let source = url.relativePath
        guard FileManager.default.fileExists(atPath: source) else {
            throw .unreadable(source: source, reason: "no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(source: source, reason: FileReadProblem.reason(for: url, error: error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(source: source, reason: "not UTF-8 text")
        }
        return text
    }

    /// The lesson with each broken key left out, and the problems: so `--check` can go on to
    /// check the rest against the model and report everything at once.
    static func read(toml: String, source: String) throws(LessonError) -> (Lesson, [LessonProblem]) {
        if let bad = TOMLParserGuard.firstProblem(in: toml) {
            throw .badTOML(source: source, line: bad.line, column: bad.column, reason: bad.reason)
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw .badTOML(source: source, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw .badTOML(source: source, line: nil, column: nil, reason: "\(error)")
        }
        var reader = LessonReader(source: source, lines: LessonLines(text: toml), root: root,
                                  text: toml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        let lesson = reader.lesson()
        return (lesson, reader.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
    }
}

/// One step of a lesson: its caption and the keys it sets (nil: carried over from the step before).
public struct LessonStep: Equatable, Sendable {
    /// What the step explains, shown in the caption box. A newline starts a new line.
    public var caption: String
    public var text: String?
    /// The second text of a pair; "" removes the pair.
    public var pair: String?
    /// Pad with `[PAD]` to this many positions; 0 removes the padding.
    public var padTo: Int?
    /// Where the padding goes: after the text, or before it (`"left"`, as decoder batches are padded).
    public var padSide: PaddingSide?
    public var mask: MaskSpec?
    public var pattern: MaskPattern?
    public var semantics: MaskSemantics?
    public var layer: Int?
    public var head: Int?
    public var view: ExplorerView?
    /// Speaker notes: shown only by `maskscope lesson --notes`, never on the audience's screen.
    /// Not carried over: a step without notes has none.
    public var notes: String?
    /// Claims about this step, checked by `lesson --check` (not carried over to later steps).
    public var expect: [LessonClaim] = []
    /// 1-based line of the step's `[[step]]` header, and of each key it sets.
    public var line: Int?
    public var keyLines: [String: Int] = [:]

    public init(caption: String, text: String? = nil, pair: String? = nil, padTo: Int? = nil,
                padSide: PaddingSide? = nil, mask: MaskSpec? = nil,
                pattern: MaskPattern? = nil, semantics: MaskSemantics? = nil, layer: Int? = nil, head: Int? = nil,
                view: ExplorerView? = nil, notes: String? = nil, line: Int? = nil, keyLines: [String: Int] = [:]) {
        self.caption = caption
        self.text = text
        self.pair = pair
        self.padTo = padTo
        self.padSide = padSide
        self.mask = mask
        self.pattern = pattern
        self.semantics = semantics
        self.layer = layer
        self.head = head
        self.view = view
        self.notes = notes
        self.line = line
        self.keyLines = keyLines
    }

    /// Whether the step changes what is tokenized.
    var changesInput: Bool { text != nil || pair != nil || padTo != nil || padSide != nil }

    /// Where a problem with `key` is: the key's line, else the step's header.
    func line(of key: String?) -> Int? {
        key.flatMap { keyLines[$0] } ?? line
    }
}

/// Walks a parsed lesson table, keeping what is valid and turning the rest into problems.
private struct LessonReader {
    let source: String
    let lines: LessonLines
    let root: TOMLTable
    /// The file's lines, to find where each claim string sits.
    let text: [String]
    var problems: [LessonProblem] = []

    init(source: String, lines: LessonLines, root: TOMLTable, text: [String]) {
        self.source = source
        self.lines = lines
        self.root = root
        self.text = text
    }

    mutating func lesson() -> Lesson {
        for key in root.keys where !Lesson.topLevelKeys.contains(key) {
            fileProblem(key: key, line: lines.topLevel[key], "unknown key" + hint(for: key, in: Lesson.topLevelKeys)
                        + "; a lesson has 'title', 'model', 'fallback' and [[step]] tables")
        }
        var model: String?, fallback: String?
        for key in ["model", "fallback"] {
            guard let value = root[key] else { continue }
            if let name = value.string, !name.trimmingCharacters(in: .whitespaces).isEmpty {
                if key == "model" { model = name } else { fallback = name }
            } else {
                fileProblem(key: key, line: lines.topLevel[key], "must be a model name as --model takes it (\"smollm2\", \"minilm\", \"builtin\"), found \(shown(value))")
            }
        }
        var title = ""
        if let value = root["title"] {
            if let text = value.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                title = text
            } else {
                fileProblem(key: "title", line: lines.topLevel["title"], "must be a non-empty string, found \(shown(value))")
            }
        } else {
            fileProblem(key: "title", line: 1, "missing: add title = \"…\" at the top")
        }
        var steps: [LessonStep] = []
        if let value = root["step"] {
            if let array = value.array, array.count > 0 {
                for (index, element) in array.enumerated() {
                    steps.append(step(element, number: index + 1))
                }
            } else {
                fileProblem(key: "step", line: lines.topLevel["step"], "must be [[step]] tables, found \(shown(value))")
            }
        } else {
            fileProblem(key: "step", line: nil, "the lesson has no steps; add at least one [[step]] with a caption")
        }
        if let first = steps.first, first.text == nil, !problems.contains(where: { $0.step == 1 && $0.key == "text" }) {
            problem(first, 1, key: nil, "the first step must set 'text' (the sentence the lesson starts from)")
        }
        return Lesson(title: title, source: source, steps: steps, model: model, fallback: fallback)
    }

    private mutating func step(_ element: TOMLValueConvertible, number: Int) -> LessonStep {
        let position = number - 1
        var step = LessonStep(caption: "", line: lines.stepHeaders.indices.contains(position) ? lines.stepHeaders[position] : nil,
                              keyLines: lines.stepKeys.indices.contains(position) ? lines.stepKeys[position] : [:])
        guard let table = element.table else {
            problem(step, number, key: nil, "must be a table of keys ([[step]]), found \(shown(element))")
            return step
        }
        for key in table.keys.sorted(by: { (step.keyLines[$0] ?? 0) < (step.keyLines[$1] ?? 0) }) where !Lesson.stepKeys.contains(key) {
            problem(step, number, key: key, "unknown key" + hint(for: key, in: Lesson.stepKeys)
                    + "; a step has \(Lesson.stepKeys.joined(separator: ", "))")
        }
        if let value = table["caption"] {
            if let text = value.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                step.caption = text
            } else {
                problem(step, number, key: "caption", "must be a non-empty string, found \(shown(value))")
            }
        } else {
            problem(step, number, key: "caption", "missing: every step needs a caption saying what it shows")
        }
        if let value = table["text"] {
            if let text = value.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                step.text = text
            } else {
                problem(step, number, key: "text", "must be a non-empty string, found \(shown(value))")
            }
        }
        if let value = table["pair"] {
            if let text = value.string { step.pair = text } else { problem(step, number, key: "pair", "must be a string (\"\" removes the pair), found \(shown(value))") }
        }
        step.padTo = count(table, "pad_to", step, number, meaning: "a number of token positions (0 removes the padding)")
        let sides = PaddingSide.allCases.map(\.rawValue)
        if let name = string(table, "pad_side", step, number, expected: "one of \(names(sides))") {
            if let side = PaddingSide(rawValue: name) {
                step.padSide = side
            } else {
                problem(step, number, key: "pad_side", "unknown side '\(name)'" + hint(for: name, in: sides) + "; use one of \(names(sides))")
            }
        }
        if let spec = string(table, "mask", step, number, expected: "a mask SPEC string such as \"quick=1,jumps=0.5,lazy..=0\"") {
            do {
                step.mask = try MaskSpec(parsing: spec)
            } catch {
                problem(step, number, key: "mask", "\(error)")
            }
        }
        if let text = string(table, "pattern", step, number, expected: "a pattern string such as \"causal\" or \"window:2\"") {
            do {
                step.pattern = try MaskPattern(parsing: text)
            } catch {
                problem(step, number, key: "pattern", "\(error)")
            }
        }
        if let name = string(table, "semantics", step, number, expected: "one of \(names(MaskSemantics.allCases.map(\.rawValue)))") {
            if let semantics = MaskSemantics(rawValue: name) {
                step.semantics = semantics
            } else {
                let known = MaskSemantics.allCases.map(\.rawValue)
                problem(step, number, key: "semantics", "unknown semantics '\(name)'" + hint(for: name, in: known) + "; use one of \(names(known))")
            }
        }
        step.layer = count(table, "layer", step, number, meaning: "a layer number, counted from 0")
        step.head = count(table, "head", step, number, meaning: "a head number, counted from 0")
        if let name = string(table, "view", step, number, expected: "one of \(names(ExplorerView.allCases.map(\.rawValue)))") {
            if let view = ExplorerView(rawValue: name) {
                step.view = view
            } else {
                let known = ExplorerView.allCases.map(\.rawValue)
                problem(step, number, key: "view", "unknown view '\(name)'" + hint(for: name, in: known) + "; use one of \(names(known))")
            }
        }
        if let value = table["notes"] {
            if let text = value.string { step.notes = text } else { problem(step, number, key: "notes", "must be a string (speaker notes, shown only by 'maskscope lesson --notes'), found \(shown(value))") }
        }
        if let value = table["expect"] {
            step.expect = claims(value, step, number)
        }
        return step
    }

    /// The claims of `expect`, each with the line and column where its text starts; a claim
    /// that does not parse is a problem pointing at the offending column.
    private mutating func claims(_ value: TOMLValueConvertible, _ step: LessonStep, _ number: Int) -> [LessonClaim] {
        var texts: [String] = []
        if let one = value.string {
            texts = [one]
        } else if let array = value.array {
            for element in array {
                guard let text = element.string else {
                    problem(step, number, key: "expect", "must be a claim string or an array of them, found \(shown(element))")
                    return []
                }
                texts.append(text)
            }
        } else {
            problem(step, number, key: "expect", "must be a claim string or an array of them, found \(shown(value))")
            return []
        }
        var found: [LessonClaim] = []
        var searchFrom = (step.line(of: "expect") ?? 1) - 1
        for text in texts {
            var line = step.line(of: "expect")
            var column: Int?
            if searchFrom >= 0, searchFrom < self.text.count {
                for index in searchFrom..<self.text.count {
                    if let range = self.text[index].range(of: text) {
                        line = index + 1
                        column = self.text[index].distance(from: self.text[index].startIndex, to: range.lowerBound) + 1
                        searchFrom = index
                        break
                    }
                }
            }
            do {
                found.append(LessonClaim(claim: try ClaimParser.parse(text), line: line, column: column))
            } catch {
                problems.append(LessonProblem(source: source, line: line, column: column.map { $0 + error.column - 1 }, step: number,
                                              key: "expect", message: "\(error.message) in '\(text)'"))
            }
        }
        return found
    }

    private mutating func string(_ table: TOMLTable, _ key: String, _ step: LessonStep, _ number: Int, expected: String) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else {
            problem(step, number, key: key, "must be \(expected), found \(shown(value))")
            return nil
        }
        return text
    }

    private mutating func count(_ table: TOMLTable, _ key: String, _ step: LessonStep, _ number: Int, meaning: String) -> Int? {
        guard let value = table[key] else { return nil }
        guard let whole = value.int, whole >= 0 else {
            problem(step, number, key: key, "must be a whole number ≥ 0 (\(meaning)), found \(shown(value))")
            return nil
        }
        return whole
    }

    private mutating func problem(_ step: LessonStep, _ number: Int, key: String?, _ message: String) {
        problems.append(LessonProblem(source: source, line: step.line(of: key), step: number, key: key, message: message))
    }

    private mutating func fileProblem(key: String, line: Int?, _ message: String) {
        problems.append(LessonProblem(source: source, line: line, step: nil, key: key, message: message))
    }

    private func hint(for word: String, in known: [String]) -> String {
        closestMatch(to: word, in: known).map { " (did you mean '\($0)'?)" } ?? ""
    }

    private func names(_ list: [String]) -> String {
        list.map { "'\($0)'" }.joined(separator: ", ")
    }

    private func shown(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .table, .array: return "a \(value.type)"
        default: return "\(value.type) \(value.debugDescription)"
        }
    }
}

/// Finds the lines of a lesson's top-level keys, `[[step]]` headers and each step's keys, by
/// reading the source text (TOMLKit reports positions only for syntax errors). Skips the
/// inside of multi-line strings, so a caption's text is never taken for a key.
struct LessonLines {
    /// Top-level key → 1-based line.
    private(set) var topLevel: [String: Int] = [:]
    /// 1-based line of each `[[step]]` header, in order.
    private(set) var stepHeaders: [Int] = []
    /// For each step, key → 1-based line.
    private(set) var stepKeys: [[String: Int]] = []

    init(text: String) {
        var inMultiLineString: String?
        var inStep = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if let delimiter = inMultiLineString {
                if line.components(separatedBy: delimiter).count % 2 == 0 { inMultiLineString = nil }
                continue
            }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") {
                let name = line.filter { $0 != "[" && $0 != "]" && $0 != " " && $0 != "\t" }
                inStep = line.hasPrefix("[[") && name == "step"
                if inStep {
                    stepHeaders.append(lineNumber)
                    stepKeys.append([:])
                } else if let first = name.split(separator: ".").first {
                    topLevel[String(first)] = topLevel[String(first)] ?? lineNumber
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            if inStep, !stepKeys.isEmpty {
                stepKeys[stepKeys.count - 1][key] = lineNumber
            } else {
                topLevel[key] = topLevel[key] ?? lineNumber
            }
            let value = line[line.index(after: equals)...]
            for delimiter in ["\"\"\"", "'''"] where value.components(separatedBy: delimiter).count == 2 {
                inMultiLineString = delimiter
            }
        }
    }
}
