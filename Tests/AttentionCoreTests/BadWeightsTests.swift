import Foundation
import Testing
@testable import AttentionCore

/// Weights files and values that used to mean something silently different (issue 16).
@Suite struct BadWeightsTests {
    private func entry(_ name: String, _ begin: Int, _ end: Int) -> String {
        "\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\((end - begin) / 4)],\"data_offsets\":[\(begin),\(end)]}"
    }

    private func open(_ data: Data) throws -> SafeTensorsFile {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        return try SafeTensorsFile(url: try folder.write(data, to: "model.safetensors"))
    }

    /// Python's and Rust's readers take the last of two entries, Foundation's JSON the first:
    /// the file is refused instead of meaning different weights in different tools.
    @Test(arguments: ["\"a\"", "\"\\u0061\""])
    func duplicateTensorNamesAreRefused(secondName: String) throws {
        let header = "{" + entry("a", 0, 4) + ", \"b\": {\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}, "
            + "\(secondName):{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}"
        do {
            _ = try open(SafeTensorsBuilder.bytes(header: header, data: Array(repeating: 0, count: 12)))
            Issue.record("a header naming 'a' twice was accepted")
        } catch let error as SafeTensorsError {
            guard case .duplicateTensor(_, let tensor) = error else { Issue.record("got \(error)"); return }
            #expect(tensor == "a")
            #expect(error.description.contains("more than once"))
        }
    }

    @Test func namesThatOnlyLookAlikeAreNotDuplicates() throws {
        // Keys inside entries and names containing quotes, commas and braces are not top-level names.
        let header = "{\"__metadata__\":{\"a\":\"x\",\"a,}\":\"y\"}," + entry("a", 0, 4) + "," + entry("a\\\"}", 4, 8) + "}"
        let file = try open(SafeTensorsBuilder.bytes(header: header, data: Array(repeating: 0, count: 8)))
        #expect(Set(file.tensorNames) == ["a", "a\"}"])
    }

    @Test func aNaNOrOverflowingRowIsNaNNotAQuietRowOfZeros() {
        for poison in [Float.nan, .infinity] {
            var logits: [Float] = [0.5, poison, 1, 2]
            let bias: [Float] = [0, 0, 0, 0]
            let finite = logits.withUnsafeMutableBufferPointer { maskedSoftmaxRow($0.baseAddress!, bias: bias, count: 4) }
            #expect(!finite)
            #expect(logits.allSatisfy { $0.isNaN }, "\(poison): \(logits)")
        }
        var masked: [Float] = [0.5, 1]
        let allMasked: [Float] = [-.infinity, -.infinity]
        _ = masked.withUnsafeMutableBufferPointer { maskedSoftmaxRow($0.baseAddress!, bias: allMasked, count: 2) }
        #expect(masked == [0, 0], "a row with no keys stays zeros")
    }

    @Test func theFirstNonFiniteWeightIsFound() throws {
        let model = BuiltinModel.make()
        let explorer = try Explorer(model: model, text: "the quick fox")
        let result = try #require(explorer.recompute(needs: .attention))
        #expect(result.firstNonFiniteWeight == nil)
        #expect(throws: Never.self) { try ModelOutputError.check(result, model: "builtin") }
        // A poisoned row is NaN over every key it was computed for (see
        // `aPoisonedRowIsNonFiniteAtItsFirstKey`): layer 1, head 2, query 3.
        let length = result.attention.length
        result.attention.weights.withLayer(1) { weights in
            let row = UnsafeMutablePointer(mutating: weights.baseAddress!) + (2 * length + 3) * length
            row.update(repeating: .nan, count: length)
        }
        let place = try #require(result.firstNonFiniteWeight)
        #expect(place.layer == 1 && place.head == 2 && place.query == 3)
        #expect(throws: ModelOutputError.self) { try ModelOutputError.check(result, model: "builtin") }
    }

    @Test func hf4TakesValuesFromZeroToTwo() {
        for value: Float in [0, 0.5, 1, 1.5, 2] {
            #expect(MaskSemantics.hf4.validate(value) == nil)
            #expect(MaskSemantics.hf4.bias(for: value).isFinite)
        }
        for value: Float in [2.0001, 3, -0.5] {
            #expect(MaskSemantics.hf4.validate(value) != nil, "\(value)")
            #expect(!MaskSemantics.hf4.bias(for: value).isFinite, "\(value) would overflow")
        }
        #expect(MaskSemantics.hf4.nearestValid(3) == 2)
        #expect(MaskSemantics.hf4.nearestValid(-1) == 0)
        #expect(MaskSemantics.soft.nearestValid(-1) == 0)
        #expect(MaskSemantics.bias.nearestValid(-7) == -7)
    }

    @Test func padToIsCheckedBeforePadding() throws {
        let model = BuiltinModel.make()
        #expect(throws: ModelInputError.padTooLong(padTo: Int.max, limit: 512, model: model.info.name)) {
            try model.encode("hi", padTo: Int.max)
        }
        #expect(throws: ModelInputError.padNotPositive(padTo: -3)) { try model.encode("hi", padTo: -3) }
        #expect(throws: ModelInputError.padShorterThanText(padTo: 2, tokens: 3)) { try model.encode("hi", padTo: 2) }
        #expect(try model.encode("hi", padTo: 2, padShorterAllowed: true).count == 3)
        #expect(try model.encode("hi", padTo: 5).count == 5)
    }
}
