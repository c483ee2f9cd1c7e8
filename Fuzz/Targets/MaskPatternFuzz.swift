import AttentionCore
import Tokenizers
import Foundation
import FuzzSupport

/// The text a pattern is laid over: two documents, so `block` and `seed` have work to do.
let encoding: Encoding = {
    let tokens = ["[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "[SEP]", "it", "was", "asleep", "[SEP]"]
    let second = tokens.firstIndex(of: "[SEP]") ?? 0
    return Encoding(tokens: tokens, ids: tokens.map(BuiltinTokenizer.id(for:)), typeIDs: tokens.indices.map { $0 > second ? 1 : 0 },
                    wordIndices: tokens.indices.map { _ in nil }, isSpecial: tokens.map { $0.hasPrefix("[") },
                    isPadding: tokens.map { _ in false })
}()

/// Pattern syntax (`--pattern`, a lesson's `pattern`, a session's `pattern`): a pattern that
/// writes itself back as text it parses to again, and whose cells are all 0, ½ or 1; or a
/// `MaskPatternError`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let text = fuzzText(bytes, count) else { return 0 }
    do {
        let pattern = try MaskPattern(parsing: text)
        guard let again = try? MaskPattern(parsing: pattern.description), again == pattern else {
            fuzzFailure("\(text.debugDescription) parses to \(pattern), written as \(pattern.description.debugDescription), which does not parse back to it")
        }
        let cells = try pattern.values(for: encoding, documentSeparator: SpecialToken(token: "[SEP]", id: BuiltinTokenizer.id(for: "[SEP]")))
        let allowed: Set<Float> = [0, 0.5, 1]
        guard cells.count == encoding.count * encoding.count, cells.allSatisfy(allowed.contains) else {
            fuzzFailure("\(pattern) gave \(cells.count) cells for \(encoding.count) tokens, or a value other than 0, ½, 1")
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("MaskPatternFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
