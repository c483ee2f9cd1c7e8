import Foundation

/// A model file that was read fine but whose family Maskscope does not implement.
public enum UnsupportedModelError: Error, CustomStringConvertible, Equatable, Sendable {
    case architecture(file: URL, architecture: String, format: String)

    public var description: String {
        switch self {
        case let .architecture(file, architecture, format):
            let hint = architecture == "bert" ? "; BERT runs from a safetensors folder (config.json + model.safetensors)" : ""
            return "\(file.lastPathComponent): architecture \(architecture) (\(format)) is not supported (supported: \(ModelSupport.supportedFamilies))\(hint). `maskscope inspect \(file.path)` shows what the file holds"
        }
    }
}
