import Foundation

/// BERT-family encoders saved by transformers (`BertModel`, `BertForMaskedLM`, sentence
/// transformers such as all-MiniLM-L6-v2): config.json, model.safetensors, vocab.txt and/or
/// tokenizer.json.
public struct BertFamily: ModelFamily {
    public init() {}

    public var name: String { "bert" }
    public var modelTypes: [String] { ["bert"] }
    public var architectures: [String] {
        ["BertModel", "BertForMaskedLM", "BertForPreTraining", "BertForSequenceClassification",
         "BertForTokenClassification", "BertForQuestionAnswering", "BertForNextSentencePrediction"]
    }

    public func load(_ location: ModelLocation) throws -> EncoderModel {
        guard let folder = location.folder else {
            throw ModelLoadError.folderMissing(folder: URL(fileURLWithPath: location.name))
        }
        return try BertModel.load(folder: folder, name: location.name)
    }
}
