import Foundation
import Testing

/// A broken checkpoint on disk is a clear message and exit status 1 from every command,
/// never a crash.
@Suite struct BrokenModelTests {
    static let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny-bert")

    /// A copy of the tiny BERT fixture in a temporary folder, with `damage` applied.
    func brokenCopy(_ damage: (URL) throws -> Void) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: Self.tiny.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        try damage(folder)
        return folder
    }

    @Test(arguments: [
        ("truncated model.safetensors", "model.safetensors"),
        ("config.json that is not JSON", "config.json"),
        ("a config that disagrees with the tensors", "hidden_size"),
        ("an empty vocabulary", "vocab.txt"),
    ])
    func brokenFilesExitWithAMessage(case name: String, mentions: String) throws {
        let folder = try brokenCopy { folder in
            switch name {
            case "truncated model.safetensors":
                let file = folder.appendingPathComponent("model.safetensors")
                let data = try Data(contentsOf: file)
                try data.prefix(data.count / 2).write(to: file)
            case "config.json that is not JSON":
                try Data("{ \"hidden_size\": 32,".utf8).write(to: folder.appendingPathComponent("config.json"))
            case "a config that disagrees with the tensors":
                let file = folder.appendingPathComponent("config.json")
                let text = try String(contentsOf: file, encoding: .utf8)
                try text.replacingOccurrences(of: "\"hidden_size\": 32", with: "\"hidden_size\": 64").write(to: file, atomically: true, encoding: .utf8)
            default:
                try Data().write(to: folder.appendingPathComponent("vocab.txt"))
            }
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in ["tokens", "attention"] {
            let run = try MaskscopeBinary.run([command, "--model", folder.path, "the quick fox"])
            #expect(run.status == 1, "\(name): \(command) exited \(run.status): \(run.standardError)")
            #expect(run.standardError.hasPrefix("Error: "), "\(name): \(run.standardError)")
            #expect(run.standardError.contains(mentions), "\(name): \(run.standardError)")
            #expect(run.standardOutput.isEmpty)
        }
    }
}
