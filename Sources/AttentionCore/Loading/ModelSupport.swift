import Foundation

/// What Maskscope can do with a model file today, and why not when it cannot.
public struct ModelSupport: Equatable, Sendable {
    public let isRunnable: Bool
    /// One sentence: "runs as a BERT-family encoder", "not yet runnable: …".
    public let explanation: String

    public init(isRunnable: Bool, explanation: String) {
        self.isRunnable = isRunnable
        self.explanation = explanation
    }

    /// The families Maskscope runs, for messages.
    public static let supportedFamilies = "bert, builtin, llama (GGUF llama; model_type llama, qwen2, mistral), gpt2 (GGUF gpt2; model_type gpt2)"

    /// The verdict for a GGUF file: runnable when a family reads its architecture and every
    /// tensor can be dequantized; otherwise every reason is named.
    public static func verdict(for file: GGUFFile) -> ModelSupport {
        var reasons: [String] = []
        let architecture = file.metadata.architecture
        switch architecture {
        case nil:
            reasons.append("the file has no general.architecture")
        case "bert"?:
            reasons.append("BERT is read from safetensors folders only; GGUF BERT loading is not implemented")
        case let name? where ModelFamilyRegistry.standard.family(ggufArchitecture: name) != nil:
            let problem = name == "gpt2" ? GPT2Model.problem(gguf: file) : LlamaModel.problem(gguf: file)
            if let problem { reasons.append(problem) }
        case let name?:
            reasons.append("the \(name) family is not implemented (supported: \(supportedFamilies))")
        }
        let unreadable = Dictionary(grouping: file.tensors.filter { !$0.type.isDequantizable }, by: \.type)
        for (type, tensors) in unreadable.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            reasons.append("\(tensors.count) tensor\(tensors.count == 1 ? "" : "s") of type \(type.name) cannot be dequantized (e.g. '\(tensors[0].name)')")
        }
        if reasons.isEmpty, let architecture {
            let h = file.metadata.hyperparameters
            let shape = [h.blockCount.map { "\($0) layers" }, h.headCount.map { "\($0) heads" },
                         h.headCountKV.map { "\($0) key/value heads" }].compactMap { $0 }.joined(separator: " × ")
            return ModelSupport(isRunnable: true, explanation: "runs as a \(architecture) decoder (causal)\(shape.isEmpty ? "" : ": " + shape); weights dequantized to F32 at load")
        }
        return ModelSupport(isRunnable: false, explanation: "not yet runnable: " + reasons.joined(separator: "; "))
    }

    /// The verdict for a safetensors folder: BERT checkpoints are loaded for real (so a
    /// broken one reports its actual problem); other `model_type`s are refused by name.
    public static func verdict(forFolder folder: URL, modelType: String?) -> ModelSupport {
        if let modelType, LlamaFamily().modelTypes.contains(modelType) {
            do {
                let model = try LlamaModel.load(folder: folder, name: folder.lastPathComponent)
                return ModelSupport(isRunnable: true, explanation: "runs as a \(modelType) decoder (causal): \(model.info.layerCount) layers × \(model.info.headCount) heads, \(model.description.attention.keyValueHeadCount) key/value heads")
            } catch {
                return ModelSupport(isRunnable: false, explanation: "refused: \(error)")
            }
        }
        if modelType == "gpt2" {
            do {
                let model = try GPT2Model.load(folder: folder, name: folder.lastPathComponent)
                return ModelSupport(isRunnable: true, explanation: "runs as a gpt2 decoder (causal): \(model.info.layerCount) layers × \(model.info.headCount) heads")
            } catch {
                return ModelSupport(isRunnable: false, explanation: "refused: \(error)")
            }
        }
        if let modelType, modelType != "bert" {
            return ModelSupport(isRunnable: false, explanation: "not yet runnable: the \(modelType) family is not implemented (supported: \(supportedFamilies))")
        }
        do {
            let model = try BertModel.load(folder: folder, name: folder.lastPathComponent)
            return ModelSupport(isRunnable: true, explanation: "runs as a BERT encoder: \(model.info.layerCount) layers × \(model.info.headCount) heads")
        } catch {
            return ModelSupport(isRunnable: false, explanation: "refused: \(error)")
        }
    }
}
