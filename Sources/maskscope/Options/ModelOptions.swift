import ArgumentParser
import AttentionCore

/// `--model`, shared by every command so they all find models the same way.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The model: builtin (designed heads, no files), minilm (all-MiniLM-L6-v2 from pip), smollm2 (SmolLM2-135M-Instruct GGUF from pip), a transformers folder (config.json, model.safetensors or its shards, and a tokenizer: BERT, DistilBERT, RoBERTa, GPT-2, Llama, Qwen2, Mistral), a Hugging Face id in the local cache, a .gguf file (llama, gpt2) or ollama:NAME[:TAG]. Default: $MASKSCOPE_MODEL, else minilm if installed, else builtin.",
        valueName: "model"))
    var model: String?

    /// Finds the model (saying why it was chosen) and loads it.
    /// - Parameter onePass: the command runs the model once and exits (`tokens`, `attention`,
    ///   `explain`, `effect`, `render`): a GGUF's quantized matrices then stay in the file unless
    ///   `MASKSCOPE_WEIGHTS` says otherwise, which starts SmolLM2 in a third of the time.
    func load(onePass: Bool = false) throws -> LoadedModel {
        var location = try ModelLocator().locate(model)
        if onePass { location.weightStorage = .quantized }
        return LoadedModel(location: location, model: try ModelLoader.load(location))
    }
}

/// A model ready to run, with how it was found. The model is held until the process exits
/// (`ModelsKeptUntilExit`).
struct LoadedModel {
    let location: ModelLocation
    let model: EncoderModel

    init(location: ModelLocation, model: EncoderModel) {
        self.location = location
        self.model = model
        ModelsKeptUntilExit.keep(model)
    }

    /// The model's name as every output reports it.
    var name: String { location.name }

    /// True when nobody asked for this model: neither `--model` nor `MASKSCOPE_MODEL`.
    var isDefaultChoice: Bool { location.reason.hasPrefix("default") }

    /// The first line of table output: `model: builtin (--model builtin)`.
    var headline: String { "model: \(name) (\(location.reason))" }

    /// For machine-readable formats, whose standard output must stay pure data: the choice
    /// is reported on standard error, and only when it was made by default.
    func noteDefaultChoiceOnStandardError() {
        if isDefaultChoice { printToStandardError("maskscope: \(headline)") }
    }
}
