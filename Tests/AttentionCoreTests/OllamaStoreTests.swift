import Foundation
import Testing
@testable import AttentionCore

/// Ollama's store layout on a fake store in a temporary folder: manifests, blobs,
/// OLLAMA_MODELS, default tags, user namespaces, and each way a lookup can fail.
@Suite("Ollama store")
struct OllamaStoreTests {
    static let digest = String(repeating: "ab12", count: 16)

    /// A store with `library/smollm2:latest`, `library/smollm2:135m` (same blob) and
    /// `someone/tiny:q4`, each a manifest whose model layer is the tiny fixture GGUF.
    func makeStore(_ folder: TemporaryFolder, modelLayer: Bool = true) throws -> URL {
        let root = folder.url.appendingPathComponent("models")
        let blobs = root.appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try Data(contentsOf: Fixtures.url("gguf/tiny-random.gguf")).write(to: blobs.appendingPathComponent("sha256-\(Self.digest)"))
        var layers: [[String: Any]] = [
            ["mediaType": "application/vnd.ollama.image.template", "digest": "sha256:" + String(repeating: "0", count: 64), "size": 10],
        ]
        if modelLayer {
            layers.insert(["mediaType": "application/vnd.ollama.image.model", "digest": "sha256:\(Self.digest)", "size": 27040], at: 0)
        }
        let manifest = try JSONSerialization.data(withJSONObject: [
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "layers": layers,
        ])
        for path in ["registry.ollama.ai/library/smollm2/latest", "registry.ollama.ai/library/smollm2/135m", "registry.ollama.ai/someone/tiny/q4"] {
            let file = root.appendingPathComponent("manifests/\(path)")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manifest.write(to: file)
        }
        return root
    }

    @Test func namesParseWithDefaults() throws {
        let plain = try #require(OllamaModelName("smollm2"))
        #expect(plain.host == "registry.ollama.ai" && plain.namespace == "library" && plain.model == "smollm2" && plain.tag == "latest")
        #expect(OllamaModelName("smollm2:135m")?.tag == "135m")
        #expect(OllamaModelName("someone/tiny:q4")?.description == "someone/tiny:q4")
        #expect(OllamaModelName("hf.co/bartowski/Foo-GGUF:Q4_K_M")?.host == "hf.co")
        for bad in ["", ":tag", "../etc:passwd", "a/../b", "a b", "a/b/c/d", "name:"] {
            #expect(OllamaModelName(bad) == nil, "\(bad)")
        }
    }

    @Test func resolvesThroughOLLAMA_MODELS() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = try makeStore(folder)
        let locator = ModelLocator(environment: ["OLLAMA_MODELS": root.path, "HOME": folder.url.path], pythonSitePackages: { [] })
        for argument in ["ollama:smollm2", "ollama:smollm2:latest", "ollama:smollm2:135m", "ollama:someone/tiny:q4"] {
            let location = try locator.locate(argument)
            #expect(location.file?.lastPathComponent == "sha256-\(Self.digest)", "\(argument)")
            #expect(location.folder == nil)
            #expect(location.argument == argument)
        }
        #expect(try locator.locate("ollama:smollm2").name == "ollama:smollm2:latest")
        let file = try GGUFFile(url: try #require(try locator.locate("ollama:smollm2").file))
        #expect(file.metadata.architecture == "llama")
    }

    @Test func theHomeStoreIsTheDefault() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let home = folder.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".ollama"), withIntermediateDirectories: true)
        let store = try makeStore(folder)
        try FileManager.default.moveItem(at: store, to: home.appendingPathComponent(".ollama/models"))
        let located = try OllamaStore.locate(environment: ["HOME": home.path])
        #expect(located.root.standardizedFileURL.path == home.appendingPathComponent(".ollama/models").standardizedFileURL.path)
        #expect(throws: OllamaStoreError.noStore(searched: ["\(folder.url.path)/nowhere/.ollama/models", "/usr/share/ollama/.ollama/models"])) {
            try OllamaStore.locate(environment: ["HOME": folder.url.path + "/nowhere"])
        }
    }

    @Test func aMissingNameListsTheInstalledModels() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = try makeStore(folder)
        let locator = ModelLocator(environment: ["OLLAMA_MODELS": root.path], pythonSitePackages: { [] })
        for argument in ["ollama:llama3", "ollama:smollm2:1.7b"] {
            do {
                _ = try locator.locate(argument)
                Issue.record("\(argument) was found")
            } catch let error as OllamaStoreError {
                guard case let .modelNotFound(_, _, installed) = error else { Issue.record("\(error)"); continue }
                #expect(installed == ["smollm2:135m", "smollm2:latest", "someone/tiny:q4"])
                #expect(error.description.contains("smollm2:latest") && error.description.contains("ollama pull"))
            }
        }
    }

    @Test func aManifestWithoutAModelLayerIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = try makeStore(folder, modelLayer: false)
        let store = OllamaStore(root: root)
        #expect(throws: OllamaStoreError.noModelLayer(
            manifest: root.appendingPathComponent("manifests/registry.ollama.ai/library/smollm2/latest").path,
            mediaTypes: ["application/vnd.ollama.image.template"])) {
            try store.modelFile(for: try #require(OllamaModelName("smollm2")))
        }
    }

    @Test func brokenManifestsAndMissingBlobsAreNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = try makeStore(folder)
        let store = OllamaStore(root: root)
        try FileManager.default.removeItem(at: root.appendingPathComponent("blobs/sha256-\(Self.digest)"))
        guard case .blobMissing? = capture({ try store.modelFile(for: OllamaModelName("smollm2")!) }) else { Issue.record("expected .blobMissing"); return }
        try Data("not json".utf8).write(to: root.appendingPathComponent("manifests/registry.ollama.ai/library/smollm2/latest"))
        guard case .manifestUnreadable? = capture({ try store.modelFile(for: OllamaModelName("smollm2")!) }) else { Issue.record("expected .manifestUnreadable"); return }
        let escaping = try JSONSerialization.data(withJSONObject: ["layers": [["mediaType": OllamaStore.modelMediaType, "digest": "sha256:../../etc/passwd"]]])
        try escaping.write(to: root.appendingPathComponent("manifests/registry.ollama.ai/library/smollm2/latest"))
        guard case .manifestUnreadable? = capture({ try store.modelFile(for: OllamaModelName("smollm2")!) }) else { Issue.record("expected a refused digest"); return }
    }

    @Test func loadingAnOllamaModelSaysTheArchitectureIsNotSupportedYet() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = try makeStore(folder)
        let location = try ModelLocator(environment: ["OLLAMA_MODELS": root.path], pythonSitePackages: { [] }).locate("ollama:smollm2")
        do {
            _ = try ModelLoader.load(location)
            Issue.record("a llama GGUF loaded")
        } catch let error as UnsupportedModelError {
            #expect(error.description.contains("architecture llama (GGUF v3) is not supported yet (supported: bert, builtin)"))
        }
    }

    @Test func ggufPathsAreTheirOwnChoice() throws {
        #expect(ModelChoice(argument: "./model.gguf") == .gguf("./model.gguf"))
        #expect(ModelChoice(argument: "ollama:smollm2:135m") == .ollama("smollm2:135m"))
        let locator = ModelLocator(environment: [:], pythonSitePackages: { [] })
        let location = try locator.locate(Fixtures.url("gguf/tiny-random.gguf").path)
        #expect(location.file?.lastPathComponent == "tiny-random.gguf" && location.name == "tiny-random.gguf")
        #expect(throws: ModelLocatorError.fileMissing("/nonexistent/x.gguf")) { try locator.locate("/nonexistent/x.gguf") }
    }

    private func capture(_ body: () throws -> URL) -> OllamaStoreError? {
        do { _ = try body(); return nil } catch { return error as? OllamaStoreError }
    }
}
