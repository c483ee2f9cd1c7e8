import Foundation

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
