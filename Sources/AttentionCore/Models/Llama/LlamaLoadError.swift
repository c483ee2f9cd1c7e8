import Foundation

/// Why a Llama-family checkpoint (GGUF, or config.json + safetensors) cannot be run.
public enum LlamaLoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A hyperparameter the family needs is absent.
    case missingKey(file: URL, key: String)
    /// A hyperparameter is present but unusable (sizes, heads that do not divide, …).
    case invalidValue(file: URL, key: String, problem: String)
    /// The checkpoint asks for something the family does not implement (a rotary scaling
    /// type, partial rotary, another activation); named rather than ignored.
    case unsupported(file: URL, key: String, value: String, why: String)
    /// A tensor the family needs is absent; `lookedFor` lists the names tried.
    case tensorMissing(file: URL, lookedFor: [String])
    /// A tensor's shape disagrees with the hyperparameters.
    case tensorShape(file: URL, tensor: String, shape: [Int], expected: [Int])

    public var description: String {
        switch self {
        case let .missingKey(file, key):
            return "\(file.lastPathComponent): missing '\(key)', which a Llama-family model needs"
        case let .invalidValue(file, key, problem):
            return "\(file.lastPathComponent): \(key) \(problem)"
        case let .unsupported(file, key, value, why):
            return "\(file.lastPathComponent): \(key) = \(value) is not supported: \(why)"
        case let .tensorMissing(file, lookedFor):
            return "\(file.lastPathComponent): missing tensor " + lookedFor.map { "'\($0)'" }.joined(separator: " or ")
        case let .tensorShape(file, tensor, shape, expected):
            return "\(file.lastPathComponent): tensor '\(tensor)' has shape \(shape), but the hyperparameters imply \(expected)"
        }
    }
}
