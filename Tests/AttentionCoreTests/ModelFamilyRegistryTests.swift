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
        for modelType in ["llama", "qwen2", "mistral"] {
            #expect(registry.family(modelType: modelType, architectures: nil)?.name == "llama")
        }
        #expect(registry.family(ggufArchitecture: "llama")?.name == "llama")
        #expect(registry.family(modelType: "gpt_neox", architectures: ["GPTNeoXForCausalLM"]) == nil)
        #expect(registry.family(ggufArchitecture: "gptneox") == nil)
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
        _ = try folder.write(#"{"model_type": "gpt_neox", "architectures": ["GPTNeoXForCausalLM"], "hidden_size": 64}"#, to: "config.json")
        do {
            _ = try ModelFamilyRegistry.standard.load(location(folder.url))
            Issue.record("a gpt_neox config loaded")
        } catch let error as ModelLoadError {
            guard case let .architectureUnsupported(_, found, supported) = error else { Issue.record("got \(error)"); return }
            #expect(found == #"model_type "gpt_neox""#)
            #expect(supported.contains { $0.hasPrefix(#"bert (model_type "bert", BertModel, BertForMaskedLM"#) })
            #expect(error.description.contains(#"model_type "gpt_neox" is not an architecture Maskscope runs. Supported: bert ("#))
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

    /// Llama-family configs that cannot run are refused by name before any weight is read.
    @Test func badLlamaConfigsAreNamed() throws {
        func refusal(_ config: String) throws -> String {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            _ = try folder.write(config, to: "config.json")
            do {
                _ = try ModelFamilyRegistry.standard.load(location(folder.url))
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        let base = #""model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "num_attention_heads": 4"#
        #expect(try refusal("{\(base), \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}}")
            .contains("rope_scaling = yarn is not supported: rotary scaling 'yarn' is not implemented"))
        #expect(try refusal("{\(base), \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2}}").contains("rope_scaling = linear is not supported"))
        #expect(try refusal("{\(base), \"num_key_value_heads\": 3}").contains("key/value head count is 3, which does not divide the 4 query heads"))
        #expect(try refusal(#"{"model_type": "llama", "hidden_size": 64}"#).contains("missing 'num_attention_heads', which a Llama-family model needs"))
        #expect(try refusal("{\(base)}").contains("no model.safetensors (nor a sharded model.safetensors.index.json) in the model folder"))
    }
}
