import AttentionCore
import Foundation
import FuzzSupport

/// A GGUF file: header, metadata and tensor infos, then the tensors' blocks. Parsing ends in a
/// file whose tensors all lie inside it, or a `GGUFError`; small tensors are also dequantized,
/// so the block decoders see the same damaged bytes.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = bytes.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    do {
        let file = try GGUFFile(bytes: input, url: URL(fileURLWithPath: "fuzz.gguf"))
        for tensor in file.tensors {
            guard tensor.byteRange.lowerBound >= file.dataOffset, tensor.byteRange.upperBound <= count else {
                fuzzFailure("tensor \(tensor.name) at \(tensor.byteRange) lies outside the data of the \(count)-byte file")
            }
            guard tensor.elementCount <= 1 << 16 else { continue }
            let values = try file.floats(tensor.name)
            guard values.count == tensor.elementCount else {
                fuzzFailure("tensor \(tensor.name) gave \(values.count) floats for \(tensor.elementCount) elements")
            }
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("GGUFFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
