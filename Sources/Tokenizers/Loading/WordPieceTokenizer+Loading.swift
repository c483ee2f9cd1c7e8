import Foundation

/// Loading a BERT tokenizer from the files a Hugging Face model folder ships.
extension WordPieceTokenizer {
    /// Loads from a model folder: tokenizer.json when present, else vocab.txt; either way
    /// tokenizer_config.json (if present) supplies `do_lower_case`, `strip_accents`,
    /// `tokenize_chinese_chars` and the special-token spellings, as transformers' BertTokenizer does.
    public static func load(folder: URL) throws -> WordPieceTokenizer {
        let json = folder.appendingPathComponent("tokenizer.json")
        let vocab = folder.appendingPathComponent("vocab.txt")
        let config = folder.appendingPathComponent("tokenizer_config.json")
        /// Whether the file is there; a symbolic link to nothing is an error, not an absent file.
        func present(_ file: URL) throws -> Bool {
            if FileManager.default.fileExists(atPath: file.path) { return true }
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: file.path)) == nil else {
                throw TokenizerError.unreadableFile(file: file.path, reason: FileReadProblem.reason(for: file))
            }
            return false
        }
        let configFile = try present(config) ? config : nil
        if try present(json) {
            return try load(tokenizerJSON: json, config: configFile)
        }
        if try present(vocab) {
            return try load(vocabularyFile: vocab, config: configFile)
        }
        throw TokenizerError.noTokenizerFiles(folder: folder.path)
    }

    /// Loads a vocab.txt (one token per line, the line number minus one is its id) with
    /// BertTokenizer's defaults (lower-cased, accents stripped), overridden by `config`.
    public static func load(vocabularyFile: URL, config: URL? = nil) throws -> WordPieceTokenizer {
        try load(vocabularyData: try readFile(vocabularyFile), name: vocabularyFile.lastPathComponent, config: config)
    }

    /// `load(vocabularyFile:config:)` for a vocab.txt already read; `name` is the file named in errors.
    static func load(vocabularyData: Data, name: String, config: URL? = nil) throws -> WordPieceTokenizer {
        let tokens = try readVocabularyLines(vocabularyData, file: name)
        let settings = try config.map { try TokenizerConfig(file: $0) } ?? TokenizerConfig()
        return try WordPieceTokenizer(
            entries: tokens.enumerated().map { (token: $0.element, id: $0.offset) },
            lowercase: settings.lowercase ?? true,
            stripAccents: settings.stripAccents ?? nil,
            tokenizeChineseChars: settings.tokenizeChineseChars ?? true,
            cleanText: true,
            unknownToken: settings.unknownToken ?? "[UNK]",
            classToken: settings.classToken ?? "[CLS]",
            separatorToken: settings.separatorToken ?? "[SEP]",
            paddingToken: settings.paddingToken ?? "[PAD]",
            maskToken: settings.maskToken ?? "[MASK]",
            extraSpecialTokens: [],
            continuationPrefix: "##",
            maxInputCharsPerWord: 100,
            source: name
        )
    }

    /// Loads a tokenizer.json with a WordPiece model and a BertNormalizer. Its normalizer
    /// flags apply unless `config` (tokenizer_config.json) sets them, which then wins, as in
    /// transformers. Added tokens marked special are recognised in text with their own ids.
    public static func load(tokenizerJSON: URL, config: URL? = nil) throws -> WordPieceTokenizer {
        try load(tokenizerJSONData: try readFile(tokenizerJSON), name: tokenizerJSON.lastPathComponent, config: config)
    }

    /// `load(tokenizerJSON:config:)` for a tokenizer.json already read; `name` is the file named in errors.
    static func load(tokenizerJSONData data: Data, name: String, config: URL? = nil) throws -> WordPieceTokenizer {
        let root = try TokenizerJSON.object(data, file: name)
        guard let model = root["model"] as? [String: Any] else {
            throw TokenizerError.badJSON(file: name, reason: "has no \"model\" object")
        }
        if let type = model["type"] as? String, type != "WordPiece" {
            throw TokenizerError.unsupportedModel(file: name, type: type)
        }
        guard let vocab = model["vocab"] as? [String: Any] else {
            throw TokenizerError.badJSON(file: name, reason: "\"model.vocab\" is missing or not an object of token: id")
        }
        var entries: [(token: String, id: Int)] = []
        entries.reserveCapacity(vocab.count)
        for (token, value) in vocab {
            guard let id = TokenizerJSON.integer(value), id >= 0, id < maxVocabularyID else {
                throw TokenizerError.badVocabularyID(file: name, token: token, id: TokenizerJSON.integer(value) ?? -1)
            }
            entries.append((token, id))
        }
        entries.sort { $0.id < $1.id }

        var lowercase = true, stripAccents: Bool? = nil, chinese = true, clean = true
        switch root["normalizer"] {
        case let normalizer as [String: Any]:
            guard normalizer["type"] as? String == "BertNormalizer" else {
                throw TokenizerError.badJSON(file: name, reason: "normalizer type '\(normalizer["type"] ?? "none")' is not supported; expected BertNormalizer")
            }
            lowercase = normalizer["lowercase"] as? Bool ?? true
            stripAccents = normalizer["strip_accents"] as? Bool
            chinese = normalizer["handle_chinese_chars"] as? Bool ?? true
            clean = normalizer["clean_text"] as? Bool ?? true
        default:
            lowercase = false; stripAccents = false; chinese = false; clean = false
        }

        guard !entries.isEmpty else { throw TokenizerError.emptyVocabulary(file: name) }
        try checkPreTokenizer(root["pre_tokenizer"], file: name)
        let template = try bertTemplate(root["post_processor"], file: name)

        var added: [(token: String, id: Int?)] = []
        for case let token as [String: Any] in root["added_tokens"] as? [Any] ?? [] {
            guard token["special"] as? Bool == true, let content = token["content"] as? String else { continue }
            guard let id = TokenizerJSON.integer(token["id"]), id >= 0, id < maxVocabularyID else {
                throw TokenizerError.badVocabularyID(file: name, token: content, id: TokenizerJSON.integer(token["id"]) ?? -1)
            }
            added.append((content, id))
        }

        let settings = try config.map { try TokenizerConfig(file: $0) } ?? TokenizerConfig()
        let maxChars = TokenizerJSON.integer(model["max_input_chars_per_word"]) ?? 100
        return try WordPieceTokenizer(
            entries: entries,
            lowercase: settings.lowercase ?? lowercase,
            stripAccents: settings.stripAccents ?? stripAccents,
            tokenizeChineseChars: settings.tokenizeChineseChars ?? chinese,
            cleanText: clean,
            unknownToken: settings.unknownToken ?? (model["unk_token"] as? String) ?? "[UNK]",
            classToken: template.classToken,
            separatorToken: template.separatorToken,
            paddingToken: settings.paddingToken ?? "[PAD]",
            maskToken: settings.maskToken ?? "[MASK]",
            extraSpecialTokens: added,
            continuationPrefix: model["continuing_subword_prefix"] as? String ?? "##",
            maxInputCharsPerWord: maxChars,
            source: name
        )
    }

    /// Ids at or above this are rejected: they would only make the id table huge.
    /// Refuses any `pre_tokenizer` but BERT's (whitespace, then each punctuation mark alone),
    /// the only one `encode` reproduces.
    static func checkPreTokenizer(_ value: Any?, file: String) throws {
        let supported = "BertPreTokenizer"
        guard let object = value as? [String: Any] else {
            throw TokenizerError.unsupportedComponent(file: file, component: "pre_tokenizer", found: "null (no word splitting)", supported: supported)
        }
        let type = object["type"] as? String ?? "without a type"
        guard type == "BertPreTokenizer" else {
            throw TokenizerError.unsupportedComponent(file: file, component: "pre_tokenizer", found: "'\(type)'", supported: supported)
        }
    }

    /// The class and separator tokens of a `post_processor` that lays out inputs as BERT does,
    /// `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]` with type ids 0 then 1: `BertProcessing`, or
    /// `TemplateProcessing` with exactly that template. Anything else is refused.
    static func bertTemplate(_ value: Any?, file: String) throws -> (classToken: String, separatorToken: String) {
        let supported = "BertProcessing, or TemplateProcessing '[CLS] $A [SEP]' / '[CLS] $A [SEP] $B:1 [SEP]:1'"
        func refuse(_ found: String) -> TokenizerError {
            .unsupportedComponent(file: file, component: "post_processor", found: found, supported: supported)
        }
        guard let object = value as? [String: Any] else { throw refuse("null (no special tokens added)") }
        let type = object["type"] as? String ?? "without a type"
        switch type {
        case "BertProcessing":
            guard let cls = (object["cls"] as? [Any])?.first as? String, let sep = (object["sep"] as? [Any])?.first as? String else {
                throw refuse("'BertProcessing' without \"cls\" and \"sep\" pairs")
            }
            return (cls, sep)
        case "TemplateProcessing":
            /// One template piece as (special token or sequence id, type id).
            func pieces(_ key: String) -> [(special: String?, sequence: String?, type: Int)]? {
                guard let items = object[key] as? [Any] else { return nil }
                var result: [(special: String?, sequence: String?, type: Int)] = []
                for case let item as [String: Any] in items {
                    if let special = item["SpecialToken"] as? [String: Any], let id = special["id"] as? String {
                        result.append((id, nil, TokenizerJSON.integer(special["type_id"]) ?? 0))
                    } else if let sequence = item["Sequence"] as? [String: Any], let id = sequence["id"] as? String {
                        result.append((nil, id, TokenizerJSON.integer(sequence["type_id"]) ?? 0))
                    } else {
                        return nil
                    }
                }
                return result.count == items.count ? result : nil
            }
            guard let single = pieces("single"), single.count == 3,
                  let cls = single[0].special, single[1].sequence == "A", let sep = single[2].special,
                  single.allSatisfy({ $0.type == 0 }) else {
                throw refuse("'TemplateProcessing' whose single template is not '[CLS] $A [SEP]'")
            }
            if let pair = pieces("pair") {
                let shape = pair.map { $0.special ?? "$" + ($0.sequence ?? "") }
                guard shape == [cls, "$A", sep, "$B", sep], pair.map(\.type) == [0, 0, 0, 1, 1] else {
                    throw refuse("'TemplateProcessing' whose pair template is not '\(cls) $A \(sep) $B:1 \(sep):1'")
                }
            }
            if let specials = object["special_tokens"] as? [String: Any] {
                for token in [cls, sep] {
                    guard let entry = specials[token] as? [String: Any], let tokens = entry["tokens"] as? [String], tokens == [token] else {
                        throw refuse("'TemplateProcessing' whose special token '\(token)' is not the single token of that name")
                    }
                }
            }
            return (cls, sep)
        default:
            throw refuse("'\(type)'")
        }
    }

    private static var maxVocabularyID: Int { 1 << 24 }

    private static func readFile(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(file: url.path, reason: FileReadProblem.reason(for: url, error: error))
        }
    }

    /// Splits vocab.txt into tokens as `tokenizers` does: lines end at `\n` (a `\r` before it
    /// goes too) and trailing whitespace is trimmed; a final newline adds no empty token.
    static func readVocabularyLines(_ data: Data, file: String) throws -> [String] {
        var tokens: [String] = []
        let bytes = [UInt8](data)
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            guard let line = String(validating: bytes[lineStart..<lineEnd], as: UTF8.self) else {
                throw TokenizerError.notUTF8(file: file, line: lineNumber)
            }
            var scalars = line.unicodeScalars[...]
            while let last = scalars.last, BertCharacterClasses.isWhitespace(last) { scalars.removeLast() }
            tokens.append(String(String.UnicodeScalarView(scalars)))
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        guard !tokens.isEmpty, tokens.contains(where: { !$0.isEmpty }) else {
            throw TokenizerError.emptyVocabulary(file: file)
        }
        return tokens
    }
}

/// The BertTokenizer settings transformers reads from tokenizer_config.json; nil = not set.
struct TokenizerConfig {
    var lowercase: Bool?
    /// Outer nil: not set; inner nil: explicitly null (follow `lowercase`).
    var stripAccents: Bool??
    var tokenizeChineseChars: Bool?
    var unknownToken: String?
    var classToken: String?
    var separatorToken: String?
    var paddingToken: String?
    var maskToken: String?

    init() {}

    init(file: URL) throws {
        let name = file.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw TokenizerError.unreadableFile(file: file.path, reason: FileReadProblem.reason(for: file, error: error))
        }
        let root = try TokenizerJSON.object(data, file: name)
        func flag(_ key: String) throws -> Bool? {
            guard let value = root[key], !(value is NSNull) else { return nil }
            guard let bool = value as? Bool else {
                throw TokenizerError.badJSON(file: name, reason: "\"\(key)\" should be true or false")
            }
            return bool
        }
        func token(_ key: String) throws -> String? {
            switch root[key] {
            case nil, is NSNull: return nil
            case let string as String: return string
            case let object as [String: Any]:
                if let content = object["content"] as? String { return content }
                fallthrough
            default:
                throw TokenizerError.badJSON(file: name, reason: "\"\(key)\" should be a token string")
            }
        }
        lowercase = try flag("do_lower_case")
        if let value = root["strip_accents"] {
            stripAccents = .some(value is NSNull ? nil : try flag("strip_accents"))
        }
        tokenizeChineseChars = try flag("tokenize_chinese_chars")
        unknownToken = try token("unk_token")
        classToken = try token("cls_token")
        separatorToken = try token("sep_token")
        paddingToken = try token("pad_token")
        maskToken = try token("mask_token")
    }
}
