import ExplorerUI
import Foundation
import FuzzSupport

/// A theme file (`--theme FILE`): a theme whose colours can be looked up over the whole
/// weight and delta range, or a `ThemeError` with file, line and key.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let text = fuzzText(bytes, count) else { return 0 }  // Theme.load refuses non-UTF-8 first
    do {
        let theme = try Theme.parse(toml: text, source: "fuzz.toml")
        for step in 0...20 {
            let value = Double(step) / 20
            _ = theme.color(forWeight: value)
            _ = theme.glyph(forWeight: value)
            _ = theme.color(forDelta: value * 2 - 1)
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("ThemeTOMLFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
