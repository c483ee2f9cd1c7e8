@testable import AttentionCore
import Foundation
import FuzzSupport

/// A safetensors file: the 8-byte little-endian header length, the JSON header, then the data
/// the header's offsets point into. Parsing ends in a header that fits the file, or an error.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes, count >= 8 else { return 0 }  // SafeTensors.load refuses shorter files first
    let file = UnsafeRawBufferPointer(start: bytes, count: count)
    guard let header = try? SafeTensorsHeader(file: file, url: URL(fileURLWithPath: "fuzz.safetensors")) else { return 0 }
    for tensor in header.tensors.values {
        guard tensor.byteRange.lowerBound >= 8, tensor.byteRange.upperBound <= count else {
            fuzzFailure("tensor \(tensor.name) at \(tensor.byteRange) lies outside the \(count)-byte file")
        }
    }
    return 0
}

@_cdecl("SafeTensorsHeaderFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
