import AttentionCore
import Foundation
import FuzzSupport

/// The tokens a SPEC is applied to: the blog post's sentence with a repeated word and padding.
let tokens = ["[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ",", "=", "[SEP]", "[PAD]"]

/// A mask SPEC (`--mask`, a lesson's `mask`, a preset file): assignments that give one finite
/// value per token, or a `MaskSpecError` naming the part.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let text = fuzzText(bytes, count) else { return 0 }
    for parse in [{ try MaskSpec(parsing: $0) }, { try MaskSpec(preset: $0) }] as [(String) throws -> MaskSpec] {
        do {
            let spec = try parse(text)
            let mask = try spec.apply(to: Array(repeating: 1, count: tokens.count), tokens: tokens)
            guard mask.count == tokens.count, mask.allSatisfy(\.isFinite) else {
                fuzzFailure("SPEC \(text.debugDescription) gave mask \(mask)")
            }
        } catch {
            _ = "\(error)"
        }
    }
    return 0
}

@_cdecl("MaskSpecFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
