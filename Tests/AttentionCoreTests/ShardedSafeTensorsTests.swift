import Foundation
import Testing
@testable import AttentionCore

/// A checkpoint saved in shards (`model.safetensors.index.json` + `model-0000N-of-0000M.safetensors`,
/// as transformers writes any model above its shard size) loads to exactly the weights of the
/// one-file checkpoint; a broken index names the file, the tensor and the shard at fault.
@Suite struct ShardedSafeTensorsTests {
    /// The tiny Llama's tensors split over two F32 shards beside its config and tokenizer.
    static func shardedTinyLlama(indexText: ((String) -> String)? = nil, skipShard: Bool = false) throws -> TemporaryFolder {
        let source = Fixtures.url("llama/tiny-llama")
        let single = try SafeTensorsFile(url: source.appendingPathComponent("model.safetensors"))
        let folder = try TemporaryFolder()
        for file in ["config.json", "tokenizer.json", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.url.appendingPathComponent(file))
        }
        let names = single.tensorNames
        let half = names.count / 2
        var weightMap: [String] = []
        for (shardIndex, part) in [names[..<half], names[half...]].enumerated() {
            let shardName = "model-0000\(shardIndex + 1)-of-00002.safetensors"
            let tensors = try part.map { name -> (name: String, shape: [Int], values: [Float]) in
                (name, try #require(single.info(name)).shape, try single.floats(name))
            }
            if !(skipShard && shardIndex == 1) {
                _ = try folder.write(SafeTensorsBuilder.f32File(tensors), to: shardName)
            }
            weightMap += part.map { "\"\($0)\": \"\(shardName)\"" }
        }
        let index = "{\"metadata\": {\"total_size\": 0}, \"weight_map\": {\(weightMap.joined(separator: ", "))}}"
        _ = try folder.write(indexText?(index) ?? index, to: "model.safetensors.index.json")
        return folder
    }

    static func load(_ folder: URL) throws -> EncoderModel {
        try ModelFamilyRegistry.standard.load(ModelLocation(choice: .folder(folder.path), folder: folder, name: "sharded", reason: "test"))
    }

    @Test func shardsLoadToTheSameAttentionAsOneFile() throws {
        let folder = try Self.shardedTinyLlama()
        defer { folder.remove() }
        let sharded = try Self.load(folder.url)
        let single = try Self.load(Fixtures.url("llama/tiny-llama"))
        let text = "The quick brown fox jumps over the lazy dog."
        let a = try #require(try Explorer(model: sharded, text: text).recompute())
        let b = try #require(try Explorer(model: single, text: text).recompute())
        #expect(a.attention == b.attention)
        let source = try ShardedSafeTensors(index: folder.url.appendingPathComponent("model.safetensors.index.json"))
        #expect(source.shards.count == 2 && source.formatName == "safetensors, 2 shards")
        #expect(Set(source.tensorNames) == Set(try SafeTensorsFile(url: Fixtures.url("llama/tiny-llama/model.safetensors")).tensorNames))
    }

    @Test func aMissingShardIsNamedWithItsTensorCount() throws {
        let folder = try Self.shardedTinyLlama(skipShard: true)
        defer { folder.remove() }
        #expect(throws: SafeTensorsIndexError.self) { try Self.load(folder.url) }
        do {
            _ = try Self.load(folder.url)
        } catch {
            #expect("\(error)".contains("model-00002-of-00002.safetensors, which is not in"))
            #expect("\(error)".contains("download every shard"))
        }
    }

    @Test(arguments: [
        ("not json", "not JSON"),
        ("{\"metadata\": {}}", "no \"weight_map\""),
        ("{\"weight_map\": {\"x\": \"../../etc/passwd.safetensors\"}}", "in the index's own folder"),
        ("{\"weight_map\": {\"x\": 3}}", "not a file name"),
    ])
    func aBrokenIndexSaysWhatIsWrong(index: String, expected: String) throws {
        let folder = try Self.shardedTinyLlama(indexText: { _ in index })
        defer { folder.remove() }
        do {
            _ = try ShardedSafeTensors(index: folder.url.appendingPathComponent("model.safetensors.index.json"))
            Issue.record("a broken index was accepted")
        } catch let error as SafeTensorsIndexError {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.contains("model.safetensors.index.json"))
        }
    }

    @Test func anIndexPuttingATensorInTheWrongShardIsRefused() throws {
        let folder = try Self.shardedTinyLlama(indexText: { index in
            index.replacingOccurrences(of: "\"model.norm.weight\": \"model-00002-of-00002.safetensors\"",
                                       with: "\"model.norm.weight\": \"model-00001-of-00002.safetensors\"")
        })
        defer { folder.remove() }
        do {
            _ = try Self.load(folder.url)
            Issue.record("a misplaced tensor was accepted")
        } catch let error as SafeTensorsIndexError {
            #expect(error.description.contains("'model.norm.weight' in model-00001-of-00002.safetensors, which does not hold it"))
        }
    }
}
