import Foundation
import Testing
@testable import AttentionCore

@Suite("Model family registry") struct ModelFamilyRegistryTests {
    private func location(_ folder: URL) -> ModelLocation {
        ModelLocation(choice: .folder(folder.path), folder: folder, name: folder.lastPathComponent, reason: "test")
    }

    @Test func configNamesTheFamily() throws {
        let registry = ModelFamilyRegistry.standard
        #expect(registry.family(modelType: "bert", architectures: nil)?.name == "bert")
        #expect(registry.family(modelType: nil, architectures: ["BertForMaskedLM"])?.name == "bert")
        #expect(registry.family(modelType: "llama", architectures: ["LlamaForCausalLM"]) == nil)
        #expect(registry.family(ggufArchitecture: "llama") == nil)
        #expect(try registry.family(forFolder: Fixtures.url("tiny-bert")).name == "bert")
    }

    @Test func aFolderLoadsThroughItsFamilyAsBertModelLoadDoes() throws {
        let viaRegistry = try ModelFamilyRegistry.standard.load(location(Fixtures.url("tiny-bert")))
        let direct = try BertModel.load(folder: Fixtures.url("tiny-bert"), name: "tiny-bert")
        #expect(viaRegistry.description == direct.description)
        let a = try Explorer(model: viaRegistry, text: "the quick brown fox").recompute()
        let b = try Explorer(model: direct, text: "the quick brown fox").recompute()
        #expect(a?.attention == b?.attention)
    }

    @Test func noFolderMeansTheBuiltinFamily() throws {
        let model = try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .builtin, folder: nil, name: "builtin", reason: "test"))
        #expect(model.description == BuiltinModel.description)
    }

    @Test func anUnknownArchitectureIsNamedWithWhatIsSupported() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(#"{"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 64}"#, to: "config.json")
        do {
            _ = try ModelFamilyRegistry.standard.load(location(folder.url))
            Issue.record("a llama config loaded")
        } catch let error as ModelLoadError {
            guard case let .architectureUnsupported(_, found, supported) = error else { Issue.record("got \(error)"); return }
            #expect(found == #"model_type "llama""#)
            #expect(supported.contains { $0.hasPrefix(#"bert (model_type "bert", BertModel, BertForMaskedLM"#) })
            #expect(error.description.contains(#"model_type "llama" is not an architecture Maskscope runs. Supported: bert ("#))
        }
    }

    @Test func aConfigNamingNoArchitectureSaysSo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(#"{"hidden_size": 32}"#, to: "config.json")
        #expect(throws: ModelLoadError.architectureUnsupported(
            file: folder.url.appendingPathComponent("config.json"),
            found: #"no architecture (neither "model_type" nor "architectures")"#,
            supported: ModelFamilyRegistry.standard.supportedArchitectures)) {
            _ = try ModelFamilyRegistry.standard.load(location(folder.url))
        }
    }

    @Test func folderProblemsComeBeforeTheArchitecture() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/model")
        #expect(throws: ModelLoadError.folderMissing(folder: missing)) {
            _ = try ModelFamilyRegistry.standard.load(location(missing))
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: ModelLoadError.fileMissing(folder: folder.url, file: "config.json", present: [])) {
            _ = try ModelFamilyRegistry.standard.load(location(folder.url))
        }
        _ = try folder.write("{ \"model_type\": ", to: "config.json")
        #expect(throws: ModelLoadError.self) { _ = try ModelFamilyRegistry.standard.load(location(folder.url)) }
    }
}
