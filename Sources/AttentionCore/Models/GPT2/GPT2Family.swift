import Foundation

/// GPT-2 (`gpt2`, `distilgpt2` and every `model_type: gpt2` checkpoint), from a transformers
/// folder (config.json + model.safetensors + vocab.json/merges.txt or tokenizer.json) or a
/// GGUF file (`general.architecture = gpt2`).
public struct GPT2Family: ModelFamily {
    public init() {}

    public var name: String { "gpt2" }
    public var modelTypes: [String] { ["gpt2"] }
    public var architectures: [String] { ["GPT2LMHeadModel", "GPT2Model"] }
    public var ggufArchitectures: [String] { ["gpt2"] }

    public func load(_ location: ModelLocation) throws -> EncoderModel {
        if let file = location.file {
            return try GPT2Model.load(gguf: try GGUFFile(url: file), name: location.name)
        }
        guard let folder = location.folder else {
            throw ModelLoadError.folderMissing(folder: URL(fileURLWithPath: location.name))
        }
        return try GPT2Model.load(folder: folder, name: location.name)
    }
}
