import Foundation

/// One architecture Maskscope can run: which checkpoints are its own, and how to turn one into
/// a model (a `TransformerDescription`, the weights it names, a tokenizer).
///
/// A family is a folder under `Models/` plus one entry in `ModelFamilyRegistry.standard`;
/// the engine, the masking, the UI and the CLI never name a family.
public protocol ModelFamily: Sendable {
    /// How people call the architecture, shown in errors and listings: "bert", "builtin".
    var name: String { get }
    /// `config.json` `model_type` values this family reads, e.g. `["bert"]`.
    var modelTypes: [String] { get }
    /// `config.json` `architectures` class names it reads, e.g. `["BertForMaskedLM"]`.
    var architectures: [String] { get }
    /// GGUF `general.architecture` values it reads, e.g. `["llama"]`; empty for none.
    var ggufArchitectures: [String] { get }
    /// Builds the model `location` points at. `location.folder` is nil only for a family
    /// that needs no files (the built-in model).
    func load(_ location: ModelLocation) throws -> EncoderModel
}

extension ModelFamily {
    public var modelTypes: [String] { [] }
    public var architectures: [String] { [] }
    public var ggufArchitectures: [String] { [] }
}
