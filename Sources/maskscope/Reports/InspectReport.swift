import AttentionCore
import Foundation

/// What `maskscope inspect` says about a model, independent of the output format.
struct InspectReport {
    /// A metadata or config value, keeping numbers numeric for JSON.
    enum Value {
        case int(Int), number(Double), bool(Bool), text(String)

        var text: String {
            switch self {
            case .int(let v): thousandsSeparated(v)
            case .number(let v): Float(exactly: v).map { String($0) } ?? String(v)
            case .bool(let v): String(v)
            case .text(let v): v
            }
        }

        init(_ value: GGUFValue) {
            switch value {
            case .float32(let v): self = .number(Double(v))
            case .float64(let v): self = .number(v)
            case .bool(let v): self = .bool(v)
            case .string(let v): self = .text(v)
            case .array: self = .text(value.summary)
            default: self = value.intValue.map(Value.int) ?? .text(value.summary)
            }
        }
    }

    struct Tokenizer {
        /// "byte-level BPE (gpt2)", "WordPiece", …
        var kind: String
        var vocabularySize: Int?
        /// Extra facts: merges, special token ids, the pre-tokenizer.
        var details: [String]
    }

    var name: String
    var reason: String
    /// The file or folder inspected; nil for the built-in model.
    var path: String?
    var byteCount: Int?
    var format: String
    var architecture: String?
    var displayName: String?
    var hyperparameters: [(key: String, value: Value)] = []
    var tokenizer: Tokenizer?
    var chatTemplate: String?
    var tensors: [TensorDescriptor] = []
    var support: ModelSupport
    /// The sources, kept to dequantize tensors for `--check`.
    var sources: [any TensorSource] = []

    /// Tensor count per type name, most bytes first: "Q4_1 × 210".
    var typeSummary: [(type: String, count: Int, bytes: Int)] {
        var byType: [String: (count: Int, bytes: Int)] = [:]
        for tensor in tensors {
            byType[tensor.typeName, default: (0, 0)].count += 1
            byType[tensor.typeName, default: (0, 0)].bytes += tensor.byteCount
        }
        return byType.map { ($0.key, $0.value.count, $0.value.bytes) }.sorted { ($0.bytes, $0.type) > ($1.bytes, $1.type) }
    }
}

extension InspectReport {
    /// Builds the report for whatever `location` found.
    static func make(_ location: ModelLocation) throws -> InspectReport {
        if let file = location.file {
            return try gguf(try GGUFFile(url: file), location: location)
        }
        if let folder = location.folder {
            return try safetensors(folder: folder, location: location)
        }
        var report = InspectReport(
            name: location.name, reason: location.reason, path: nil, byteCount: nil,
            format: "built-in (no files)", architecture: "builtin", displayName: "designed heads for teaching",
            support: ModelSupport(isRunnable: true, explanation: "runs: the built-in encoder with designed heads"))
        report.tokenizer = Tokenizer(kind: "built-in words and punctuation", vocabularySize: nil, details: ["ids hashed from the word"])
        return report
    }

    static func gguf(_ file: GGUFFile, location: ModelLocation) throws -> InspectReport {
        let metadata = file.metadata
        var report = InspectReport(
            name: location.name, reason: location.reason, path: file.url.path, byteCount: file.byteCount,
            format: "\(file.formatName), alignment \(file.alignment), \(metadata.entries.count) metadata keys",
            architecture: metadata.architecture, displayName: metadata.name,
            support: ModelSupport.verdict(for: file))
        report.hyperparameters = metadata.hyperparameterEntries.map { ($0.key, Value($0.value)) }
        if let tokenizer = metadata.tokenizer {
            var details: [String] = []
            if !tokenizer.merges.isEmpty { details.append("\(thousandsSeparated(tokenizer.merges.count)) merges") }
            if let pre = tokenizer.preTokenizer { details.append("pre-tokenizer \(pre)") }
            for (label, id) in [("bos", tokenizer.bosTokenID), ("eos", tokenizer.eosTokenID), ("unk", tokenizer.unknownTokenID), ("pad", tokenizer.paddingTokenID)] {
                if let id { details.append("\(label) \(id)" + (tokenizer.tokens.indices.contains(id) ? " \(tokenizer.tokens[id])" : "")) }
            }
            report.tokenizer = Tokenizer(kind: tokenizer.kindDescription, vocabularySize: tokenizer.tokens.count, details: details)
        }
        report.chatTemplate = metadata.chatTemplate
        report.tensors = file.tensorNames.compactMap(file.descriptor)
        report.sources = [file]
        return report
    }

    static func safetensors(folder: URL, location: ModelLocation) throws -> InspectReport {
        let config = try? JSONDecoder().decode([String: ConfigValue].self, from: Data(contentsOf: folder.appendingPathComponent("config.json")))
        var modelType: String?
        if case .value(.text(let text))? = config?["model_type"] { modelType = text }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".safetensors") }.sorted()
            .map { folder.appendingPathComponent($0) }
        let sources = try files.map { try SafeTensorsFile(url: $0) }
        var report = InspectReport(
            name: location.name, reason: location.reason, path: folder.path,
            byteCount: sources.reduce(0) { $0 + $1.byteCount },
            format: "safetensors folder (\(files.count) weight file\(files.count == 1 ? "" : "s")" + (config == nil ? ", no readable config.json)" : " + config.json)"),
            architecture: modelType,
            displayName: { if case .other(let names)? = config?["architectures"] { return names } else { return nil } }(),
            support: files.isEmpty
                ? ModelSupport(isRunnable: false, explanation: "refused: the folder has no .safetensors file")
                : ModelSupport.verdict(forFolder: folder, modelType: modelType))
        report.hyperparameters = (config ?? [:]).sorted { $0.key < $1.key }.compactMap { key, value in
            if case .value(let scalar) = value, key != "model_type" { return (key, scalar) }
            return nil
        }
        report.tokenizer = folderTokenizer(folder)
        report.tensors = sources.flatMap { source in source.tensorNames.compactMap(source.descriptor) }
        report.sources = sources
        return report
    }

    /// tokenizer.json's model type and vocabulary, else vocab.txt as WordPiece.
    static func folderTokenizer(_ folder: URL) -> Tokenizer? {
        if let data = try? Data(contentsOf: folder.appendingPathComponent("tokenizer.json")),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let model = json["model"] as? [String: Any] {
            let kind = model["type"] as? String ?? "unknown (tokenizer.json)"
            let vocabulary = (model["vocab"] as? [String: Any])?.count ?? (model["vocab"] as? [Any])?.count
            var details: [String] = ["tokenizer.json"]
            if let merges = model["merges"] as? [Any] { details.append("\(thousandsSeparated(merges.count)) merges") }
            return Tokenizer(kind: kind, vocabularySize: vocabulary, details: details)
        }
        if let text = try? String(contentsOf: folder.appendingPathComponent("vocab.txt"), encoding: .utf8) {
            return Tokenizer(kind: "WordPiece", vocabularySize: text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }.count, details: ["vocab.txt"])
        }
        return nil
    }

    /// A config.json value: scalars kept, anything else summarized.
    enum ConfigValue: Decodable {
        case value(Value)
        case other(String)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .other("null"); return }
            if let bool = try? container.decode(Bool.self) { self = .value(.bool(bool)); return }
            if let int = try? container.decode(Int.self) { self = .value(.int(int)); return }
            if let double = try? container.decode(Double.self) { self = .value(.number(double)); return }
            if let text = try? container.decode(String.self) { self = .value(.text(text)); return }
            if let texts = try? container.decode([String].self) { self = .other(texts.joined(separator: ", ")); return }
            self = .other("(structured)")
        }
    }
}

