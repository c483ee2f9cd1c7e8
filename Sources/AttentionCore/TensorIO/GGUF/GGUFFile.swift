import Foundation

/// A GGUF v2/v3 model file (llama.cpp, Ollama, LM Studio), memory-mapped, with its whole header
/// validated when opened.
///
/// Opening reads only the header: tensor bytes stay on disk until a tensor is read. Everything
/// the header claims is checked at `init` (magic, version, counts and lengths against the file
/// size, value types, dimensions and their products, tensor types, row sizes in whole blocks,
/// aligned offsets inside the data section, no overlaps, no duplicate keys or names), so reading
/// a tensor afterwards cannot index outside the bytes.
///
/// `floats(_:)` dequantizes a whole tensor; `dequantizeRows(_:rows:into:)` and
/// `withBlocks(_:_:)` are the seams for keeping weights quantized and dequantizing tile by tile
/// inside a matrix multiply (ARCHITECTURE.md, "Quantized weights").
public final class GGUFFile: Sendable {
    public let url: URL
    /// 2 or 3.
    public let version: UInt32
    public let metadata: GGUFMetadata
    /// Tensors in header order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, 32 by default.
    public let alignment: Int
    /// Absolute position of the data section.
    public let dataOffset: Int
    private let index: [String: Int]
    private let storage: GGUFStorage

    /// Maps and validates the file at `url`.
    ///
    /// - Throws: `GGUFError`, naming the file, the key or tensor, and the byte offset at fault.
    public convenience init(url: URL) throws {
        let mapping: MappedFile
        do {
            mapping = try MappedFile(url: url, minimumByteCount: 4)
        } catch SafeTensorsError.tooShort(_, let byteCount) {
            throw GGUFError.truncated(file: url, what: "the 4-byte magic \"GGUF\"", offset: 0, needed: 4, fileByteCount: byteCount)
        } catch SafeTensorsError.cannotOpen(_, let reason) {
            throw GGUFError.cannotOpen(file: url, reason: reason)
        }
        try self.init(storage: GGUFStorage(mapping: mapping), url: url)
    }

    /// Parses GGUF bytes held in memory (copied), named `url` in error messages: the entry point
    /// for fuzzing and for tests that build files byte by byte.
    ///
    /// - Throws: `GGUFError`, exactly as `init(url:)` would for the same bytes on disk.
    public convenience init(bytes: [UInt8], url: URL = URL(fileURLWithPath: "memory.gguf")) throws {
        try self.init(storage: GGUFStorage(copying: bytes), url: url)
    }

    private init(storage: GGUFStorage, url: URL) throws {
        let header = try GGUFHeader(bytes: storage.bytes, url: url)
        self.url = url
        self.storage = storage
        self.version = header.version
        self.metadata = GGUFMetadata(entries: header.metadata)
        self.tensors = header.tensors
        self.alignment = header.alignment
        self.dataOffset = header.dataOffset
        var index: [String: Int] = [:]
        for (position, tensor) in header.tensors.enumerated() { index[tensor.name] = position }
        self.index = index
    }

    /// Size of the file in bytes.
    public var byteCount: Int { storage.bytes.count }

    /// The tensor's description, or nil if the file has no tensor of that name.
    public func info(_ name: String) -> GGUFTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The tensor's elements as `Float`, row-major in `shape` order (ggml's `ne[0]` fastest),
    /// bit-identical to gguf-py's `gguf.quants.dequantize`.
    ///
    /// - Throws: `GGUFError.noSuchTensor`, or `.notDequantizable` for IQ*, TQ*, MXFP4, integer
    ///   and other types Maskscope does not read.
    public func floats(_ name: String) throws -> [Float] {
        let tensor = try readableTensor(name)
        let count = tensor.elementCount
        let bytes = UnsafeRawBufferPointer(rebasing: storage.bytes[tensor.byteRange])
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            Self.dequantizeInParallel(tensor.type, blocks: bytes, into: buffer)
            initialized = count
        }
    }

    /// Large tensors are split into runs of whole blocks dequantized on all cores; each run
    /// is computed exactly as a single pass would be, so the result does not depend on the split.
    private static func dequantizeInParallel(_ type: GGMLType, blocks: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        let blockCount = blocks.count / type.blockByteCount
        let chunkCount = min(ProcessInfo.processInfo.activeProcessorCount * 4, output.count / (1 << 18))
        guard chunkCount > 1 else {
            GGMLDequantizer.dequantize(type, blocks: blocks, into: output)
            return
        }
        // Each iteration writes a disjoint run of `output`; the bytes are only read.
        nonisolated(unsafe) let source = blocks
        nonisolated(unsafe) let target = output
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let share = WorkShare.range(chunk, of: chunkCount, count: blockCount)
            let first = share.lowerBound, last = share.upperBound
            GGMLDequantizer.dequantize(
                type,
                blocks: UnsafeRawBufferPointer(rebasing: source[first * type.blockByteCount ..< last * type.blockByteCount]),
                into: UnsafeMutableBufferPointer(rebasing: target[first * type.blockSize ..< last * type.blockSize]))
        }
    }

    /// Dequantizes rows `rows` (each `ne[0]` elements) of the tensor into `output`, which must
    /// hold `rows.count × ne[0]` floats: what a matrix multiply that keeps weights quantized
    /// would call for each tile of a weight.
    ///
    /// - Throws: as `floats(_:)`; `GGUFError.noSuchTensor`… and a precondition failure when
    ///   `rows` or `output` do not fit (a programming error, not a file error).
    public func dequantizeRows(_ name: String, rows: Range<Int>, into output: UnsafeMutableBufferPointer<Float>) throws {
        let tensor = try readableTensor(name)
        precondition(rows.lowerBound >= 0 && rows.upperBound <= tensor.rowCount && output.count == rows.count * tensor.rowLength)
        let start = tensor.byteRange.lowerBound + rows.lowerBound * tensor.rowByteCount
        let bytes = UnsafeRawBufferPointer(rebasing: storage.bytes[start ..< start + rows.count * tensor.rowByteCount])
        GGMLDequantizer.dequantize(tensor.type, blocks: bytes, into: output)
    }

    /// Calls `body` with the tensor's raw bytes (whole blocks, rows of `rowByteCount`) for code
    /// that works on quantized blocks directly. The bytes are valid only inside `body`.
    public func withBlocks<R>(_ name: String, _ body: (GGUFTensorInfo, UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard let tensor = info(name) else { throw GGUFError.noSuchTensor(file: url, tensor: name) }
        return try body(tensor, UnsafeRawBufferPointer(rebasing: storage.bytes[tensor.byteRange]))
    }

    private func readableTensor(_ name: String) throws -> GGUFTensorInfo {
        guard let tensor = info(name) else { throw GGUFError.noSuchTensor(file: url, tensor: name) }
        guard tensor.type.isDequantizable else { throw GGUFError.notDequantizable(file: url, tensor: name, type: tensor.type) }
        return tensor
    }
}

extension GGUFFile: TensorSource {
    public var sourceURL: URL { url }
    public var formatName: String { "GGUF v\(version)" }
    public var tensorNames: [String] { tensors.map(\.name) }

    public func descriptor(_ name: String) -> TensorDescriptor? {
        guard let tensor = info(name) else { return nil }
        return TensorDescriptor(
            name: tensor.name, shape: tensor.shape, typeName: tensor.type.name,
            byteCount: tensor.byteRange.count, isQuantized: tensor.type.isQuantized,
            isReadableAsFloat: tensor.type.isDequantizable)
    }
}

/// The file's bytes: a read-only mapping, or a private copy for in-memory parsing.
private final class GGUFStorage: @unchecked Sendable {
    /// Never written after `init`, so sharing across threads is safe.
    let bytes: UnsafeRawBufferPointer
    private let mapping: MappedFile?
    private let owned: UnsafeMutableRawBufferPointer?

    init(mapping: MappedFile) {
        self.mapping = mapping
        self.owned = nil
        self.bytes = mapping.bytes
    }

    init(copying source: [UInt8]) {
        let owned = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 64)
        source.withUnsafeBytes { owned.copyMemory(from: $0) }
        self.owned = owned
        self.mapping = nil
        self.bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(owned)[0..<source.count])
    }

    deinit { owned?.deallocate() }
}
