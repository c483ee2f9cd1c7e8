/// Everything that can go wrong turning text or tokenizer files into an `Encoding`.
/// Messages name the file (and line or token) so a user can fix the input.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The text (or the pair) produced no tokens: empty, or only whitespace/control characters.
    case emptyText(which: String)
    /// A tokenizer file could not be read at all.
    case unreadableFile(file: String, reason: String)
    /// A vocabulary file has bytes that are not UTF-8; `line` is 1-based.
    case notUTF8(file: String, line: Int)
    /// A vocabulary with no tokens.
    case emptyVocabulary(file: String)
    /// The vocabulary lacks a token BERT needs to assemble an encoding (`[UNK]`, `[CLS]`, `[SEP]`, `[PAD]`).
    case missingSpecialToken(token: String, file: String)
    /// A JSON file that does not parse, or lacks a field BERT tokenization needs.
    case badJSON(file: String, reason: String)
    /// A tokenizer.json whose model is not WordPiece.
    case unsupportedModel(file: String, type: String)
    /// A tokenizer.json vocabulary entry with an unusable id.
    case badVocabularyID(file: String, token: String, id: Int)
    /// A folder with neither tokenizer.json nor vocab.txt.
    case noTokenizerFiles(folder: String)
    /// A BPE tokenizer without merges: it cannot join bytes into the vocabulary's tokens.
    case missingMerges(file: String)
    /// A merge naming a token (or making one) the vocabulary lacks; `line` is 1-based.
    case mergeNotInVocabulary(file: String, line: Int, token: String)
    /// A merge that is not two tokens separated by one space; `line` is 1-based.
    case badMerge(file: String, line: Int, text: String)
    /// A tokenizer part (pre-tokenizer, normalizer, post-processor, decoder, option) Maskscope
    /// does not implement, named so a user knows what the file asks for.
    case unsupportedComponent(file: String, component: String, name: String, supported: String)

    public var description: String {
        switch self {
        case .emptyText(let which):
            return "the \(which) is empty: it has no characters left to tokenize after removing whitespace and control characters"
        case .unreadableFile(let file, let reason):
            return "\(file): cannot be read (\(reason))"
        case .notUTF8(let file, let line):
            return "\(file): line \(line) is not valid UTF-8"
        case .emptyVocabulary(let file):
            return "\(file): the vocabulary has no tokens"
        case .missingSpecialToken(let token, let file):
            return "\(file): the vocabulary has no '\(token)' token, which BERT needs to build an encoding"
        case .badJSON(let file, let reason):
            return "\(file): \(reason)"
        case .unsupportedModel(let file, let type):
            return "\(file): model type '\(type)' is not supported; only WordPiece (BERT) tokenizers are"
        case .badVocabularyID(let file, let token, let id):
            return "\(file): vocabulary token '\(token)' has id \(id), which is not a valid non-negative id"
        case .noTokenizerFiles(let folder):
            return "\(folder): no tokenizer.json or vocab.txt found"
        case .missingMerges(let file):
            return "\(file): the BPE tokenizer has no merges, so its tokens cannot be built; the file is incomplete (GGUF: tokenizer.ggml.merges; tokenizer.json: model.merges; or merges.txt)"
        case .mergeNotInVocabulary(let file, let line, let token):
            return "\(file): merge \(line) uses or makes the token '\(token)', which is not in the vocabulary; the merges and the vocabulary do not belong together"
        case .badMerge(let file, let line, let text):
            return "\(file): merge \(line) '\(text)' is not two tokens separated by one space"
        case .unsupportedComponent(let file, let component, let name, let supported):
            return "\(file): \(component) '\(name)' is not supported; supported: \(supported)"
        }
    }
}
