/// The regexes that cut text into words before byte-level BPE, by the name a tokenizer file
/// gives them. Each is matched by hand over Unicode scalars (see `SplitPattern+Matching.swift`),
/// reproducing the regex's leftmost alternative exactly; fixtures compare the pieces with Python
/// `regex` on the same patterns.
public enum SplitPattern: String, Sendable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    /// `tokenizers`' ByteLevel pre-tokenizer with `use_regex`; GPT-2, RoBERTa, SmolLM.
    case gpt2
    /// Llama 3: contractions in any case, a letter run with one leading non-letter, digits in
    /// groups of up to three, punctuation runs taking following newlines, newline runs apart.
    case llama3
    /// Qwen2: Llama 3's regex with single digits.
    case qwen2

    /// The regex source, spelled as `tokenizer.json` stores it in a `Split` pre-tokenizer.
    public var regex: String {
        switch self {
        case .gpt2:
            return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .llama3:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .qwen2:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        }
    }

    /// The pattern for a `Split` regex found in a tokenizer.json, or nil for one not supported.
    public init?(regex: String) {
        guard let pattern = Self.allCases.first(where: { $0.regex == regex }) else { return nil }
        self = pattern
    }

    /// The pattern for a GGUF `tokenizer.ggml.pre` name, as transformers 5.24 maps them
    /// (`GGUF_PRE_TOKENIZER_SPLITS`; names it does not list get GPT-2's ByteLevel regex there).
    /// Only the families Maskscope supports are accepted; nil for any other name.
    public init?(ggufPre name: String?) {
        switch name {
        case nil, "default", "gpt2", "smollm":
            self = .gpt2
        case "llama3", "llama-v3", "llama-bpe", "smaug-bpe", "dbrx", "falcon3":
            self = .llama3
        case "qwen2", "deepseek-r1-qwen":
            self = .qwen2
        default:
            return nil
        }
    }

    /// The GGUF `pre` names accepted, for error messages.
    public static let supportedGGUFNames = ["gpt2", "smollm", "llama3", "llama-v3", "llama-bpe", "smaug-bpe", "dbrx", "falcon3", "qwen2", "deepseek-r1-qwen"]
}
