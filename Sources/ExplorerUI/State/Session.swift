import AttentionCore
import Foundation
import Tokenizers

/// The explorer's whole state as a small JSON file (`--session FILE`): loaded at start,
/// written atomically on quit, so a lecture can pick up where it stopped.
public struct Session: Codable, Equatable, Sendable {
    /// Bumped when the format changes incompatibly.
    public var version = 1
    public var text: String
    public var pair: String?
    public var padTo: Int?
    /// Where the padding goes; absent means after the text (files from before it existed).
    public var padSide: PaddingSide? = nil
    /// The `--model` value that loaded the model (a name, path or hub id).
    public var model: String
    /// One value per token position.
    public var mask: [Float]
    public var semantics: MaskSemantics
    /// The query × key pattern, in `--pattern` syntax ("causal", "window:2").
    public var pattern: String?
    /// Cell-mode edits as `[query, key, value]` triples.
    public var cells: [[Float]]?
    public var view: ExplorerView?
    public var layer: Int
    public var head: Int
    public var meanOfHeads: Bool
    public var dense: Bool
    public var theme: String
    public var selectedKey: Int
    public var selectedQuery: Int

    enum CodingKeys: String, CodingKey {
        case version, text, pair, model, mask, semantics, pattern, cells, view, layer, head, theme, dense
        case padTo = "pad_to", padSide = "pad_side", meanOfHeads = "mean_of_heads"
        case selectedKey = "selected_key", selectedQuery = "selected_query"
    }

    /// Reads a session file. Nothing is written here: a corrupt file is left as it is.
    public static func load(from url: URL) throws -> Session {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SessionError.unreadable(url.path, FileReadProblem.reason(for: url, error: error))
        }
        let session: Session
        do {
            session = try JSONDecoder().decode(Session.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw SessionError.corrupt(url.path, "the key \"\(key.stringValue)\" is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw SessionError.corrupt(url.path, "\"\(path)\" has the wrong type")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw SessionError.corrupt(url.path, path.isEmpty ? "it is not valid JSON" : "\"\(path)\" is not valid: \(context.debugDescription)")
        } catch {
            throw SessionError.corrupt(url.path, "\(error)")
        }
        guard session.version == 1 else {
            throw SessionError.corrupt(url.path, "version \(session.version) is newer than this Maskscope understands (1)")
        }
        guard session.mask.allSatisfy(\.isFinite) else {
            throw SessionError.corrupt(url.path, "the mask holds a value that is not a finite number")
        }
        return session
    }

    /// Writes the session atomically (temporary file, then rename).
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }
}

/// A session file that cannot be used; the file is left untouched.
public enum SessionError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, String)
    case corrupt(String, String)
    case doesNotFit(String, String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "session \(path) cannot be read: \(reason)"
        case let .corrupt(path, reason): return "session \(path) is not a Maskscope session: \(reason); the file was left as it is (move it away to start afresh)"
        case let .doesNotFit(path, reason): return "session \(path) does not fit its model: \(reason); the file was left as it is"
        }
    }
}

extension AppState {
    /// This state as a session, naming the model the way `--model` was given.
    public func session(model: String) -> Session {
        let length = explorer.tokens.count
        let cells = explorer.cellOverrides.sorted { $0.key < $1.key }.map { [Float($0.key / length), Float($0.key % length), $0.value] }
        return Session(text: explorer.text, pair: explorer.pair, padTo: explorer.padTo,
                padSide: explorer.padTo != nil && explorer.padSide == .left ? .left : nil, model: model, mask: explorer.mask,
                semantics: explorer.semantics, pattern: explorer.pattern == .none ? nil : explorer.pattern.description,
                cells: cells.isEmpty ? nil : cells, view: view, layer: layer, head: head, meanOfHeads: meanOfHeads, dense: dense,
                theme: unavailableSessionTheme ?? theme.name, selectedKey: selectedKey, selectedQuery: selectedQuery)
    }

    /// The explorer state a session describes, on an already loaded model.
    public init(session: Session, model: EncoderModel, source: URL, colors: ColorCapability = .truecolor,
                width: Int = 80, height: Int = 24) throws {
        var explorer: Explorer
        do {
            explorer = try Explorer(model: model, text: session.text, pair: session.pair, padTo: session.padTo,
                                    padSide: session.padSide ?? .right, semantics: session.semantics)
        } catch {
            throw SessionError.doesNotFit(source.path, "\(error)")
        }
        guard session.mask.count == explorer.tokens.count else {
            throw SessionError.doesNotFit(source.path, "its mask has \(session.mask.count) values but the text has \(explorer.tokens.count) tokens under \(model.info.name)")
        }
        do {
            try explorer.setMask(session.mask)
        } catch {
            throw SessionError.doesNotFit(source.path, "\(error)")
        }
        if let pattern = session.pattern {
            do {
                try explorer.setPattern(try MaskPattern(parsing: pattern))
            } catch {
                throw SessionError.doesNotFit(source.path, "its pattern '\(pattern)': \(error)")
            }
        }
        for cell in session.cells ?? [] {
            guard cell.count == 3, let query = Int(exactly: cell[0]), let key = Int(exactly: cell[1]) else {
                throw SessionError.corrupt(source.path, "each cell is [query, key, value]")
            }
            do {
                try explorer.setCell(query: query, key: key, value: cell[2])
            } catch {
                throw SessionError.doesNotFit(source.path, "cell [\(query), \(key)]: \(error)")
            }
        }
        let info = model.info
        guard (0..<info.layerCount).contains(session.layer), (0..<info.headCount).contains(session.head) else {
            throw SessionError.doesNotFit(source.path, "its layer \(session.layer), head \(session.head) do not exist: \(info.name) has layers 0…\(info.layerCount - 1) and heads 0…\(info.headCount - 1)")
        }
        let themes = ThemeCatalog.all
        let themeIndex = themes.firstIndex { $0.name == session.theme }
        self.init(explorer: explorer, themes: themes, themeIndex: themeIndex ?? themes.firstIndex { $0.name == ThemeCatalog.default.name } ?? 0,
                  colors: colors, width: width, height: height, layer: session.layer, head: session.head)
        if themeIndex == nil {
            unavailableSessionTheme = session.theme
            message = .warning("the session's theme '\(session.theme)' is not one of \(ThemeCatalog.names.joined(separator: ", ")): showing \(ThemeCatalog.default.name); the session keeps '\(session.theme)' unless t picks another")
        }
        meanOfHeads = session.meanOfHeads
        view = session.view ?? .heatmap
        dense = session.dense
        selectedKey = min(max(0, session.selectedKey), tokenCount - 1)
        selectedQuery = min(max(0, session.selectedQuery), tokenCount - 1)
    }
}
