import Foundation

/// Why a RoBERTa-family checkpoint cannot be run, beyond the config and tensor errors every
/// BERT-shaped checkpoint shares (`ModelLoadError`).
public enum RobertaLoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The folder's tokenizer is not byte-level BPE (XLM-RoBERTa's SentencePiece Unigram).
    case tokenizerUnsupported(folder: URL, found: String)
    /// No tokenizer.json: vocab.json + merges.txt alone do not say how RoBERTa wraps a text.
    case tokenizerJSONMissing(folder: URL, present: [String])
    /// `max_position_embeddings` leaves no position after the `padding_idx + 1` reserved ones.
    case tooFewPositions(file: URL, maxPositions: Int, paddingIndex: Int)

    public var description: String {
        switch self {
        case let .tokenizerUnsupported(folder, found):
            return "\(folder.path): the tokenizer is \(found), which Maskscope cannot run yet (it reads byte-level BPE, as roberta-base's tokenizer.json); the network itself would load, but its ids would not be the ones the model was trained on"
        case let .tokenizerJSONMissing(folder, present):
            return "\(folder.path): no tokenizer.json (found: \(present.isEmpty ? "nothing" : present.joined(separator: ", "))); RoBERTa needs it for its <s> … </s> wrapping. Download it with the model, e.g. `huggingface-cli download roberta-base tokenizer.json`"
        case let .tooFewPositions(file, maxPositions, paddingIndex):
            return "\(file.path): max_position_embeddings \(maxPositions) leaves no positions: RoBERTa's positions start at pad_token_id + 1 = \(paddingIndex + 1)"
        }
    }
}
