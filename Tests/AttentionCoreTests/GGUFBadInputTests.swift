import Foundation
import Testing
@testable import AttentionCore

/// The bad-input matrix: every broken or hostile GGUF header gets a `GGUFError` naming the key
/// or tensor and the byte offset, never a trap, a hang or a huge allocation.
@Suite("GGUF bad input")
struct GGUFBadInputTests {
    static let url = URL(fileURLWithPath: "/tmp/bad.gguf")

    /// A small valid file: two metadata entries and two F32 tensors.
    static var valid: GGUFBuilder {
        var builder = GGUFBuilder()
        builder.metadata.append(("llama.block_count", .uint32(2)))
        builder.tensors = [GGUFBuilder.f32Tensor("a", rows: 2, columns: 3), GGUFBuilder.f32Tensor("b", rows: 1, columns: 4)]
        return builder
    }

    func error(_ bytes: [UInt8]) -> GGUFError? {
        do {
            _ = try GGUFFile(bytes: bytes, url: Self.url)
            return nil
        } catch let error as GGUFError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    func error(_ builder: GGUFBuilder) -> GGUFError? { error(builder.bytes()) }

    @Test func theValidFileOpens() throws {
        let file = try GGUFFile(bytes: Self.valid.bytes(), url: Self.url)
        #expect(file.tensorNames == ["a", "b"])
        #expect(try file.floats("a") == [0, 1, 2, 3, 4, 5])
        #expect(file.descriptor("a")?.shape == [2, 3])
    }

    @Test func version2OpensLikeVersion3() throws {
        var builder = Self.valid
        builder.version = 2
        let file = try GGUFFile(bytes: builder.bytes(), url: Self.url)
        let values = try file.floats("b")
        #expect(file.formatName == "GGUF v2" && values == [0, 1, 2, 3])
    }

    /// Random damage to the committed fixture's header: each copy either opens (and then every
    /// readable tensor dequantizes) or throws a `GGUFError`; none traps.
    @Test func randomHeaderDamageNeverTraps() throws {
        let original = Array(try Data(contentsOf: Fixtures.url("gguf/tiny-random.gguf")))
        let headerEnd = try GGUFFile(bytes: original).dataOffset
        var generator = SplitMix64(seed: 12)
        var opened = 0, refused = 0
        for _ in 0 ..< 2000 {
            var bytes = original
            for _ in 0 ... Int(generator.next() % 4) {
                let position = Int(generator.next() % UInt64(headerEnd))
                bytes[position] = generator.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let file = try GGUFFile(bytes: bytes, url: Self.url)
                for tensor in file.tensors where tensor.type.isDequantizable && tensor.elementCount < 1 << 20 {
                    _ = try file.floats(tensor.name)
                }
                opened += 1
            } catch is GGUFError {
                refused += 1
            }
        }
        #expect(opened > 0 && refused > 0)
    }

    @Test func everyTruncationIsAnErrorNeverATrap() throws {
        let bytes = Self.valid.bytes()
        for length in 0 ..< bytes.count {
            let found = error(Array(bytes[0 ..< length]))
            #expect(found != nil, "a file cut to \(length) bytes opened")
            if let found, length >= 4 {
                #expect(found.description.contains("bad.gguf"))
            }
        }
    }

    @Test func truncatedInsideAValueNamesItsKeyAndTheOffset() throws {
        let bytes = Self.valid.bytes()
        // 24-byte fixed header, key "general.architecture" (8 + 20 bytes), type (4), then the
        // value's 8-byte length at byte 56, cut after 4 of them.
        guard case let .truncated(_, what, offset, needed, fileByteCount)? = error(Array(bytes[0 ..< 60])) else {
            Issue.record("expected .truncated"); return
        }
        #expect(what == "the length of the value of 'general.architecture'")
        #expect(offset == 56 && needed == 8 && fileByteCount == 60)
    }

    @Test func truncatedTensorDataIsBeyondTheFile() throws {
        let bytes = Self.valid.bytes()
        guard case let .tensorBeyondFile(_, tensor, _, end, fileByteCount)? = error(Array(bytes.dropLast(8))) else {
            Issue.record("expected .tensorBeyondFile"); return
        }
        #expect(tensor == "b" && end == UInt64(bytes.count) && fileByteCount == bytes.count - 8)
    }

    @Test func wrongMagic() throws {
        var builder = Self.valid
        builder.magic = Array("GGUG".utf8)
        #expect(error(builder) == .badMagic(file: Self.url, found: Array("GGUG".utf8)))
        #expect(error(builder)?.description.contains("not a GGUF file") == true)
        var safetensors = Self.valid.bytes()
        safetensors.replaceSubrange(0..<4, with: [0x7B, 0x00, 0x00, 0x00])
        #expect(error(safetensors)?.description.contains("\\x7b") == false)
    }

    @Test(arguments: [UInt32(0), 1, 4, 0x0300_0000, 0x0200_0000])
    func unknownVersion(version: UInt32) throws {
        var builder = Self.valid
        builder.version = version
        let bigEndian = version >= 0x0100_0000
        #expect(error(builder) == .unsupportedVersion(file: Self.url, version: version, bigEndian: bigEndian))
    }

    @Test func tensorCountBeyondTheFile() throws {
        var builder = Self.valid
        builder.tensorCount = UInt64.max
        guard case let .countBeyondFile(_, what, count, offset, _)? = error(builder) else { Issue.record("expected .countBeyondFile"); return }
        #expect(what == "tensor count" && count == UInt64.max && offset == 8)
    }

    @Test func metadataCountBeyondTheFile() throws {
        var builder = Self.valid
        builder.metadataCount = 1 << 40
        guard case let .countBeyondFile(_, what, _, offset, _)? = error(builder) else { Issue.record("expected .countBeyondFile"); return }
        #expect(what == "metadata count" && offset == 16)
    }

    @Test func stringLengthBeyondTheFile() throws {
        var builder = Self.valid
        builder.metadata.append(("general.name", GGUFBuilder.Value(type: 8, payload: GGUFBuilder.le(UInt64(1) << 62) + Array("x".utf8))))
        guard case let .lengthBeyondFile(_, what, length, _, _)? = error(builder) else { Issue.record("expected .lengthBeyondFile"); return }
        #expect(what == "the length of the value of 'general.name'" && length == 1 << 62)
    }

    @Test func keyLengthBeyondTheFile() throws {
        var bytes = Self.valid.bytes()
        bytes.replaceSubrange(24 ..< 32, with: GGUFBuilder.le(UInt64.max))
        guard case let .lengthBeyondFile(_, what, _, offset, _)? = error(bytes) else { Issue.record("expected .lengthBeyondFile"); return }
        #expect(what == "the length of the key of metadata entry 0" && offset == 24)
    }

    @Test func arrayLengthBeyondTheFile() throws {
        var builder = Self.valid
        builder.metadata.append(("tokenizer.ggml.tokens", .array(elementType: 8, count: 1 << 60, elements: [])))
        guard case let .lengthBeyondFile(_, what, _, _, _)? = error(builder) else { Issue.record("expected .lengthBeyondFile"); return }
        #expect(what == "the array 'tokenizer.ggml.tokens'")
    }

    @Test func unknownValueType() throws {
        var builder = Self.valid
        builder.metadata.append(("general.weird", GGUFBuilder.Value(type: 13, payload: [0, 0, 0, 0])))
        guard case let .unknownValueType(_, key, type, _)? = error(builder) else { Issue.record("expected .unknownValueType"); return }
        #expect(key == "general.weird" && type == 13)
    }

    @Test func unknownArrayElementType() throws {
        var builder = Self.valid
        builder.metadata.append(("general.weird", .array(elementType: 99, count: 1, elements: [0])))
        guard case let .unknownValueType(_, key, type, _)? = error(builder) else { Issue.record("expected .unknownValueType"); return }
        #expect(key == "general.weird" && type == 99)
    }

    @Test func nestedArraysAreReadButNotTooDeep() throws {
        var builder = Self.valid
        // [[7]]: an array of one array of one uint32.
        let inner = GGUFBuilder.le(UInt32(4)) + GGUFBuilder.le(UInt64(1)) + GGUFBuilder.le(UInt32(7))
        builder.metadata.append(("test.nested", .array(elementType: 9, count: 1, elements: inner)))
        let file = try GGUFFile(bytes: builder.bytes(), url: Self.url)
        #expect(file.metadata["test.nested"] == .array(elementType: .array, values: [.array(elementType: .uint32, values: [.uint32(7)])]))

        var deep = Self.valid
        var payload = GGUFBuilder.le(UInt32(4)) + GGUFBuilder.le(UInt64(0))
        for _ in 0 ..< 12 { payload = GGUFBuilder.le(UInt32(9)) + GGUFBuilder.le(UInt64(1)) + payload }
        deep.metadata.append(("test.deep", GGUFBuilder.Value(type: 9, payload: payload)))
        guard case let .arrayTooDeep(_, key, _)? = error(deep) else { Issue.record("expected .arrayTooDeep"); return }
        #expect(key == "test.deep")
    }

    @Test func invalidBoolAndAlignment() throws {
        var builder = Self.valid
        builder.metadata.append(("test.flag", .bool(2)))
        guard case let .invalidValue(_, key, _, _)? = error(builder) else { Issue.record("expected .invalidValue"); return }
        #expect(key == "test.flag")

        var aligned = Self.valid
        aligned.metadata.append(("general.alignment", .uint32(48)))
        #expect(error(aligned)?.description.contains("power of two") == true)
        aligned.metadata[aligned.metadata.count - 1].value = .int32(64)
        #expect(error(aligned)?.description.contains("must be uint32") == true)
    }

    @Test func aCustomAlignmentIsHonoured() throws {
        var builder = Self.valid
        builder.alignment = 64
        builder.metadata.append(("general.alignment", .uint32(64)))
        let file = try GGUFFile(bytes: builder.bytes(), url: Self.url)
        #expect(file.alignment == 64 && file.dataOffset % 64 == 0)
        #expect(try file.floats("b") == [0, 1, 2, 3])
    }

    @Test func unknownTensorType() throws {
        var builder = Self.valid
        builder.tensors[1].type = 4  // Q4_2, removed from ggml
        guard case let .unknownTensorType(_, tensor, type, _)? = error(builder) else { Issue.record("expected .unknownTensorType"); return }
        #expect(tensor == "b" && type == 4)
        builder.tensors[1].type = 200
        #expect(error(builder)?.description.contains("unknown ggml type 200") == true)
    }

    @Test func dimensionProductThatOverflows() throws {
        var builder = Self.valid
        builder.tensors[0].dimensions = [1 << 32, 1 << 32]
        guard case let .dimensionOverflow(_, tensor, dimensions, offset)? = error(builder) else { Issue.record("expected .dimensionOverflow"); return }
        #expect(tensor == "a" && dimensions == [1 << 32, 1 << 32] && offset > 0)
        // Elements fit but bytes do not: 2^61 F32 elements are 2^63 bytes.
        builder.tensors[0].dimensions = [1 << 61]
        #expect(error(builder)?.description.contains("overflows") == true)
        builder.tensors[0].dimensions = [UInt64.max]
        guard case .invalidDimension? = error(builder) else { Issue.record("expected .invalidDimension"); return }
    }

    @Test func tooManyDimensions() throws {
        var builder = Self.valid
        builder.tensors[0].dimensions = [1, 1, 1, 1, 6]
        guard case let .tooManyDimensions(_, tensor, count, _)? = error(builder) else { Issue.record("expected .tooManyDimensions"); return }
        #expect(tensor == "a" && count == 5)
        builder.tensors[0].dimensionCount = 1 << 30
        builder.tensors[0].dimensions = []
        guard case .tooManyDimensions? = error(builder) else { Issue.record("expected .tooManyDimensions"); return }
    }

    @Test func rowsMustBeWholeBlocks() throws {
        var builder = Self.valid
        builder.tensors[0] = GGUFBuilder.Tensor(name: "q", dimensions: [33, 1], type: 2, data: [UInt8](repeating: 0, count: 36))
        guard case let .rowNotWholeBlocks(_, tensor, type, rowLength, _)? = error(builder) else { Issue.record("expected .rowNotWholeBlocks"); return }
        #expect(tensor == "q" && type == .q4_0 && rowLength == 33)
    }

    @Test func misalignedOffset() throws {
        var builder = Self.valid
        builder.tensors[1].offset = 40
        guard case let .misalignedTensor(_, tensor, dataOffset, alignment, _)? = error(builder) else { Issue.record("expected .misalignedTensor"); return }
        #expect(tensor == "b" && dataOffset == 40 && alignment == 32)
    }

    @Test func offsetOutOfRange() throws {
        var builder = Self.valid
        builder.tensors[1].offset = 1 << 40
        guard case let .tensorBeyondFile(_, tensor, start, _, _)? = error(builder) else { Issue.record("expected .tensorBeyondFile"); return }
        #expect(tensor == "b" && start > 1 << 40)
        builder.tensors[1].offset = UInt64.max - 31
        guard case .tensorBeyondFile? = error(builder) else { Issue.record("expected .tensorBeyondFile for an offset near 2^64"); return }
    }

    @Test func overlappingTensors() throws {
        var builder = Self.valid
        builder.tensors[1].offset = 0
        guard case let .overlappingTensors(_, first, firstBytes, second, secondBytes)? = error(builder) else { Issue.record("expected .overlappingTensors"); return }
        #expect(Set([first, second]) == ["a", "b"] && firstBytes.overlaps(secondBytes))
    }

    @Test func duplicateTensorName() throws {
        var builder = Self.valid
        builder.tensors[1].name = "a"
        guard case let .duplicateTensor(_, tensor, offset, firstOffset)? = error(builder) else { Issue.record("expected .duplicateTensor"); return }
        #expect(tensor == "a" && offset > firstOffset)
    }

    @Test func duplicateMetadataKey() throws {
        var builder = Self.valid
        builder.metadata.append(("llama.block_count", .uint32(3)))
        guard case let .duplicateKey(_, key, offset, firstOffset)? = error(builder) else { Issue.record("expected .duplicateKey"); return }
        #expect(key == "llama.block_count" && offset > firstOffset)
        #expect(error(builder)?.description.contains("appears twice") == true)
    }

    @Test func keysAndTensorNamesMustBeUTF8() throws {
        var bytes = Self.valid.bytes()
        bytes[32] = 0xFF  // first byte of the first key, "general.architecture"
        guard case let .notUTF8(_, what, offset)? = error(bytes) else { Issue.record("expected .notUTF8"); return }
        #expect(what == "the key of metadata entry 0" && offset == 24)
    }

    @Test func typesThatCannotBeDequantizedAreNamedNotZeroed() throws {
        var builder = Self.valid
        builder.tensors.append(GGUFBuilder.Tensor(name: "iq", dimensions: [256, 1], type: 16, data: [UInt8](repeating: 0, count: 66)))
        builder.tensors.append(GGUFBuilder.Tensor(name: "mx", dimensions: [32, 1], type: 39, data: [UInt8](repeating: 0, count: 17)))
        let file = try GGUFFile(bytes: builder.bytes(), url: Self.url)
        #expect(file.descriptor("iq")?.isReadableAsFloat == false)
        #expect(throws: GGUFError.notDequantizable(file: Self.url, tensor: "iq", type: .iq2_XXS)) { try file.floats("iq") }
        #expect(throws: GGUFError.notDequantizable(file: Self.url, tensor: "mx", type: .mxfp4)) { try file.floats("mx") }
        #expect(throws: GGUFError.noSuchTensor(file: Self.url, tensor: "c")) { try file.floats("c") }
        let verdict = ModelSupport.verdict(for: file)
        #expect(!verdict.isRunnable && verdict.explanation.contains("IQ2_XXS") && verdict.explanation.contains("MXFP4"))
    }

    @Test func filesOnDiskReportCannotOpenAndEmpty() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = folder.url.appendingPathComponent("missing.gguf")
        do {
            _ = try GGUFFile(url: missing)
            Issue.record("a missing file opened")
        } catch let error as GGUFError {
            guard case .cannotOpen = error else { Issue.record("expected .cannotOpen, got \(error)"); return }
            #expect(error.description.contains("missing.gguf"))
        }
        let empty = try folder.write(Data(), to: "empty.gguf")
        #expect(throws: GGUFError.truncated(file: empty, what: "the 4-byte magic \"GGUF\"", offset: 0, needed: 4, fileByteCount: 0)) {
            try GGUFFile(url: empty)
        }
    }
}

/// A tiny deterministic generator (SplitMix64) so damage tests are the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
