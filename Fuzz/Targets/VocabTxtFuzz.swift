@testable import Tokenizers
import Foundation
import FuzzSupport

/// A `vocab.txt` (one token per line): a tokenizer, or a `TokenizerError`. A tokenizer that
/// loads must then encode text, including its own tokens, without failing in a way other
/// than a thrown error.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    do {
        let tokenizer = try WordPieceTokenizer.load(vocabularyData: fuzzData(bytes, count), name: "vocab.txt")
        encodeSamples(with: tokenizer)
    } catch {
        _ = "\(error)"
    }
    return 0
}

/// Encodes fixed texts and the vocabulary's first tokens; the encoding's parallel arrays must agree.
func encodeSamples(with tokenizer: WordPieceTokenizer) {
    let own = (0..<min(24, tokenizer.vocabulary.tokensByID.count)).compactMap(tokenizer.token(for:)).joined(separator: " ")
    let texts = ["The quick brown fox jumps over the lazy dog.", own, "naïve CAFÉ 東京 [MASK] ##ing \u{0}\u{FEFF}x"]
    for text in texts {
        guard let encoding = try? tokenizer.encode(text, pair: "a pair") else { continue }
        let count = encoding.tokens.count
        guard encoding.ids.count == count, encoding.typeIDs.count == count, encoding.wordIndices.count == count,
              encoding.isSpecial.count == count, encoding.isPadding.count == count else {
            fuzzFailure("encoding arrays of different lengths for \(text.debugDescription)")
        }
        guard encoding.ids.allSatisfy({ $0 >= 0 }) else { fuzzFailure("negative id encoding \(text.debugDescription)") }
    }
}

@_cdecl("VocabTxtFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
