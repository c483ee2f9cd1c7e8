import Foundation

/// The parsed and fully validated JSON header of a safetensors file.
struct SafeTensorsHeader {
    /// Tensors by name.
    var tensors: [String: TensorInfo]
    /// The optional `__metadata__` object's string values (e.g. `"format": "pt"`).
    var metadata: [String: String]

    /// Validates everything the header says against the file before any tensor is read:
    /// UTF-8, JSON object, known dtypes, non-negative shapes, in-range and non-overlapping
    /// offsets whose lengths match `product(shape) × dtype size`.
    ///
    /// - Parameter file: the whole file's bytes, at least 8 long.
    init(file: UnsafeRawBufferPointer, url: URL) throws {
        let fileByteCount = file.count
        let declared = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard declared <= UInt64(fileByteCount - 8) else {
            throw SafeTensorsError.headerBeyondFile(file: url, headerByteCount: declared, fileByteCount: fileByteCount)
        }
        let dataStart = 8 + Int(declared)
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[8..<dataStart])
        guard String(bytes: headerBytes, encoding: .utf8) != nil else {
            throw SafeTensorsError.headerNotUTF8(file: url, headerEnd: dataStart)
        }

        let headerData = Data(headerBytes)
        let root: HeaderJSON
        do {
            root = try JSONDecoder().decode(HeaderJSON.self, from: headerData)
        } catch {
            throw SafeTensorsError.headerNotJSON(file: url, detail: jsonErrorDetail(error, data: headerData))
        }
        guard case .object(let entries) = root else {
            throw SafeTensorsError.headerNotObject(file: url)
        }
        if let duplicate = Self.duplicateTopLevelKey(headerBytes) {
            throw SafeTensorsError.duplicateTensor(file: url, tensor: duplicate)
        }

        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for name in entries.keys.sorted() {
            guard let entry = entries[name] else { continue }
            if name == "__metadata__" {
                guard case .object(let values) = entry else {
                    throw SafeTensorsError.malformedEntry(file: url, tensor: name, problem: "must be an object of strings")
                }
                for (key, value) in values {
                    if case .string(let text) = value { metadata[key] = text }
                }
                continue
            }
            tensors[name] = try Self.tensorInfo(
                name: name, entry: entry, dataStart: dataStart, fileByteCount: fileByteCount, url: url)
        }
        try Self.checkNoOverlap(Array(tensors.values), url: url)
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func tensorInfo(
        name: String, entry: HeaderJSON, dataStart: Int, fileByteCount: Int, url: URL
    ) throws -> TensorInfo {
        guard case .object(let fields) = entry else {
            throw SafeTensorsError.malformedEntry(file: url, tensor: name, problem: "is not an object with dtype, shape and data_offsets")
        }
        guard case .string(let dtypeName)? = fields["dtype"] else {
            throw SafeTensorsError.malformedEntry(file: url, tensor: name, problem: fields["dtype"] == nil ? "has no dtype" : "has a dtype that is not a string")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw SafeTensorsError.unknownDType(file: url, tensor: name, dtype: dtypeName)
        }
        guard let shape = fields["shape"]?.integers else {
            throw SafeTensorsError.malformedEntry(file: url, tensor: name, problem: fields["shape"] == nil ? "has no shape" : "has a shape that is not a list of integers")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw SafeTensorsError.invalidShape(file: url, tensor: name, shape: shape)
        }
        guard let offsets = fields["data_offsets"]?.integers, offsets.count == 2 else {
            throw SafeTensorsError.malformedEntry(file: url, tensor: name, problem: fields["data_offsets"] == nil ? "has no data_offsets" : "has data_offsets that are not two integers [begin, end]")
        }
        let begin = offsets[0], end = offsets[1]
        guard begin >= 0, begin <= end else {
            throw SafeTensorsError.invalidOffsets(file: url, tensor: name, begin: begin, end: end)
        }
        let endByte = dataStart.addingReportingOverflow(end)
        guard !endByte.overflow, endByte.partialValue <= fileByteCount else {
            throw SafeTensorsError.tensorBeyondFile(
                file: url, tensor: name, endByte: endByte.overflow ? Int.max : endByte.partialValue, fileByteCount: fileByteCount)
        }

        var bits = dtype.bitsPerElement
        for dimension in shape {
            let product = bits.multipliedReportingOverflow(by: dimension)
            guard !product.overflow else { throw SafeTensorsError.sizeOverflow(file: url, tensor: name, shape: shape) }
            bits = product.partialValue
        }
        guard bits % 8 == 0 else {
            throw SafeTensorsError.partialByte(file: url, tensor: name, dtype: dtype, shape: shape)
        }
        guard bits / 8 == end - begin else {
            throw SafeTensorsError.byteCountMismatch(
                file: url, tensor: name, dtype: dtype, shape: shape, expectedByteCount: bits / 8, actualByteCount: end - begin)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: (dataStart + begin)..<endByte.partialValue)
    }

    /// The first top-level key of a JSON object that occurs twice, or nil. `JSONDecoder` keeps
    /// one of them silently, so the raw text is walked: only called on text that decoded as a
    /// JSON object. Keys with escapes are decoded before comparing (`"a"` equals `"\u0061"`).
    static func duplicateTopLevelKey(_ json: UnsafeRawBufferPointer) -> String? {
        var index = 0
        let count = json.count
        func skipSpace() { while index < count, [0x20, 0x09, 0x0A, 0x0D].contains(json[index]) { index += 1 } }
        /// Moves past a string starting at `index` (a quote); returns its raw contents' range.
        func skipString() -> Range<Int> {
            let start = index + 1
            index += 1
            while index < count, json[index] != 0x22 { index += json[index] == 0x5C ? 2 : 1 }
            let range = start..<min(index, count)
            index += 1
            return range
        }
        /// Moves past one value: a string, an object or array (nesting tracked), or a scalar.
        func skipValue() {
            var depth = 0
            while index < count {
                switch json[index] {
                case 0x22: _ = skipString(); if depth == 0 { return }; continue
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    if depth == 0 { return }
                    depth -= 1
                    if depth == 0 { index += 1; return }
                case 0x2C: if depth == 0 { return }
                default: break
                }
                index += 1
            }
        }
        skipSpace()
        guard index < count, json[index] == 0x7B else { return nil }
        index += 1
        var seen = Set<String>()
        while index < count {
            skipSpace()
            guard index < count, json[index] == 0x22 else { return nil }
            let raw = skipString()
            let rawBytes = UnsafeRawBufferPointer(rebasing: json[raw])
            var key = String(decoding: rawBytes, as: UTF8.self)
            if rawBytes.contains(0x5C) {
                guard let decoded = try? JSONDecoder().decode([String].self, from: Data("[\"\(key)\"]".utf8)).first else { return nil }
                key = decoded
            }
            if !seen.insert(key).inserted { return key }
            skipSpace()
            guard index < count, json[index] == 0x3A else { return nil }
            index += 1
            skipSpace()
            skipValue()
            skipSpace()
            guard index < count, json[index] == 0x2C else { return nil }
            index += 1
        }
        return nil
    }

    /// Empty tensors own no bytes and so overlap nothing.
    private static func checkNoOverlap(_ tensors: [TensorInfo], url: URL) throws {
        let byStart = tensors.filter { !$0.byteRange.isEmpty }
            .sorted { ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name) }
        var furthest: TensorInfo?
        for tensor in byStart {
            if let previous = furthest, tensor.byteRange.lowerBound < previous.byteRange.upperBound {
                throw SafeTensorsError.overlappingTensors(
                    file: url, first: previous.name, firstBytes: previous.byteRange,
                    second: tensor.name, secondBytes: tensor.byteRange)
            }
            if tensor.byteRange.upperBound > (furthest?.byteRange.upperBound ?? 0) { furthest = tensor }
        }
    }
}

/// Any JSON value, so the header can be validated field by field with messages naming the tensor.
private indirect enum HeaderJSON: Decodable {
    case null, bool(Bool), integer(Int), number(Double), string(String)
    case array([HeaderJSON]), object([String: HeaderJSON])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([HeaderJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: HeaderJSON].self)) }
    }

    /// The value as a list of integers, or nil if it is anything else.
    var integers: [Int]? {
        guard case .array(let items) = self else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .integer(let value) = item else { return nil }
            result.append(value)
        }
        return result
    }
}
