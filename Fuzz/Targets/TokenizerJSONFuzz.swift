@testable import Tokenizers
import Foundation
import FuzzSupport

/// A `tokenizer.json` (WordPiece model, BertNormalizer, added tokens): a tokenizer that then
/// encodes text, or a `TokenizerError`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    do {
        let tokenizer = try WordPieceTokenizer.load(tokenizerJSONData: fuzzData(bytes, count), name: "tokenizer.json")
        let own = (0..<min(24, tokenizer.vocabulary.tokensByID.count)).compactMap(tokenizer.token(for:)).joined(separator: " ")
        for text in ["The quick brown fox jumps over the lazy dog.", own, "naïve CAFÉ 東京 [MASK] ##ing \u{0}\u{FEFF}x"] {
            guard let encoding = try? tokenizer.encode(text, pair: "a pair") else { continue }
            guard encoding.ids.count == encoding.tokens.count, encoding.typeIDs.count == encoding.tokens.count else {
                fuzzFailure("encoding arrays of different lengths for \(text.debugDescription)")
            }
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("TokenizerJSONFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
