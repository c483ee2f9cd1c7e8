import Foundation

/// The parsed and validated front of a GGUF file: version, metadata and tensor descriptions.
///
/// Layout (little-endian): `"GGUF"`, u32 version, u64 tensor count, u64 metadata count, the
/// metadata (key string, u32 type, value), the tensor descriptions (name, u32 dimension count,
/// u64 `ne[]`, u32 ggml type, u64 offset into the data section), padding to `general.alignment`,
/// then the data section. Every count and length is checked against the bytes left before
/// anything is allocated for it, so a corrupt header cannot ask for terabytes.
struct GGUFHeader {
    static let maximumArrayDepth = 8
    static let defaultAlignment = 32
    /// ggml's `GGML_MAX_DIMS`.
    static let maximumDimensions: UInt32 = 4

    let version: UInt32
    /// Entries in file order.
    let metadata: [(key: String, value: GGUFValue)]
    /// Tensors in header order.
    let tensors: [GGUFTensorInfo]
    let alignment: Int
    /// Absolute position of the data section.
    let dataOffset: Int

    init(bytes: UnsafeRawBufferPointer, url: URL) throws {
        var reader = GGUFByteReader(bytes: bytes, url: url)
        try reader.require(4, for: "the 4-byte magic \"GGUF\"")
        let magic = Array(UnsafeRawBufferPointer(rebasing: bytes[0..<4]))
        guard magic == Array("GGUF".utf8) else { throw GGUFError.badMagic(file: url, found: magic) }
        try reader.skip(4, for: "the magic")
        version = try reader.read(UInt32.self, for: "the version")
        guard version == 2 || version == 3 else {
            let swapped = version.byteSwapped
            throw GGUFError.unsupportedVersion(file: url, version: version, bigEndian: swapped == 2 || swapped == 3)
        }
        let tensorCountOffset = reader.offset
        let tensorCount = try reader.read(UInt64.self, for: "the tensor count")
        let metadataCountOffset = reader.offset
        let metadataCount = try reader.read(UInt64.self, for: "the metadata count")

        // Smallest possible entries: key length + type + one byte; name length + dims + type + offset.
        let maximumMetadata = reader.remaining / (8 + 4 + 1)
        guard metadataCount <= UInt64(maximumMetadata) else {
            throw GGUFError.countBeyondFile(file: url, what: "metadata count", count: metadataCount, offset: metadataCountOffset, maximum: maximumMetadata)
        }
        var entries: [(key: String, value: GGUFValue)] = []
        entries.reserveCapacity(Int(metadataCount))
        var keyOffsets: [String: Int] = [:]
        var alignmentEntry: (value: GGUFValue, offset: Int)?
        for index in 0..<Int(metadataCount) {
            let entryOffset = reader.offset
            let key = try reader.strictString(for: "the key of metadata entry \(index)")
            if let first = keyOffsets[key] {
                throw GGUFError.duplicateKey(file: url, key: key, offset: entryOffset, firstOffset: first)
            }
            keyOffsets[key] = entryOffset
            let typeOffset = reader.offset
            let rawType = try reader.read(UInt32.self, for: "the value type of '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.unknownValueType(file: url, key: key, type: rawType, offset: typeOffset)
            }
            let value = try Self.readValue(type, key: key, reader: &reader, depth: 0)
            if key == "general.alignment" { alignmentEntry = (value, entryOffset) }
            entries.append((key, value))
        }
        metadata = entries

        var alignment = Self.defaultAlignment
        if let (value, offset) = alignmentEntry {
            guard case .uint32(let raw) = value else {
                throw GGUFError.invalidValue(file: url, key: "general.alignment", problem: "is \(value.type.name); it must be uint32", offset: offset)
            }
            guard raw > 0, raw & (raw - 1) == 0 else {
                throw GGUFError.invalidValue(file: url, key: "general.alignment", problem: "is \(raw); it must be a power of two", offset: offset)
            }
            alignment = Int(raw)
        }
        self.alignment = alignment

        let maximumTensors = reader.remaining / (8 + 4 + 4 + 8)
        guard tensorCount <= UInt64(maximumTensors) else {
            throw GGUFError.countBeyondFile(file: url, what: "tensor count", count: tensorCount, offset: tensorCountOffset, maximum: maximumTensors)
        }
        struct Pending { let name: String; let dimensions: [Int]; let type: GGMLType; let dataOffset: UInt64; let byteCount: Int; let headerOffset: Int }
        var pending: [Pending] = []
        pending.reserveCapacity(Int(tensorCount))
        var nameOffsets: [String: Int] = [:]
        for index in 0..<Int(tensorCount) {
            let infoOffset = reader.offset
            let name = try reader.strictString(for: "the name of tensor \(index)")
            if let first = nameOffsets[name] {
                throw GGUFError.duplicateTensor(file: url, tensor: name, offset: infoOffset, firstOffset: first)
            }
            nameOffsets[name] = infoOffset
            let dimensionCount = try reader.read(UInt32.self, for: "the dimension count of tensor '\(name)'")
            guard (1...Self.maximumDimensions).contains(dimensionCount) else {
                throw GGUFError.tooManyDimensions(file: url, tensor: name, count: dimensionCount, offset: infoOffset)
            }
            var rawDimensions: [UInt64] = []
            for _ in 0..<dimensionCount {
                rawDimensions.append(try reader.read(UInt64.self, for: "the dimensions of tensor '\(name)'"))
            }
            var dimensions: [Int] = []
            var elements = 1
            for raw in rawDimensions {
                guard let dimension = Int(exactly: raw), dimension <= Int(Int64.max) else {
                    throw GGUFError.invalidDimension(file: url, tensor: name, dimension: raw, offset: infoOffset)
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw GGUFError.dimensionOverflow(file: url, tensor: name, dimensions: rawDimensions, offset: infoOffset) }
                elements = product
                dimensions.append(dimension)
            }
            let typeOffset = reader.offset
            let rawType = try reader.read(UInt32.self, for: "the type of tensor '\(name)'")
            guard let type = GGMLType(rawValue: rawType) else {
                throw GGUFError.unknownTensorType(file: url, tensor: name, type: rawType, offset: typeOffset)
            }
            guard dimensions[0] % type.blockSize == 0 else {
                throw GGUFError.rowNotWholeBlocks(file: url, tensor: name, type: type, rowLength: dimensions[0], offset: infoOffset)
            }
            let (byteCount, byteOverflow) = (elements / type.blockSize).multipliedReportingOverflow(by: type.blockByteCount)
            guard !byteOverflow else { throw GGUFError.dimensionOverflow(file: url, tensor: name, dimensions: rawDimensions, offset: infoOffset) }
            let dataOffset = try reader.read(UInt64.self, for: "the data offset of tensor '\(name)'")
            pending.append(Pending(name: name, dimensions: dimensions, type: type, dataOffset: dataOffset, byteCount: byteCount, headerOffset: infoOffset))
        }

        // The data section starts at the next multiple of the alignment after the header.
        let (paddedEnd, _) = reader.offset.addingReportingOverflow(alignment - 1)
        let dataOffset = paddedEnd / alignment * alignment
        self.dataOffset = dataOffset
        let fileByteCount = bytes.count
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(pending.count)
        for tensor in pending {
            guard tensor.dataOffset % UInt64(alignment) == 0 else {
                throw GGUFError.misalignedTensor(file: url, tensor: tensor.name, dataOffset: tensor.dataOffset, alignment: alignment, offset: tensor.headerOffset)
            }
            let start = UInt64(dataOffset).addingReportingOverflow(tensor.dataOffset)
            let end = start.partialValue.addingReportingOverflow(UInt64(tensor.byteCount))
            guard !start.overflow, !end.overflow, end.partialValue <= UInt64(fileByteCount) else {
                throw GGUFError.tensorBeyondFile(
                    file: url, tensor: tensor.name, start: start.overflow ? UInt64.max : start.partialValue,
                    end: start.overflow || end.overflow ? UInt64.max : end.partialValue, fileByteCount: fileByteCount)
            }
            tensors.append(GGUFTensorInfo(
                name: tensor.name, dimensions: tensor.dimensions, type: tensor.type,
                byteRange: Int(start.partialValue) ..< Int(end.partialValue), headerOffset: tensor.headerOffset))
        }
        let byPosition = tensors.filter { !$0.byteRange.isEmpty }.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        for (first, second) in zip(byPosition, byPosition.dropFirst()) where first.byteRange.overlaps(second.byteRange) {
            throw GGUFError.overlappingTensors(file: url, first: first.name, firstBytes: first.byteRange, second: second.name, secondBytes: second.byteRange)
        }
        self.tensors = tensors
    }

    /// Reads one value of `type`; arrays check `count × smallest element` against the bytes
    /// left before reserving anything.
    private static func readValue(_ type: GGUFValueType, key: String, reader: inout GGUFByteReader, depth: Int) throws -> GGUFValue {
        let what = "the value of '\(key)'"
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, for: what))
        case .int8: return .int8(try reader.read(Int8.self, for: what))
        case .uint16: return .uint16(try reader.read(UInt16.self, for: what))
        case .int16: return .int16(try reader.read(Int16.self, for: what))
        case .uint32: return .uint32(try reader.read(UInt32.self, for: what))
        case .int32: return .int32(try reader.read(Int32.self, for: what))
        case .uint64: return .uint64(try reader.read(UInt64.self, for: what))
        case .int64: return .int64(try reader.read(Int64.self, for: what))
        case .float32: return .float32(Float(bitPattern: try reader.read(UInt32.self, for: what)))
        case .float64: return .float64(Double(bitPattern: try reader.read(UInt64.self, for: what)))
        case .bool:
            let offset = reader.offset
            let raw = try reader.read(UInt8.self, for: what)
            guard raw <= 1 else {
                throw GGUFError.invalidValue(file: reader.url, key: key, problem: "is a bool stored as \(raw); GGUF bools are 0 or 1", offset: offset)
            }
            return .bool(raw == 1)
        case .string: return .string(try reader.lenientString(for: what))
        case .array:
            let typeOffset = reader.offset
            guard depth < maximumArrayDepth else { throw GGUFError.arrayTooDeep(file: reader.url, key: key, offset: typeOffset) }
            let rawElementType = try reader.read(UInt32.self, for: "the element type of '\(key)'")
            guard let elementType = GGUFValueType(rawValue: rawElementType) else {
                throw GGUFError.unknownValueType(file: reader.url, key: key, type: rawElementType, offset: typeOffset)
            }
            let countOffset = reader.offset
            let count = try reader.read(UInt64.self, for: "the length of '\(key)'")
            let smallest = elementType.fixedByteCount ?? (elementType == .string ? 8 : 12)
            guard count <= UInt64(reader.remaining / smallest) else {
                throw GGUFError.lengthBeyondFile(file: reader.url, what: "the array '\(key)'", length: count, offset: countOffset, fileByteCount: reader.bytes.count)
            }
            var values: [GGUFValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                values.append(try readValue(elementType, key: key, reader: &reader, depth: depth + 1))
            }
            return .array(elementType: elementType, values: values)
        }
    }
}
