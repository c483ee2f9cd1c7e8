/// Where special tokens go around one text or a pair, as `tokenizers`' post-processors
/// (TemplateProcessing, RobertaProcessing) say. Type ids are the model's `token_type_ids`.
public struct PostTemplate: Equatable, Sendable {
    public enum Piece: Equatable, Sendable {
        /// The first text's tokens.
        case first(typeID: Int)
        /// The pair's tokens.
        case second(typeID: Int)
        /// Special tokens added by the template (one name may stand for several tokens).
        case special([SpecialToken], typeID: Int)
    }

    public var single: [Piece]
    public var pair: [Piece]

    public init(single: [Piece], pair: [Piece]) {
        self.single = single
        self.pair = pair
    }

    /// GPT-2 and SmolLM: nothing added; the pair's tokens get type id 1.
    public static let plain = PostTemplate(single: [.first(typeID: 0)], pair: [.first(typeID: 0), .second(typeID: 1)])

    /// RoBERTa: `<s> a </s>` and `<s> a </s></s> b </s>`, all type id 0 (`RobertaProcessing`).
    public static func roberta(cls: SpecialToken, sep: SpecialToken) -> PostTemplate {
        PostTemplate(
            single: [.special([cls], typeID: 0), .first(typeID: 0), .special([sep], typeID: 0)],
            pair: [.special([cls], typeID: 0), .first(typeID: 0), .special([sep, sep], typeID: 0),
                   .second(typeID: 0), .special([sep], typeID: 0)]
        )
    }

    /// What transformers 5 builds from `add_bos_token` / `add_eos_token` (GGUF files):
    /// `bos? a eos?` and `bos? a eos? bos? b eos?` with the pair's part at type id 1.
    public static func decoder(bos: SpecialToken?, eos: SpecialToken?) -> PostTemplate {
        func part(_ piece: Piece, typeID: Int) -> [Piece] {
            (bos.map { [Piece.special([$0], typeID: typeID)] } ?? []) + [piece]
                + (eos.map { [Piece.special([$0], typeID: typeID)] } ?? [])
        }
        return PostTemplate(single: part(.first(typeID: 0), typeID: 0),
                            pair: part(.first(typeID: 0), typeID: 0) + part(.second(typeID: 1), typeID: 1))
    }

    /// The token the template puts first, when it starts with a special token (a BOS or CLS).
    var leadingSpecial: SpecialToken? {
        if case .special(let tokens, _)? = single.first { return tokens.first }
        return nil
    }

    /// The token the template puts last, when it ends with a special token (an EOS or SEP).
    var trailingSpecial: SpecialToken? {
        if case .special(let tokens, _)? = single.last { return tokens.last }
        return nil
    }
}
