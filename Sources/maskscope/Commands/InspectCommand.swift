import ArgumentParser
import AttentionCore
import Foundation

/// `maskscope inspect MODEL`: what a model file or folder holds, before opening it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a model file holds and whether Maskscope can run it.",
        discussion: """
        MODEL is anything --model takes: a .gguf file, ollama:NAME[:TAG] (read from Ollama's \
        local store, $OLLAMA_MODELS or ~/.ollama/models), a folder with config.json and \
        *.safetensors, a Hugging Face id in the local cache, minilm or builtin. Default: the \
        model every other command would use.

        Prints the format, the architecture and its hyperparameters, the tokenizer kind and \
        vocabulary size, the chat template's size, every tensor (name, shape outermost first, \
        type, bytes) and whether Maskscope can run the model, or why not. The whole header is \
        validated first: a broken file gets a message naming the key or tensor and the byte. \
        --check also dequantizes every tensor and reports non-finite values and the time taken.

        JSON output: {"model", "model_reason", "path", "byte_count", "format", "architecture", \
        "name", "runnable", "support", "hyperparameters" {key: value}, "tokenizer" {"kind", \
        "vocabulary_size", "details"}, "chat_template", "tensor_types" [{"type", "count", \
        "byte_count"}], "tensors" [{"name", "shape", "type", "byte_count", "readable"}], and \
        with --check "check" {"seconds", "tensors", "nonfinite" {name: count}, "unreadable"}}.

        Examples:
          maskscope inspect SmolLM2-135M-Instruct.Q4_1.gguf
          maskscope inspect ollama:smollm2 --format json
          maskscope inspect minilm --check
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: ArgumentHelp("The model: a .gguf file, ollama:NAME[:TAG], a folder, a hub id, minilm or builtin.", valueName: "model"))
    var model: String?

    @Option(help: "Output format: table (for reading) or json (for scripts).")
    var format: Format = .table

    @Flag(help: "Also dequantize every tensor: reports non-finite values and the time taken.")
    var check = false

    func run() throws {
        let location = try ModelLocator().locate(model)
        let report = try InspectReport.make(location)
        let check = self.check ? try TensorSourceCheck.run(report.sources) : nil
        switch format {
        case .table:
            var stream = OutputStream.standardOutput
            try stream.append(report.table(check: check).joined(separator: "\n") + "\n")
            try stream.flush()
        case .json:
            try report.writeJSON(check: check)
        }
    }
}
