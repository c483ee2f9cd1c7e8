import Foundation
import Testing
@testable import AttentionCore

@Suite("BertConfig")
struct BertConfigTests {
    private let tinyConfig = """
        {
          "architectures": ["BertForMaskedLM"],
          "hidden_act": "gelu",
          "hidden_size": 32,
          "intermediate_size": 64,
          "layer_norm_eps": 1e-12,
          "max_position_embeddings": 40,
          "model_type": "bert",
          "num_attention_heads": 4,
          "num_hidden_layers": 2,
          "type_vocab_size": 2,
          "vocab_size": 312
        }
        """

    /// Writes `text` as config.json and loads it, returning the error or nil.
    private func loadError(_ text: String) throws -> ModelLoadError? {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try folder.write(text, to: "config.json")
        do {
            _ = try BertConfig.load(url: url)
            return nil
        } catch let error as ModelLoadError {
            return error
        }
    }

    private func replacing(_ old: String, with new: String) -> String {
        if !tinyConfig.contains(old) { Issue.record("test setup: \(old) is not in the config") }
        return tinyConfig.replacingOccurrences(of: old, with: new)
    }

    @Test func loadsTheTinyFixture() throws {
        let config = try BertConfig.load(url: Fixtures.url("tiny-bert/config.json"))
        #expect(config == BertConfig(
            hiddenSize: 32, numAttentionHeads: 4, numHiddenLayers: 2, intermediateSize: 64,
            maxPositionEmbeddings: 40, vocabSize: 312, typeVocabSize: 2, layerNormEps: 1e-12,
            hiddenAct: .gelu, architectures: ["BertForMaskedLM"]))
        #expect(config.headSize == 8)
    }

    @Test(.enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed"))
    func loadsMiniLM() throws {
        let config = try BertConfig.load(url: try MiniLM.requireFolder().appendingPathComponent("config.json"))
        #expect(config.hiddenSize == 384)
        #expect(config.numAttentionHeads == 12)
        #expect(config.numHiddenLayers == 6)
        #expect(config.intermediateSize == 1536)
        #expect(config.vocabSize == 30522)
        #expect(config.maxPositionEmbeddings == 512)
        #expect(config.positionEmbeddingType == "absolute")
    }

    @Test func absentOptionalKeysGetTransformersDefaults() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let minimal = """
            {"hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1, "intermediate_size": 16,
             "max_position_embeddings": 10, "vocab_size": 20}
            """
        let config = try BertConfig.load(url: try folder.write(minimal, to: "config.json"))
        #expect(config.typeVocabSize == 2)
        #expect(config.layerNormEps == 1e-12)
        #expect(config.hiddenAct == .gelu)
        #expect(config.modelType == "bert")
        #expect(config.positionEmbeddingType == "absolute")
        #expect(config.architectures == nil)
    }

    @Test func notJSONNamesLineAndColumn() throws {
        let error = try loadError(replacing("\"hidden_size\": 32", with: "\"hidden_size\": 32,,"))
        guard case .configNotJSON(_, let detail)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(detail.contains("line 4"), "\(detail)")
        #expect(error?.description.hasPrefix("config.json: not valid JSON:") == true)
    }

    @Test func emptyFileIsNotJSON() throws {
        let error = try loadError("")
        guard case .configNotJSON? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func topLevelArrayIsNotAConfig() throws {
        let error = try loadError("[1, 2]")
        guard case .configNotJSON? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func missingKeyIsNamed() throws {
        let error = try loadError(replacing("\"hidden_size\": 32,", with: ""))
        guard case .configKeyMissing(_, "hidden_size")? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description == "config.json: missing key 'hidden_size', which a BERT config needs")
    }

    @Test func wrongTypeIsNamed() throws {
        let error = try loadError(replacing("\"hidden_size\": 32", with: "\"hidden_size\": \"32\""))
        guard case .configKeyWrongType(_, "hidden_size", "an integer")? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func fractionalSizeIsWrongType() throws {
        let error = try loadError(replacing("\"num_hidden_layers\": 2", with: "\"num_hidden_layers\": 2.5"))
        guard case .configKeyWrongType(_, "num_hidden_layers", "an integer")? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func nullSizeIsWrongType() throws {
        let error = try loadError(replacing("\"vocab_size\": 312", with: "\"vocab_size\": null"))
        guard case .configKeyWrongType(_, "vocab_size", _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func zeroSizeIsInvalid() throws {
        let error = try loadError(replacing("\"intermediate_size\": 64", with: "\"intermediate_size\": 0"))
        guard case .configInvalidValue(_, "intermediate_size", _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func headsMustDivideHiddenSize() throws {
        let error = try loadError(replacing("\"num_attention_heads\": 4", with: "\"num_attention_heads\": 5"))
        guard case .configInvalidValue(_, "num_attention_heads", let problem)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(problem.contains("hidden_size 32"))
    }

    @Test func approximateGeluIsRefused() throws {
        let error = try loadError(replacing("\"gelu\"", with: "\"gelu_new\""))
        guard case .configInvalidValue(_, "hidden_act", let problem)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(problem.contains("gelu_new"))
    }

    @Test func relativePositionsAreRefused() throws {
        let error = try loadError(replacing("\"model_type\": \"bert\"", with: "\"model_type\": \"bert\", \"position_embedding_type\": \"relative_key\""))
        guard case .configInvalidValue(_, "position_embedding_type", _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func otherModelTypesAreRefused() throws {
        let error = try loadError(replacing("\"model_type\": \"bert\"", with: "\"model_type\": \"roberta\""))
        guard case .configInvalidValue(_, "model_type", _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func missingFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent/config.json")
        #expect(throws: ModelLoadError.configMissing(file: url)) { try BertConfig.load(url: url) }
    }
}
