import ExplorerUI
import Foundation
import FuzzSupport

/// The per-process file the input is written to: `Session.load(from:)` is the only entry point,
/// and it is the one the explorer uses.
let sessionFile = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-fuzz-session-\(getpid()).json")

/// A session file (`--session FILE`): a session that survives a save and a load unchanged,
/// or a `SessionError`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    do {
        try fuzzData(bytes, count).write(to: sessionFile)
    } catch {
        fuzzFailure("cannot write \(sessionFile.path): \(error)")
    }
    do {
        let session = try Session.load(from: sessionFile)
        try session.save(to: sessionFile)
        let reloaded = try Session.load(from: sessionFile)
        guard reloaded == session else { fuzzFailure("a saved session loads back different") }
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("SessionFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
