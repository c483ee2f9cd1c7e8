import Foundation

/// Every model family Maskscope knows, and the lookup from a checkpoint's own words
/// (`config.json`'s `model_type`/`architectures`, GGUF's `general.architecture`) to one.
public struct ModelFamilyRegistry: Sendable {
    public let families: [any ModelFamily]

    public init(families: [any ModelFamily]) {
        self.families = families
    }

    /// The families the product ships. A new family is one more entry here.
    public static let standard = ModelFamilyRegistry(families: [BuiltinFamily(), BertFamily(), LlamaFamily(),
                                                                 GPT2Family(), DistilBertFamily(), RobertaFamily()])

    /// The family whose `model_type` is `modelType`, else the first whose `architectures`
    /// holds one of `architectures`; nil when none does.
    public func family(modelType: String?, architectures: [String]?) -> (any ModelFamily)? {
        if let modelType, let family = families.first(where: { $0.modelTypes.contains(modelType) }) { return family }
        for architecture in architectures ?? [] {
            if let family = families.first(where: { $0.architectures.contains(architecture) }) { return family }
        }
        return nil
    }

    /// The family for a GGUF file's `general.architecture`; nil when none reads it.
    public func family(ggufArchitecture: String) -> (any ModelFamily)? {
        families.first { $0.ggufArchitectures.contains(ggufArchitecture) }
    }

    /// The family named `name` ("bert", "builtin").
    public func family(named name: String) -> (any ModelFamily)? {
        families.first { $0.name == name }
    }

    /// One line per family that loads from files, for error messages:
    /// `bert (model_type "bert"; BertModel, BertForMaskedLM, …)`.
    public var supportedArchitectures: [String] {
        families.compactMap { family in
            var keys: [String] = family.modelTypes.map { "model_type \"\($0)\"" }
            keys += family.architectures
            keys += family.ggufArchitectures.map { "GGUF \"\($0)\"" }
            return keys.isEmpty ? nil : "\(family.name) (\(keys.joined(separator: ", ")))"
        }
    }

    /// The family of the checkpoint in `folder`, read from its config.json.
    ///
    /// - Throws: `ModelLoadError.fileMissing` when there is no config.json,
    ///   `.architectureUnsupported` naming what the file says and what is supported, or the
    ///   config's own JSON errors.
    public func family(forFolder folder: URL) throws -> any ModelFamily {
        let configURL = folder.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: configURL.path) {
                throw ModelLoadError.danglingLink(file: configURL, target: target)
            }
            let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            throw ModelLoadError.fileMissing(folder: folder, file: "config.json", present: present.sorted())
        }
        let names = try ConfigFile.decode(ArchitectureNames.self, from: configURL)
        if let family = family(modelType: names.modelType, architectures: names.architectures) { return family }
        let found: String
        if let modelType = names.modelType {
            found = "model_type \"\(modelType)\""
        } else if let architectures = names.architectures, !architectures.isEmpty {
            found = "architectures " + architectures.map { "\"\($0)\"" }.joined(separator: ", ")
        } else {
            found = "no architecture (neither \"model_type\" nor \"architectures\")"
        }
        throw ModelLoadError.architectureUnsupported(file: configURL, found: found, supported: supportedArchitectures)
    }

    /// Loads what `ModelLocator` found: a single-file model (GGUF, an Ollama blob) by the
    /// family its `general.architecture` names, the built-in model when there is no folder,
    /// else the family config.json names.
    public func load(_ location: ModelLocation) throws -> EncoderModel {
        if let file = location.file {
            let gguf = try GGUFFile(url: file)
            let architecture = gguf.metadata.architecture ?? "(none)"
            guard let family = family(ggufArchitecture: architecture) else {
                throw UnsupportedModelError.architecture(file: file, architecture: architecture, format: gguf.formatName)
            }
            return try family.load(location)
        }
        guard let folder = location.folder else {
            guard let builtin = family(named: BuiltinFamily.familyName) else {
                throw ModelLoadError.architectureUnsupported(
                    file: URL(fileURLWithPath: "builtin"), found: "the built-in model", supported: supportedArchitectures)
            }
            return try builtin.load(location)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelLoadError.folderMissing(folder: folder)
        }
        return try family(forFolder: folder).load(location)
    }
}

/// The two keys of config.json that name an architecture; every other key is the family's.
struct ArchitectureNames: Decodable {
    let modelType: String?
    let architectures: [String]?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case architectures
    }
}
