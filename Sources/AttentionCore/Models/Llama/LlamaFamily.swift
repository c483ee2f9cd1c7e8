import Foundation

/// Llama-architecture decoders: Llama 2/3, SmolLM2, Qwen2 (biases on Q/K/V), Mistral (sliding
/// window), from a GGUF file (`general.architecture = llama`) or a transformers folder.
public struct LlamaFamily: ModelFamily {
    public init() {}

    public var name: String { "llama" }
    public var modelTypes: [String] { ["llama", "qwen2", "mistral"] }
    public var architectures: [String] { ["LlamaForCausalLM", "Qwen2ForCausalLM", "MistralForCausalLM"] }
    public var ggufArchitectures: [String] { ["llama"] }

    public func load(_ location: ModelLocation) throws -> EncoderModel {
        if let file = location.file {
            let storage = try WeightStorage.fromEnvironment(fallback: location.weightStorage ?? .automatic)
            return try LlamaModel.load(gguf: try GGUFFile(url: file), name: location.name, storage: storage)
        }
        guard let folder = location.folder else {
            throw ModelLoadError.folderMissing(folder: URL(fileURLWithPath: location.name))
        }
        return try LlamaModel.load(folder: folder, name: location.name)
    }
}
