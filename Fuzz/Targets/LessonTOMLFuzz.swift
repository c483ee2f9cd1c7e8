@testable import ExplorerUI
import Foundation
import FuzzSupport

/// A lesson file: the steps that could be read and every problem found (what `lesson --check`
/// prints), or a `LessonError`. Checking against a model is left out: it runs the model.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let text = fuzzText(bytes, count) else { return 0 }  // Lesson.load refuses non-UTF-8 first
    do {
        let (lesson, problems) = try Lesson.read(toml: text, source: "fuzz.toml")
        _ = problems.map(\.description)
        _ = lesson.steps.count
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("LessonTOMLFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
