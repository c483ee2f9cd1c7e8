import Foundation

/// Building a byte-level BPE tokenizer from what model files carry: GGUF metadata arrays,
/// a tokenizer.json, or GPT-2's vocab.json + merges.txt.
extension ByteLevelBPETokenizer {
    /// The tokenizer a GGUF file describes (`tokenizer.ggml.model = gpt2`), built as
    /// transformers 5.24's `AutoTokenizer.from_pretrained(dir, gguf_file=…)` builds it:
    /// tokens outside the byte alphabet are respelled from their UTF-8, control tokens (type 3)
    /// are special and user-defined ones (type 4) plain added tokens, both matched literally,
    /// and BOS/EOS are added only when `addBOS`/`addEOS` say so.
    ///
    /// - Parameters:
    ///   - tokens: `tokenizer.ggml.tokens`, index = id.
    ///   - merges: `tokenizer.ggml.merges`, each "left right".
    ///   - tokenTypes: `tokenizer.ggml.token_type` (1 normal, 2 unknown, 3 control,
    ///     4 user-defined, 5 unused, 6 byte); nil or empty when the file has none.
    ///   - bosID, eosID, unknownID, paddingID: `tokenizer.ggml.*_token_id`.
    ///   - addBOS, addEOS: `tokenizer.ggml.add_bos_token` / `add_eos_token`.
    ///   - pre: `tokenizer.ggml.pre` (`smollm`, `gpt2`, `llama-bpe`, `qwen2` …).
    ///   - source: the GGUF file, named in errors.
    /// - Throws: `TokenizerError.unsupportedComponent` for a `pre` name not supported,
    ///   `.missingMerges`, `.badMerge`, `.mergeNotInVocabulary`, `.badVocabularyID` for a
    ///   special id outside the vocabulary.
    public init(
        ggufTokens tokens: [String],
        merges: [String],
        tokenTypes: [Int]?,
        bosID: Int?,
        eosID: Int?,
        unknownID: Int?,
        paddingID: Int?,
        addBOS: Bool,
        addEOS: Bool = false,
        pre: String?,
        source: String = "GGUF metadata"
    ) throws {
        guard let pattern = SplitPattern(ggufPre: pre) else {
            throw TokenizerError.unsupportedComponent(
                file: source, component: "tokenizer.ggml.pre", found: "'\(pre ?? "")'",
                supported: SplitPattern.supportedGGUFNames.joined(separator: ", "))
        }
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary(file: source) }
        let tokenTypes = tokenTypes?.isEmpty == true ? nil : tokenTypes
        if let types = tokenTypes, types.count != tokens.count {
            throw TokenizerError.badJSON(file: source, reason: "tokenizer.ggml.token_type has \(types.count) entries for \(tokens.count) tokens")
        }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            let spelled = ByteLevelAlphabet.spellsBytes(token) ? token : ByteLevelAlphabet.spell(Array(token.utf8))
            vocabulary[spelled] = id
        }
        var added: [AddedToken] = []
        if let types = tokenTypes {
            for (token, type) in zip(tokens, types) where type == 3 && ByteLevelAlphabet.spellsBytes(token) {
                if let id = vocabulary[token] { added.append(AddedToken(content: token, id: id, special: true)) }
            }
            for (token, type) in zip(tokens, types) where type == 4 {
                if let id = vocabulary[token], !added.contains(where: { $0.content == token }) {
                    added.append(AddedToken(content: token, id: id, special: false))
                }
            }
        }
        var roles: [SpecialTokenRole: SpecialToken] = [:]
        for (role, id) in [(SpecialTokenRole.bos, bosID), (.eos, eosID), (.unk, unknownID), (.pad, paddingID)] {
            guard let id else { continue }
            guard id >= 0, id < tokens.count else {
                throw TokenizerError.badVocabularyID(file: source, token: "tokenizer.ggml.\(role.rawValue)_token_id", id: id)
            }
            roles[role] = SpecialToken(token: tokens[id], id: id)
            // transformers registers bos/eos/unk/pad as special tokens, so they match literally too.
            if ByteLevelAlphabet.spellsBytes(tokens[id]) {
                if let index = added.firstIndex(where: { $0.content == tokens[id] }) {
                    added[index].special = true
                } else {
                    added.append(AddedToken(content: tokens[id], id: id, special: true))
                }
            }
        }
        let lines = merges.enumerated().map { (text: $0.element[...], line: $0.offset + 1) }
        try self.init(
            vocabulary: vocabulary,
            merges: try BPEFileReading.merges(fromLines: lines, file: source),
            addedTokens: added,
            splitPattern: pattern,
            template: .decoder(bos: addBOS ? roles[.bos] : nil, eos: addEOS ? roles[.eos] : nil),
            roles: roles,
            source: source
        )
    }

    /// Loads from a model folder: tokenizer.json when present, else vocab.json + merges.txt;
    /// tokenizer_config.json, when present, names the special tokens by role.
    public static func load(folder: URL) throws -> ByteLevelBPETokenizer {
        let manager = FileManager.default
        let json = folder.appendingPathComponent("tokenizer.json")
        let vocab = folder.appendingPathComponent("vocab.json")
        let merges = folder.appendingPathComponent("merges.txt")
        let config = folder.appendingPathComponent("tokenizer_config.json")
        let configFile = manager.fileExists(atPath: config.path) ? config : nil
        if manager.fileExists(atPath: json.path) { return try load(tokenizerJSON: json, config: configFile) }
        if manager.fileExists(atPath: vocab.path), manager.fileExists(atPath: merges.path) {
            return try load(vocabularyFile: vocab, mergesFile: merges, config: configFile)
        }
        throw TokenizerError.noTokenizerFiles(folder: folder.path)
    }

    /// GPT-2's files: vocab.json (token → id) and merges.txt ("#version" line, then "a b" per
    /// line). As transformers' `GPT2Tokenizer(vocab, merges)`: the GPT-2 regex, nothing added
    /// around the text, `<|endoftext|>` as BOS/EOS/UNK and matched literally.
    public static func load(vocabularyFile: URL, mergesFile: URL, config: URL? = nil) throws -> ByteLevelBPETokenizer {
        let vocabName = vocabularyFile.lastPathComponent
        let mergesName = mergesFile.lastPathComponent
        let vocabulary = try BPEFileReading.vocabulary(
            TokenizerJSON.object(try BPEFileReading.readUTF8(vocabularyFile), file: vocabName),
            file: vocabName, field: "the file")
        let text = String(decoding: try BPEFileReading.readUTF8(mergesFile), as: UTF8.self)
        var lines: [(text: Substring, line: Int)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || (index == 0 && line.hasPrefix("#version")) { continue }
            lines.append((line, index + 1))
        }
        let merges = try BPEFileReading.merges(fromLines: lines, file: mergesName)
        let settings = try config.map(BPEConfig.init(file:)) ?? BPEConfig()
        var roles: [SpecialTokenRole: SpecialToken] = [:]
        let defaults: [(SpecialTokenRole, String?)] = [
            (.bos, settings.bos ?? "<|endoftext|>"), (.eos, settings.eos ?? "<|endoftext|>"),
            (.unk, settings.unk ?? "<|endoftext|>"), (.pad, settings.pad),
        ]
        for (role, token) in defaults {
            if let token, let id = vocabulary[token] { roles[role] = SpecialToken(token: token, id: id) }
        }
        let added = Set(roles.values).sorted { $0.id < $1.id }.map { AddedToken(content: $0.token, id: $0.id, special: true) }
        return try ByteLevelBPETokenizer(
            vocabulary: vocabulary, merges: merges, addedTokens: added, splitPattern: .gpt2,
            addPrefixSpace: settings.addPrefixSpace ?? false,
            template: .decoder(bos: settings.addBOS == true ? roles[.bos] : nil, eos: settings.addEOS == true ? roles[.eos] : nil),
            roles: roles, source: vocabName, mergesSource: mergesName
        )
    }

    /// A tokenizer.json whose model is byte-level BPE. Supported parts — anything else is
    /// refused with its name: normalizer none or NFC; pre-tokenizer `ByteLevel` or
    /// `Sequence[Split(GPT-2/Llama 3/Qwen2 regex, Isolated), ByteLevel(use_regex: false)]`;
    /// post-processor none, `ByteLevel`, `TemplateProcessing`, `RobertaProcessing` or a
    /// `Sequence` of them; decoder none or `ByteLevel`.
    public static func load(tokenizerJSON: URL, config: URL? = nil) throws -> ByteLevelBPETokenizer {
        let name = tokenizerJSON.lastPathComponent
        let root = try TokenizerJSON.object(try BPEFileReading.readUTF8(tokenizerJSON), file: name)
        func refuse(_ component: String, _ value: Any?, supported: String) -> TokenizerError {
            let type = (value as? [String: Any])?["type"] as? String ?? "\(value ?? "none")"
            return .unsupportedComponent(file: name, component: component, found: "'\(type)'", supported: supported)
        }

        guard let model = root["model"] as? [String: Any] else {
            throw TokenizerError.badJSON(file: name, reason: "has no \"model\" object")
        }
        let modelType = model["type"] as? String ?? (model["merges"] != nil ? "BPE" : "unknown")
        guard modelType == "BPE" else { throw refuse("model", model, supported: "BPE") }
        if model["byte_fallback"] as? Bool == true {
            throw TokenizerError.unsupportedComponent(file: name, component: "model option", found: "'byte_fallback'", supported: "byte-level BPE without byte_fallback")
        }
        if let dropout = model["dropout"], !(dropout is NSNull) {
            throw TokenizerError.unsupportedComponent(file: name, component: "model option", found: "'dropout'", supported: "dropout null")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let affix = model[key] as? String, !affix.isEmpty {
                throw TokenizerError.unsupportedComponent(file: name, component: "model option", found: "'\(key)' = '\(affix)'", supported: "empty affixes")
            }
        }
        let vocabulary = try BPEFileReading.vocabulary(model["vocab"], file: name, field: "model.vocab")
        let merges = try BPEFileReading.merges(json: model["merges"], file: name)

        var normalizesNFC = false
        switch root["normalizer"] {
        case nil, is NSNull: break
        case let normalizer as [String: Any] where normalizer["type"] as? String == "NFC": normalizesNFC = true
        case let normalizer as [String: Any] where normalizer["type"] as? String == "Sequence"
            && (normalizer["normalizers"] as? [Any])?.isEmpty == true: break
        case let other: throw refuse("normalizer", other, supported: "none, NFC")
        }

        let preSupported = "ByteLevel, Sequence[Split(GPT-2, Llama 3 or Qwen2 regex), ByteLevel]"
        var splitPattern: SplitPattern?
        var addPrefixSpace = false
        guard let pre = root["pre_tokenizer"] as? [String: Any] else { throw refuse("pre_tokenizer", root["pre_tokenizer"], supported: preSupported) }
        switch pre["type"] as? String {
        case "ByteLevel":
            addPrefixSpace = pre["add_prefix_space"] as? Bool ?? false
            splitPattern = (pre["use_regex"] as? Bool ?? true) ? .gpt2 : nil
        case "Sequence":
            let steps = pre["pretokenizers"] as? [[String: Any]] ?? []
            guard steps.count == 2, steps[0]["type"] as? String == "Split", steps[1]["type"] as? String == "ByteLevel" else {
                throw TokenizerError.unsupportedComponent(file: name, component: "pre_tokenizer", found: "'Sequence[" + steps.map { $0["type"] as? String ?? "?" }.joined(separator: ", ") + "]'", supported: preSupported)
            }
            let split = steps[0], byteLevel = steps[1]
            let regex = (split["pattern"] as? [String: Any])?["Regex"] as? String ?? (split["pattern"] as? [String: Any])?["String"] as? String ?? ""
            guard let pattern = SplitPattern(regex: regex) else {
                throw TokenizerError.unsupportedComponent(file: name, component: "Split regex", found: "'\(regex)'", supported: "the GPT-2, Llama 3 and Qwen2 regexes")
            }
            guard (split["behavior"] as? String ?? "Isolated") == "Isolated", split["invert"] as? Bool != true else {
                throw TokenizerError.unsupportedComponent(file: name, component: "Split behavior", found: "'\(split["behavior"] ?? "?")' with invert \(split["invert"] ?? false)", supported: "Isolated, invert false")
            }
            guard byteLevel["use_regex"] as? Bool == false, byteLevel["add_prefix_space"] as? Bool != true else {
                throw TokenizerError.unsupportedComponent(file: name, component: "ByteLevel after Split", found: "with use_regex or add_prefix_space", supported: "ByteLevel(use_regex: false, add_prefix_space: false)")
            }
            splitPattern = pattern
        default:
            throw refuse("pre_tokenizer", pre, supported: preSupported)
        }

        switch root["decoder"] {
        case nil, is NSNull: break
        case let decoder as [String: Any] where decoder["type"] as? String == "ByteLevel": break
        case let other: throw refuse("decoder", other, supported: "none, ByteLevel")
        }

        var added: [AddedToken] = []
        for item in root["added_tokens"] as? [[String: Any]] ?? [] {
            guard let content = item["content"] as? String, let id = TokenizerJSON.integer(item["id"]) else {
                throw TokenizerError.badJSON(file: name, reason: "an added_tokens entry lacks content or id")
            }
            added.append(AddedToken(content: content, id: id, special: item["special"] as? Bool ?? false,
                                    lstrip: item["lstrip"] as? Bool ?? false, rstrip: item["rstrip"] as? Bool ?? false,
                                    singleWord: item["single_word"] as? Bool ?? false))
        }
        func lookup(_ token: String) -> SpecialToken? {
            (added.first { $0.content == token }?.id ?? vocabulary[token]).map { SpecialToken(token: token, id: $0) }
        }

        let template = try postTemplate(root["post_processor"], lookup: lookup, file: name)
        let settings = try config.map(BPEConfig.init(file:)) ?? BPEConfig()
        var roles: [SpecialTokenRole: SpecialToken] = [:]
        let guesses: [(SpecialTokenRole, String?, [String])] = [
            (.bos, settings.bos, ["<s>", "<|begin_of_text|>", "<|startoftext|>"]),
            (.eos, settings.eos, ["</s>", "<|endoftext|>", "<|end_of_text|>"]),
            (.unk, settings.unk ?? (model["unk_token"] as? String), ["<unk>"]),
            (.pad, settings.pad, ["<pad>", "<|pad|>"]),
            (.mask, settings.mask, ["<mask>"]),
            (.cls, settings.cls, []),
            (.sep, settings.sep, []),
        ]
        for (role, configured, names) in guesses {
            if let configured {
                if let token = lookup(configured) { roles[role] = token }
            } else if let token = names.lazy.compactMap(lookup).first {
                roles[role] = token
            }
        }
        if roles[.cls] == nil, let cls = template.leadingSpecial, template.trailingSpecial != nil { roles[.cls] = cls }
        if roles[.sep] == nil, template.leadingSpecial != nil, let sep = template.trailingSpecial { roles[.sep] = sep }
        if roles[.bos] == nil { roles[.bos] = template.leadingSpecial }
        return try ByteLevelBPETokenizer(
            vocabulary: vocabulary, merges: merges, addedTokens: added, splitPattern: splitPattern,
            addPrefixSpace: addPrefixSpace, normalizesNFC: normalizesNFC, template: template, roles: roles,
            ignoreMerges: model["ignore_merges"] as? Bool ?? false,
            unknownToken: model["unk_token"] as? String, source: name
        )
    }

    /// The template a `post_processor` describes.
    private static func postTemplate(_ value: Any?, lookup: (String) -> SpecialToken?, file: String) throws -> PostTemplate {
        let supported = "none, ByteLevel, TemplateProcessing, RobertaProcessing, Sequence of these"
        guard let processor = value as? [String: Any] else {
            if value == nil || value is NSNull { return .plain }
            throw TokenizerError.badJSON(file: file, reason: "post_processor is not an object")
        }
        func special(_ entry: Any?) throws -> SpecialToken {
            guard let pair = entry as? [Any], pair.count == 2, let token = pair[0] as? String,
                  let id = TokenizerJSON.integer(pair[1]) else {
                throw TokenizerError.badJSON(file: file, reason: "RobertaProcessing cls/sep should be [token, id]")
            }
            return SpecialToken(token: token, id: id)
        }
        switch processor["type"] as? String {
        case "ByteLevel":
            return .plain
        case "RobertaProcessing":
            return .roberta(cls: try special(processor["cls"]), sep: try special(processor["sep"]))
        case "TemplateProcessing":
            let specials = processor["special_tokens"] as? [String: [String: Any]] ?? [:]
            func pieces(_ key: String) throws -> [PostTemplate.Piece] {
                guard let list = processor[key] as? [[String: Any]] else {
                    throw TokenizerError.badJSON(file: file, reason: "TemplateProcessing has no \"\(key)\" list")
                }
                return try list.map { item in
                    if let sequence = item["Sequence"] as? [String: Any] {
                        let typeID = TokenizerJSON.integer(sequence["type_id"]) ?? 0
                        return sequence["id"] as? String == "B" ? .second(typeID: typeID) : .first(typeID: typeID)
                    }
                    guard let entry = item["SpecialToken"] as? [String: Any], let key = entry["id"] as? String else {
                        throw TokenizerError.badJSON(file: file, reason: "TemplateProcessing piece \(item) is neither Sequence nor SpecialToken")
                    }
                    let typeID = TokenizerJSON.integer(entry["type_id"]) ?? 0
                    if let definition = specials[key], let ids = definition["ids"] as? [Any], let tokens = definition["tokens"] as? [String], ids.count == tokens.count {
                        return .special(try zip(tokens, ids).map { token, raw in
                            guard let id = TokenizerJSON.integer(raw) else {
                                throw TokenizerError.badJSON(file: file, reason: "TemplateProcessing special token '\(key)' has a bad id")
                            }
                            return SpecialToken(token: token, id: id)
                        }, typeID: typeID)
                    }
                    guard let token = lookup(key) else { throw TokenizerError.missingSpecialToken(token: key, file: file) }
                    return .special([token], typeID: typeID)
                }
            }
            return PostTemplate(single: try pieces("single"), pair: try pieces("pair"))
        case "Sequence":
            var result = PostTemplate.plain
            for step in processor["processors"] as? [Any] ?? [] {
                let template = try postTemplate(step, lookup: lookup, file: file)
                if template != .plain { result = template }
            }
            return result
        default:
            throw TokenizerError.unsupportedComponent(file: file, component: "post_processor", found: "'\(processor["type"] as? String ?? "?")'", supported: supported)
        }
    }
}

/// What tokenizer_config.json says that byte-level BPE loading uses; nil = not set.
struct BPEConfig {
    var bos: String?, eos: String?, unk: String?, pad: String?, mask: String?, cls: String?, sep: String?
    var addBOS: Bool?, addEOS: Bool?, addPrefixSpace: Bool?

    init() {}

    init(file: URL) throws {
        let name = file.lastPathComponent
        let root = try TokenizerJSON.object(try BPEFileReading.readUTF8(file), file: name)
        bos = BPEFileReading.tokenString(root["bos_token"])
        eos = BPEFileReading.tokenString(root["eos_token"])
        unk = BPEFileReading.tokenString(root["unk_token"])
        pad = BPEFileReading.tokenString(root["pad_token"])
        mask = BPEFileReading.tokenString(root["mask_token"])
        cls = BPEFileReading.tokenString(root["cls_token"])
        sep = BPEFileReading.tokenString(root["sep_token"])
        addBOS = root["add_bos_token"] as? Bool
        addEOS = root["add_eos_token"] as? Bool
        addPrefixSpace = root["add_prefix_space"] as? Bool
    }
}
