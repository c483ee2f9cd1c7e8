import Foundation
import Testing
@testable import AttentionCore

@Suite("BertWeights")
struct BertWeightsTests {
    /// A copy of tiny-bert in a temporary folder with tensors renamed or dropped
    /// (`rename` returns nil to drop) and, optionally, config.json edited.
    private func editedTinyBert(
        in folder: TemporaryFolder,
        rename: (String) -> String? = { $0 },
        extra: [(name: String, shape: [Int], values: [Float])] = [],
        config: (String) -> String = { $0 }
    ) throws -> URL {
        let source = try SafeTensorsFile(url: Fixtures.url("tiny-bert/model.safetensors"))
        var tensors: [(name: String, shape: [Int], values: [Float])] = []
        for name in source.tensorNames {
            guard let newName = rename(name), let info = source.info(name) else { continue }
            tensors.append((newName, info.shape, try source.floats(name)))
        }
        _ = try folder.write(SafeTensorsBuilder.f32File(tensors + extra), to: "model.safetensors")
        let configText = try String(contentsOf: Fixtures.url("tiny-bert/config.json"), encoding: .utf8)
        _ = try folder.write(config(configText), to: "config.json")
        return folder.url
    }

    private func loadError(_ folder: URL) -> Error? {
        do {
            _ = try BertWeights.load(folder: folder)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Fixtures and MiniLM

    /// Float32 layer matrices and word tables are not copied at load: they stay in the mapped
    /// file, read the same values, and a model packed from them computes the same attention.
    @Test func float32LayerMatricesStayInTheMappedFile() throws {
        let (_, weights) = try BertWeights.load(folder: Fixtures.url("tiny-bert"))
        let file = try SafeTensorsFile(url: Fixtures.url("tiny-bert/model.safetensors"))
        let query = weights.layers[0].query
        #expect(query.isInPlace)
        #expect(weights.layers.allSatisfy { [$0.query, $0.key, $0.value, $0.attentionOutput, $0.intermediate, $0.output].allSatisfy(\.isInPlace) })
        #expect(query.weight.values == (try file.floats("bert.encoder.layer.0.attention.self.query.weight")))
        // The word table too, read a row at a time.
        #expect(weights.embeddings.wordSource.isInPlace)
        let table = weights.embeddings.wordTable
        var row = [Float](repeating: 0, count: table.columns)
        row.withUnsafeMutableBufferPointer { table.copyRow(7, into: $0.baseAddress!) }
        #expect(table.rows == 312 && row == weights.embeddings.word.row(7))
        var copied = query
        copied.weight = query.weight
        #expect(!copied.isInPlace && copied == query)
        let x = Matrix(rows: 3, columns: query.weight.columns, values: (0..<(3 * query.weight.columns)).map { Float($0 % 7) / 7 - 0.4 })
        #expect(query.linear().apply(x) == copied.linear().apply(x))
        // F16 weights are converted, as before.
        let (_, halves) = try BertWeights.load(folder: Fixtures.url("tiny-bert-f16"))
        #expect(!halves.layers[0].query.isInPlace)
    }

    /// The block scan finds the first non-finite value wherever it sits (the first float, a block
    /// edge, the tail past the last whole block) and never flags a finite extreme.
    @Test func nonFiniteScanFindsTheFirstNaNOrInfinity() {
        let count = 3 * NonFiniteScan.block + 21
        var values = (0..<count).map { Float($0 % 97) / 13 - 3 }
        values[1] = .greatestFiniteMagnitude
        values[2] = -.greatestFiniteMagnitude
        values[3] = .leastNonzeroMagnitude
        values[4] = -0.0
        #expect(values.withUnsafeBufferPointer { NonFiniteScan.firstIndex(in: $0) } == nil)
        for position in [0, 15, 16, 1023, 1024, 2047, 3 * NonFiniteScan.block, count - 1] {
            for bad in [Float.nan, .infinity, -.infinity, Float(bitPattern: 0xFFC0_0001)] {
                var poisoned = values
                poisoned[position] = bad
                if position + 5 < count { poisoned[position + 5] = .nan }
                let found = poisoned.withUnsafeBufferPointer { NonFiniteScan.firstIndex(in: $0) }
                #expect(found == position, "\(bad) at \(position): found \(String(describing: found))")
            }
        }
        #expect(NonFiniteScan.firstIndex(in: UnsafeBufferPointer(start: nil, count: 0)) == nil)
    }

    /// A NaN in a matrix read in place is refused as one read by copy is, with its index.
    @Test func nonFiniteValueInAMappedMatrixIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let source = try SafeTensorsFile(url: Fixtures.url("tiny-bert/model.safetensors"))
        let poisoned = "bert.encoder.layer.1.intermediate.dense.weight"
        var tensors: [(name: String, shape: [Int], values: [Float])] = []
        for name in source.tensorNames {
            guard let info = source.info(name) else { continue }
            var values = try source.floats(name)
            if name == poisoned { values[37] = .nan }
            tensors.append((name, info.shape, values))
        }
        _ = try folder.write(SafeTensorsBuilder.f32File(tensors), to: "model.safetensors")
        _ = try folder.write(try String(contentsOf: Fixtures.url("tiny-bert/config.json"), encoding: .utf8), to: "config.json")
        guard case .nonFiniteWeight(_, poisoned, 37, let value)? = loadError(folder.url) as? ModelLoadError else {
            Issue.record("no nonFiniteWeight for \(poisoned)"); return
        }
        #expect(value.isNaN)
    }

    @Test func loadsTinyBertF32WithPrefixAndTiedHead() throws {
        let (config, weights) = try BertWeights.load(folder: Fixtures.url("tiny-bert"))
        #expect(weights.tensorPrefix == "bert.")
        #expect(weights.layers.count == 2)
        #expect(weights.embeddings.word.rows == 312 && weights.embeddings.word.columns == 32)
        #expect(weights.embeddings.position.rows == 40)
        #expect(weights.layers[1].intermediate.weight.rows == 64 && weights.layers[1].intermediate.weight.columns == 32)
        #expect(weights.layers[1].output.weight.rows == 32 && weights.layers[1].output.weight.columns == 64)
        #expect(config.headSize == 8)

        let file = try SafeTensorsFile(url: Fixtures.url("tiny-bert/model.safetensors"))
        #expect(weights.layers[1].key.weight.values == (try file.floats("bert.encoder.layer.1.attention.self.key.weight")))
        #expect(weights.layers[0].outputLayerNorm.bias == (try file.floats("bert.encoder.layer.0.output.LayerNorm.bias")))

        let head = try #require(weights.maskedLMHead)
        #expect(head.decoderIsTiedToWordEmbeddings)
        #expect(head.decoder == weights.embeddings.word)
        #expect(head.decoderBias == (try file.floats("cls.predictions.bias")))
        #expect(head.transform.weight.values == (try file.floats("cls.predictions.transform.dense.weight")))
    }

    /// The F16 and BF16 fixtures hold the F32 weights rounded: every loaded value must be
    /// within half a unit in the last place of its F32 counterpart, which also catches a
    /// tensor put in the wrong slot.
    @Test(arguments: [("tiny-bert-f16", 11), ("tiny-bert-bf16", 8)])
    func loadsReducedPrecisionWithoutPrefix(folder: String, mantissaBits: Int) throws {
        let (_, reference) = try BertWeights.load(folder: Fixtures.url("tiny-bert"))
        let (config, weights) = try BertWeights.load(folder: Fixtures.url(folder))
        #expect(weights.tensorPrefix == "")
        #expect(weights.maskedLMHead == nil)
        #expect(config.architectures == ["BertModel"])

        func close(_ a: [Float], _ b: [Float]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= abs($1) * Float.ulpOfOne * Float(1 << (23 - mantissaBits)) + 0x1p-24 }
        }
        #expect(close(weights.embeddings.word.values, reference.embeddings.word.values))
        #expect(close(weights.embeddings.tokenType.values, reference.embeddings.tokenType.values))
        for (layer, expected) in zip(weights.layers, reference.layers) {
            #expect(close(layer.query.weight.values, expected.query.weight.values))
            #expect(close(layer.key.bias, expected.key.bias))
            #expect(close(layer.value.weight.values, expected.value.weight.values))
            #expect(close(layer.intermediate.weight.values, expected.intermediate.weight.values))
            #expect(close(layer.output.weight.values, expected.output.weight.values))
            #expect(close(layer.attentionLayerNorm.weight, expected.attentionLayerNorm.weight))
            #expect(close(layer.outputLayerNorm.bias, expected.outputLayerNorm.bias))
        }
        #expect(!close(weights.layers[0].query.weight.values, reference.layers[0].key.weight.values))
    }

    @Test(.enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed"))
    func loadsMiniLM() throws {
        let (config, weights) = try BertWeights.load(folder: try MiniLM.requireFolder())
        #expect(config.hiddenSize == 384)
        #expect(weights.tensorPrefix == "")
        #expect(weights.layers.count == 6)
        #expect(weights.embeddings.word.rows == 30522 && weights.embeddings.word.columns == 384)
        #expect(weights.layers[5].intermediate.weight.rows == 1536)
        #expect(weights.maskedLMHead == nil)
        let file = try SafeTensorsFile(url: try MiniLM.requireFolder().appendingPathComponent("model.safetensors"))
        #expect(file.info("embeddings.position_ids")?.dtype == .i64)
        #expect(weights.layers[3].value.bias == (try file.floats("encoder.layer.3.attention.self.value.bias")))
    }

    // MARK: - Name variants

    @Test func acceptsGammaBetaLayerNormNames() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, rename: {
            $0.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
              .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta")
        })
        let (_, weights) = try BertWeights.load(folder: url)
        let (_, reference) = try BertWeights.load(folder: Fixtures.url("tiny-bert"))
        #expect(weights == reference)
    }

    @Test func untiedDecoderIsReadFromItsOwnTensor() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let decoder = (0..<(312 * 32)).map { Float($0) / 1000 }
        let url = try editedTinyBert(in: folder, extra: [("cls.predictions.decoder.weight", [312, 32], decoder)])
        let (_, weights) = try BertWeights.load(folder: url)
        let head = try #require(weights.maskedLMHead)
        #expect(!head.decoderIsTiedToWordEmbeddings)
        #expect(head.decoder.values == decoder)
    }

    // MARK: - Errors

    @Test func missingTensorIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, rename: { $0 == "bert.encoder.layer.1.attention.self.key.bias" ? nil : $0 })
        let error = loadError(url)
        #expect(error as? ModelLoadError == .tensorMissing(
            file: url.appendingPathComponent("model.safetensors"), lookedFor: ["bert.encoder.layer.1.attention.self.key.bias"]))
        #expect(error.map(String.init(describing:)) == "model.safetensors: missing tensor 'bert.encoder.layer.1.attention.self.key.bias'")
    }

    @Test func missingLayerNormListsEveryNameTried() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, rename: { $0 == "bert.embeddings.LayerNorm.weight" ? nil : $0 })
        guard case .tensorMissing(_, let lookedFor)? = loadError(url) as? ModelLoadError else { Issue.record("no tensorMissing"); return }
        #expect(lookedFor == ["bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.gamma"])
    }

    @Test func noWordEmbeddingsListsBothPrefixes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, rename: { $0.contains("word_embeddings") ? nil : $0 })
        guard case .tensorMissing(_, let lookedFor)? = loadError(url) as? ModelLoadError else { Issue.record("no tensorMissing"); return }
        #expect(lookedFor == ["embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight"])
    }

    @Test func incompleteMaskedLMHeadIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, rename: { $0 == "cls.predictions.transform.dense.bias" ? nil : $0 })
        guard case .tensorMissing(_, ["cls.predictions.transform.dense.bias"])? = loadError(url) as? ModelLoadError else {
            Issue.record("no tensorMissing"); return
        }
    }

    @Test func shapeDisagreeingWithConfigIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, config: { $0.replacingOccurrences(of: "\"vocab_size\": 312", with: "\"vocab_size\": 300") })
        let error = loadError(url)
        #expect(error as? ModelLoadError == .tensorShapeMismatch(
            file: url.appendingPathComponent("model.safetensors"), tensor: "bert.embeddings.word_embeddings.weight",
            shape: [312, 32], expected: [300, 32], meaning: "[vocab_size, hidden_size]"))
        #expect(error.map(String.init(describing:)) == "model.safetensors: tensor 'bert.embeddings.word_embeddings.weight' has shape [312, 32], but config.json implies [300, 32] ([vocab_size, hidden_size])")
    }

    @Test func intermediateSizeDisagreeingIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, config: { $0.replacingOccurrences(of: "\"intermediate_size\": 64", with: "\"intermediate_size\": 48") })
        guard case .tensorShapeMismatch(_, "bert.encoder.layer.0.intermediate.dense.weight", [64, 32], [48, 32], let meaning)? = loadError(url) as? ModelLoadError else {
            Issue.record("no tensorShapeMismatch"); return
        }
        #expect(meaning.contains("intermediate_size"))
    }

    @Test func fewerLayersInFileThanConfig() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, config: { $0.replacingOccurrences(of: "\"num_hidden_layers\": 2", with: "\"num_hidden_layers\": 3") })
        guard case .tensorMissing(_, let lookedFor)? = loadError(url) as? ModelLoadError else { Issue.record("no tensorMissing"); return }
        #expect(lookedFor.first?.hasPrefix("bert.encoder.layer.2.") == true)
    }

    @Test func missingFolder() {
        let url = URL(fileURLWithPath: "/nonexistent/model")
        #expect(loadError(url) as? ModelLoadError == .folderMissing(folder: url))
    }

    @Test func folderWithoutSafetensorsSuggestsConverting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("{}", to: "config.json")
        _ = try folder.write("not really", to: "pytorch_model.bin")
        let error = loadError(folder.url)
        #expect(error as? ModelLoadError == .fileMissing(folder: folder.url, file: "model.safetensors", present: ["config.json", "pytorch_model.bin"]))
        #expect(error.map(String.init(describing:))?.contains("safe_serialization=True") == true)
    }

    @Test func folderWithoutConfig() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(loadError(folder.url) as? ModelLoadError == .fileMissing(folder: folder.url, file: "config.json", present: []))
    }

    @Test func brokenConfigInFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder, config: { String($0.prefix(40)) })
        guard case .configNotJSON? = loadError(url) as? ModelLoadError else { Issue.record("no configNotJSON"); return }
    }

    @Test func truncatedModelInFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder)
        let model = url.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: model)
        try bytes.prefix(bytes.count - 100).write(to: model)
        guard case .tensorBeyondFile(_, let tensor, _, _)? = loadError(url) as? SafeTensorsError else { Issue.record("no tensorBeyondFile"); return }
        #expect(!tensor.isEmpty)
    }

    @Test func integerTensorWhereFloatsAreNeeded() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try editedTinyBert(in: folder)
        // The filler makes the file large enough for the config's sizes, which are checked first.
        let header = "{\"bert.embeddings.word_embeddings.weight\":{\"dtype\":\"I32\",\"shape\":[312,32],\"data_offsets\":[0,39936]},"
            + "\"filler\":{\"dtype\":\"U8\",\"shape\":[200000],\"data_offsets\":[39936,239936]}}"
        try SafeTensorsBuilder.bytes(header: header, data: Array(repeating: 0, count: 239936))
            .write(to: url.appendingPathComponent("model.safetensors"))
        guard case .notFloatingPoint(_, "bert.embeddings.word_embeddings.weight", .i32)? = loadError(url) as? SafeTensorsError else {
            Issue.record("no notFloatingPoint"); return
        }
    }
}
