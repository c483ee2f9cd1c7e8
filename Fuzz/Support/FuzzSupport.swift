import Foundation

/// libFuzzer's own driver (`int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*)(const
/// uint8_t *, size_t))`), linked in by `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The one input libFuzzer hands a target: bytes it owns for the duration of the call.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Starts libFuzzer on `callback` with the process's arguments.
///
/// SwiftPM links an executable target with `--defsym main=<Target>_main`, which takes the place of
/// libFuzzer's `main`; each target therefore defines `<Target>_main` to call this, and also
/// exports its callback as `LLVMFuzzerTestOneInput`, so it runs the same way if libFuzzer's
/// `main` is the one linked.
public func runLibFuzzer(
    argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ callback: FuzzCallback
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// The input as `Data` (empty for a null pointer).
public func fuzzData(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let bytes, count > 0 else { return Data() }
    return Data(bytes: bytes, count: count)
}

/// The input as text, or nil when it is not valid UTF-8: every text parser here is handed
/// text only after its caller has checked the encoding.
public func fuzzText(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> String? {
    guard let bytes, count > 0 else { return count == 0 ? "" : nil }
    return String(validating: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
}

/// Stops the run with a message libFuzzer records as a crash, with the input that caused it:
/// for properties a parser must keep (a round trip, a length), not only "did not crash".
public func fuzzFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    FileHandle.standardError.write(Data("fuzz property violated at \(file):\(line): \(message)\n".utf8))
    abort()
}
