import Foundation

/// Builds GGUF bytes in memory so tests can write well-formed and broken files field by field.
///
/// The defaults make a valid v3 file; each property can be set to something a broken or
/// hostile writer might produce (wrong counts, unknown type ids, offsets anywhere).
struct GGUFBuilder {
    /// A metadata value as raw bytes after its type tag, so tests can write any type id.
    struct Value {
        var type: UInt32
        var payload: [UInt8]

        static func uint32(_ value: UInt32) -> Value { Value(type: 4, payload: GGUFBuilder.le(value)) }
        static func int32(_ value: Int32) -> Value { Value(type: 5, payload: GGUFBuilder.le(UInt32(bitPattern: value))) }
        static func float32(_ value: Float) -> Value { Value(type: 6, payload: GGUFBuilder.le(value.bitPattern)) }
        static func bool(_ raw: UInt8) -> Value { Value(type: 7, payload: [raw]) }
        static func string(_ text: String) -> Value { Value(type: 8, payload: GGUFBuilder.string(text)) }
        static func strings(_ texts: [String]) -> Value {
            Value(type: 9, payload: GGUFBuilder.le(UInt32(8)) + GGUFBuilder.le(UInt64(texts.count)) + texts.flatMap(GGUFBuilder.string))
        }
        /// An array of `count` elements of `elementType` whose bytes are `elements`.
        static func array(elementType: UInt32, count: UInt64, elements: [UInt8]) -> Value {
            Value(type: 9, payload: GGUFBuilder.le(elementType) + GGUFBuilder.le(count) + elements)
        }
    }

    struct Tensor {
        var name: String
        /// ggml `ne[]`, innermost first.
        var dimensions: [UInt64]
        var type: UInt32
        /// Offset into the data section; nil places it after the previous tensor, aligned.
        var offset: UInt64?
        var data: [UInt8]
        /// Overrides the dimension count written before `dimensions`.
        var dimensionCount: UInt32?
    }

    var magic = Array("GGUF".utf8)
    var version: UInt32 = 3
    var metadata: [(key: String, value: Value)] = [("general.architecture", .string("llama"))]
    var tensors: [Tensor] = []
    var alignment = 32
    var tensorCount: UInt64?
    var metadataCount: UInt64?

    /// One F32 tensor `[rows, columns]` (ne = [columns, rows]) with values 0, 1, 2, …
    static func f32Tensor(_ name: String, rows: Int, columns: Int, offset: UInt64? = nil) -> Tensor {
        let data = (0 ..< rows * columns).flatMap { le(Float($0).bitPattern) }
        return Tensor(name: name, dimensions: [UInt64(columns), UInt64(rows)], type: 0, offset: offset, data: data)
    }

    func bytes() -> [UInt8] {
        var out = magic + Self.le(version)
        out += Self.le(tensorCount ?? UInt64(tensors.count))
        out += Self.le(metadataCount ?? UInt64(metadata.count))
        for (key, value) in metadata {
            out += Self.string(key) + Self.le(value.type) + value.payload
        }
        var offsets: [UInt64] = []
        var next: UInt64 = 0
        for tensor in tensors {
            let offset = tensor.offset ?? next
            offsets.append(offset)
            next = Self.align(offset &+ UInt64(tensor.data.count), alignment)
        }
        for (tensor, offset) in zip(tensors, offsets) {
            out += Self.string(tensor.name) + Self.le(tensor.dimensionCount ?? UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { out += Self.le(dimension) }
            out += Self.le(tensor.type) + Self.le(offset)
        }
        let dataStart = Int(Self.align(UInt64(out.count), alignment))
        out += [UInt8](repeating: 0, count: dataStart - out.count)
        for (tensor, offset) in zip(tensors, offsets) {
            guard offset < 1 << 24 else { continue }  // far-away offsets stay unwritten: the test wants them beyond the file
            let start = dataStart + Int(offset)
            if out.count < start + tensor.data.count { out += [UInt8](repeating: 0, count: start + tensor.data.count - out.count) }
            out.replaceSubrange(start ..< start + tensor.data.count, with: tensor.data)
        }
        return out
    }

    static func align(_ value: UInt64, _ alignment: Int) -> UInt64 {
        (value &+ UInt64(alignment) &- 1) / UInt64(alignment) &* UInt64(alignment)
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func string(_ text: String) -> [UInt8] {
        le(UInt64(text.utf8.count)) + Array(text.utf8)
    }
}
