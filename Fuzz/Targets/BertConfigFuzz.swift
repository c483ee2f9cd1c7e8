@testable import AttentionCore
import Foundation
import FuzzSupport

/// A model folder's `config.json`: a valid configuration, or a `ModelLoadError` naming the key
/// (its message is built too, since that is what the user sees).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    do {
        let config = try BertConfig.decode(fuzzData(bytes, count), file: URL(fileURLWithPath: "config.json"))
        let sizes = [config.hiddenSize, config.numAttentionHeads, config.numHiddenLayers, config.intermediateSize,
                     config.maxPositionEmbeddings, config.vocabSize, config.typeVocabSize]
        guard sizes.allSatisfy({ $0 > 0 }), config.headSize * config.numAttentionHeads == config.hiddenSize else {
            fuzzFailure("accepted a config with unusable sizes \(sizes)")
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("BertConfigFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
