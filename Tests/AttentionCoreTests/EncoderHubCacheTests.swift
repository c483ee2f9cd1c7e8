import Foundation
import Testing
@testable import AttentionCore

/// `distilbert-base-uncased` and `roberta-base` resolve from a Hugging Face cache laid out as
/// huggingface_hub writes it (`hub/models--NAME/{refs/main, snapshots/HASH/…}`, files as
/// symlinks), here holding the tiny checkpoints; absent, the message is the usual one.
@Suite struct EncoderHubCacheTests {
    func locator(_ environment: [String: String]) -> ModelLocator {
        var environment = environment
        environment["HOME"] = "/nonexistent-home"
        environment["PYENV_ROOT"] = "/nonexistent-pyenv"
        return ModelLocator(environment: environment, pythonSitePackages: { [] })
    }

    func makeHubCache(id: String, fixture: String) throws -> URL {
        let home = try TemporaryFolder().url
        let repository = home.appendingPathComponent("hub/models--" + id.replacingOccurrences(of: "/", with: "--"))
        let snapshot = repository.appendingPathComponent("snapshots/4567cdef")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try "4567cdef".write(to: repository.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        let source = Fixtures.url("encoders/\(fixture)")
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.createSymbolicLink(at: snapshot.appendingPathComponent(file),
                                                       withDestinationURL: source.appendingPathComponent(file))
        }
        return home
    }

    @Test(arguments: [("distilbert-base-uncased", "tiny-distilbert", "distilbert"),
                      ("roberta-base", "tiny-roberta", "roberta")])
    func hubIDLoadsFromTheCache(id: String, fixture: String, architecture: String) throws {
        let home = try makeHubCache(id: id, fixture: fixture)
        let location = try locator(["HF_HOME": home.path]).locate(id)
        #expect(location.folder?.lastPathComponent == "4567cdef")
        let model = try ModelLoader.load(location)
        #expect(model.info.name == id && model.info.architecture == architecture)
        #expect(model.maskedLMHead != nil)
        let direct = try TinyEncoderParityTests.load(fixture)
        let text = "the quick brown fox"
        let a = try Explorer(model: model, text: text).recompute()
        let b = try Explorer(model: direct, text: text).recompute()
        #expect(a?.attention == b?.attention)
    }

    /// The hub renamed its oldest models (`roberta-base` → `FacebookAI/roberta-base`); a cache
    /// holds whichever name was downloaded, and either name on the command line finds it.
    @Test(arguments: [("roberta-base", "FacebookAI/roberta-base"), ("FacebookAI/roberta-base", "roberta-base"),
                      ("distilbert-base-uncased", "distilbert/distilbert-base-uncased")])
    func hubIDFindsTheCacheOfItsOtherName(asked: String, cached: String) throws {
        let fixture = asked.contains("roberta") ? "tiny-roberta" : "tiny-distilbert"
        let home = try makeHubCache(id: cached, fixture: fixture)
        let location = try locator(["HF_HOME": home.path]).locate(asked)
        #expect(location.folder?.lastPathComponent == "4567cdef")
        #expect(location.folder?.path.contains("models--" + cached.replacingOccurrences(of: "/", with: "--")) == true)
    }

    @Test func unrelatedIDsHaveNoOtherName() {
        #expect(HubIdAliases.names(for: "someone/roberta-base") == ["someone/roberta-base"])
        #expect(HubIdAliases.names(for: "gpt2") == ["gpt2", "openai-community/gpt2"])
        #expect(HubIdAliases.names(for: "my-model") == ["my-model"])
    }

    @Test(arguments: ["distilbert-base-uncased", "roberta-base"])
    func absentHubIDSaysWhereItLooked(id: String) throws {
        do {
            _ = try locator(["HF_HOME": "/tmp/empty-hf-home"]).locate(id)
            Issue.record("an absent hub id was found")
        } catch let error as ModelLocatorError {
            #expect(error.description.contains("/tmp/empty-hf-home/hub/models--\(id)"))
            #expect(error.description.contains("huggingface-cli download \(id)"))
            #expect(error.description.contains("--model PATH"))
        }
    }
}
