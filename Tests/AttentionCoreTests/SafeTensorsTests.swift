import Foundation
import Testing
@testable import AttentionCore

@Suite("SafeTensorsFile")
struct SafeTensorsTests {
    /// Writes `data` as `model.safetensors` in a fresh folder and returns the error opening it throws.
    private func openError(_ data: Data) throws -> SafeTensorsError? {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try folder.write(data, to: "model.safetensors")
        do {
            _ = try SafeTensorsFile(url: url)
            return nil
        } catch let error as SafeTensorsError {
            return error
        }
    }

    private func entry(_ name: String, _ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(begin),\(end)]}"
    }

    // MARK: - Broken files

    @Test func truncatedFileIsTooShort() throws {
        let error = try openError(Data([1, 0, 0, 0, 0]))
        guard case .tooShort(_, let byteCount)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(byteCount == 5)
        #expect(error?.description.hasPrefix("model.safetensors: the file has 5 bytes") == true)
    }

    @Test func emptyFileIsTooShort() throws {
        let error = try openError(Data())
        guard case .tooShort(_, 0)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func headerLengthBeyondFile() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{}", declaredHeaderLength: 1_000_000))
        guard case .headerBeyondFile(_, 1_000_000, 10)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description == "model.safetensors: the header claims 1,000,000 bytes (ending at byte 1,000,008) but the file has 10; it is truncated or not a safetensors file")
    }

    @Test func hugeHeaderLengthDoesNotOverflow() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{}", declaredHeaderLength: UInt64.max))
        guard case .headerBeyondFile? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func headerThatIsNotJSONNamesLineAndColumn() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{\n \"a\": {\"dtype\": F32}\n}"))
        guard case .headerNotJSON(_, let detail)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(detail.contains("line 2"), "\(detail)")
    }

    @Test func headerThatIsNotUTF8() throws {
        let error = try openError(SafeTensorsBuilder.bytes(rawHeader: [0x7B, 0xFF, 0xFE, 0x7D]))
        guard case .headerNotUTF8? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func headerThatIsAnArray() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "[1, 2]"))
        guard case .headerNotObject? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func unknownDType() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "F24", [2], 0, 6) + "}", data: Array(repeating: 0, count: 6)))
        guard case .unknownDType(_, "w", "F24")? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description.contains("BF16") == true)
    }

    @Test func offsetsPastTheEndNameTheBytes() throws {
        let name = "encoder.layer.0.attention.self.query.weight"
        var header = "{" + entry(name, "F32", [2003], 0, 8012) + "}"
        header += String(repeating: " ", count: 992 - header.utf8.count)
        let error = try openError(SafeTensorsBuilder.bytes(header: header, data: Array(repeating: 0, count: 7000)))
        guard case .tensorBeyondFile(_, name, 9012, 8000)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description == "model.safetensors: tensor '\(name)' ends at byte 9,012 but the file has 8,000; the file is truncated or its header is wrong")
    }

    @Test func hugeOffsetsDoNotOverflow() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "U8", [2], 0, Int.max) + "}"))
        guard case .tensorBeyondFile? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func beginAfterEnd() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "U8", [0], 4, 2) + "}", data: [0, 0, 0, 0]))
        guard case .invalidOffsets(_, "w", 4, 2)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func negativeOffset() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "U8", [2], -2, 0) + "}", data: [0, 0]))
        guard case .invalidOffsets(_, "w", -2, 0)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func overlappingTensors() throws {
        let header = "{" + entry("a", "F32", [2], 0, 8) + "," + entry("b", "F32", [2], 4, 12) + "}"
        let error = try openError(SafeTensorsBuilder.bytes(header: header, data: Array(repeating: 0, count: 12)))
        let dataStart = 8 + header.utf8.count
        guard case .overlappingTensors(_, "a", let first, "b", let second)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(first == dataStart..<(dataStart + 8))
        #expect(second == (dataStart + 4)..<(dataStart + 12))
    }

    @Test func tensorInsideAnotherOverlaps() throws {
        let header = "{" + entry("big", "U8", [10], 0, 10) + "," + entry("inner", "U8", [2], 3, 5) + "," + entry("late", "U8", [2], 8, 10) + "}"
        let error = try openError(SafeTensorsBuilder.bytes(header: header, data: Array(repeating: 0, count: 10)))
        guard case .overlappingTensors(_, "big", _, "inner", _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func byteLengthNotMatchingShape() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "F16", [2, 3], 0, 8) + "}", data: Array(repeating: 0, count: 8)))
        guard case .byteCountMismatch(_, "w", .f16, [2, 3], 12, 8)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description == "model.safetensors: tensor 'w' is F16 [2, 3], which takes 12 bytes, but its data_offsets span 8")
    }

    @Test func negativeDimension() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "F32", [-1, 2], 0, 0) + "}"))
        guard case .invalidShape(_, "w", [-1, 2])? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func shapeWhoseSizeOverflows() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "F64", [1 << 40, 1 << 30], 0, 0) + "}"))
        guard case .sizeOverflow(_, "w", _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func entryMissingAField() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}}"))
        guard case .malformedEntry(_, "w", let problem)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(problem.contains("shape"))
    }

    @Test func fractionalShapeIsMalformed() throws {
        let error = try openError(SafeTensorsBuilder.bytes(header: "{" + entry("w", "F32", [], 0, 4).replacingOccurrences(of: "[]", with: "[1.5]") + "}", data: [0, 0, 0, 0]))
        guard case .malformedEntry(_, "w", _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func missingFileCannotOpen() throws {
        let url = URL(fileURLWithPath: "/nonexistent/model.safetensors")
        #expect(throws: SafeTensorsError.cannotOpen(file: url, reason: "No such file or directory")) {
            try SafeTensorsFile(url: url)
        }
    }

    @Test func folderCannotOpen() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: SafeTensorsError.cannotOpen(file: folder.url, reason: "it is a folder, not a file")) {
            try SafeTensorsFile(url: folder.url)
        }
    }

    // MARK: - Reading

    @Test func readsEveryFloatTypeAndRefusesIntegers() throws {
        let header = "{\"__metadata__\":{\"format\":\"pt\"},"
            + entry("f32", "F32", [2], 0, 8) + ","
            + entry("f16", "F16", [3], 8, 14) + ","
            + entry("bf16", "BF16", [2], 14, 18) + ","
            + entry("f64", "F64", [1], 18, 26) + ","
            + entry("ids", "I64", [1], 26, 34) + ","
            + entry("empty", "F32", [0, 4], 34, 34) + "}"
        var data: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(Float(1.5).bitPattern); append(Float(-0.25).bitPattern)
        append(UInt16(0x3C00)); append(UInt16(0xC000)); append(UInt16(0x0001))   // 1, -2, smallest subnormal
        append(UInt16(0x3FC0)); append(UInt16(0xFF80))                            // 1.5, -inf
        append(Double(0.1).bitPattern)
        append(Int64(7))

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The header length is odd, so multi-byte values are not aligned: reads must cope.
        let file = try SafeTensorsFile(url: try folder.write(SafeTensorsBuilder.bytes(header: header, data: data), to: "mixed.safetensors"))

        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensorNames == ["f32", "f16", "bf16", "f64", "ids", "empty"])
        #expect(file.info("f16") == TensorInfo(name: "f16", dtype: .f16, shape: [3], byteRange: (8 + header.utf8.count + 8)..<(8 + header.utf8.count + 14)))
        #expect(try file.floats("f32") == [1.5, -0.25])
        #expect(try file.floats("f16") == [1, -2, 0x1p-24])
        #expect(try file.floats("bf16") == [1.5, -.infinity])
        #expect(try file.floats("f64") == [Float(0.1)])
        #expect(try file.floats("empty") == [])
        #expect(throws: SafeTensorsError.notFloatingPoint(file: file.url, tensor: "ids", dtype: .i64)) { try file.floats("ids") }
        #expect(throws: SafeTensorsError.noSuchTensor(file: file.url, tensor: "nope")) { try file.floats("nope") }
        #expect(file.info("nope") == nil)
    }

    @Test func halfConversionIsExactForEveryBitPattern() {
        #if (os(macOS) && arch(x86_64))
        // Float16 is unavailable on Intel Macs; the explicit values in other tests still run.
        #else
        var mismatches = 0
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = floatFromHalfBits(bits)
            let same = expected.isNaN ? actual.isNaN && (actual.bitPattern & 0x003F_FFFF) == (expected.bitPattern & 0x003F_FFFF)
                                      : actual.bitPattern == expected.bitPattern
            if !same { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #endif
    }

    @Test func bfloat16IsTheTopHalfOfAFloat() {
        #expect(floatFromBFloat16Bits(0x3F80) == 1)
        #expect(floatFromBFloat16Bits(0xC040) == -3)
        #expect(floatFromBFloat16Bits(0x0001) == Float(bitPattern: 0x0001_0000))
        #expect(floatFromBFloat16Bits(0x7FC0).isNaN)
    }

    @Test(arguments: ["tiny-bert-f16", "tiny-bert-bf16"])
    func fixtureValuesMatchTransformersExactly(folder: String) throws {
        struct Expected: Decodable { let shape: [Int]; let values: [Double] }
        let expected = try JSONDecoder().decode(
            [String: Expected].self, from: Data(contentsOf: Fixtures.url("\(folder)/expected-floats.json")))
        let file = try SafeTensorsFile(url: Fixtures.url("\(folder)/model.safetensors"))
        #expect(expected.count >= 4)
        for (name, tensor) in expected {
            #expect(file.info(name)?.shape == tensor.shape, "\(name)")
            let values = try file.floats(name)
            #expect(values.map(\.bitPattern) == tensor.values.map { Float($0).bitPattern }, "\(name)")
        }
    }

    @Test func thousandsSeparators() {
        #expect(thousandsSeparated(0) == "0")
        #expect(thousandsSeparated(999) == "999")
        #expect(thousandsSeparated(1000) == "1,000")
        #expect(thousandsSeparated(47_678_464) == "47,678,464")
        #expect(thousandsSeparated(-12345) == "-12,345")
    }
}
