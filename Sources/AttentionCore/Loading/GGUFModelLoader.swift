import Foundation

/// Loads a GGUF model for attention. No decoder family exists yet, so this validates the file
/// (a broken file gets its `GGUFError`) and then says plainly which architecture is missing.
enum GGUFModelLoader {
    static func load(file url: URL) throws -> EncoderModel {
        let file = try GGUFFile(url: url)
        throw UnsupportedModelError.architecture(file: url, architecture: file.metadata.architecture ?? "(none)", format: file.formatName)
    }
}

/// A model file that was read fine but whose family Maskscope does not implement.
public enum UnsupportedModelError: Error, CustomStringConvertible, Equatable, Sendable {
    case architecture(file: URL, architecture: String, format: String)

    public var description: String {
        switch self {
        case let .architecture(file, architecture, format):
            let hint = architecture == "bert" ? "; BERT runs from a safetensors folder (config.json + model.safetensors)" : ""
            return "\(file.lastPathComponent): architecture \(architecture) (\(format)) is not supported yet (supported: \(ModelSupport.supportedFamilies))\(hint). `maskscope inspect \(file.path)` shows what the file holds"
        }
    }
}
