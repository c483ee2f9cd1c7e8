import Foundation

/// Why a `.gguf` file could not be opened or read.
///
/// Every message starts with the file's name and gives the byte offset (from the start of the
/// file, with thousands separators) where the fault was found, and names the metadata key or
/// tensor involved, so a truncated download can be told from a file written by a buggy tool.
public enum GGUFError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist, is not a regular file, or could not be mapped.
    case cannotOpen(file: URL, reason: String)
    /// The file ends before `what`, which starts at `offset` and needs `needed` bytes.
    case truncated(file: URL, what: String, offset: Int, needed: Int, fileByteCount: Int)
    /// The first four bytes are not `GGUF`.
    case badMagic(file: URL, found: [UInt8])
    /// A version other than 2 or 3; `bigEndian` when the byte-swapped version is 2 or 3.
    case unsupportedVersion(file: URL, version: UInt32, bigEndian: Bool)
    /// The tensor or metadata count claims more entries than the rest of the file could hold.
    case countBeyondFile(file: URL, what: String, count: UInt64, offset: Int, maximum: Int)
    /// A string or array length runs past the end of the file.
    case lengthBeyondFile(file: URL, what: String, length: UInt64, offset: Int, fileByteCount: Int)
    /// A key, tensor name or string value is not valid UTF-8.
    case notUTF8(file: URL, what: String, offset: Int)
    /// A metadata value type tag outside 0…12.
    case unknownValueType(file: URL, key: String, type: UInt32, offset: Int)
    /// Arrays nested deeper than `GGUFHeader.maximumArrayDepth`.
    case arrayTooDeep(file: URL, key: String, offset: Int)
    /// A metadata key that appears twice.
    case duplicateKey(file: URL, key: String, offset: Int, firstOffset: Int)
    /// A metadata value the reader relies on (e.g. `general.alignment`) with an unusable type or value.
    case invalidValue(file: URL, key: String, problem: String, offset: Int)
    /// A tensor name that appears twice.
    case duplicateTensor(file: URL, tensor: String, offset: Int, firstOffset: Int)
    /// More than ggml's 4 dimensions.
    case tooManyDimensions(file: URL, tensor: String, count: UInt32, offset: Int)
    /// A dimension above `Int64.max` (ggml stores them as signed).
    case invalidDimension(file: URL, tensor: String, dimension: UInt64, offset: Int)
    /// The product of the dimensions, or the byte size, does not fit in 64 bits.
    case dimensionOverflow(file: URL, tensor: String, dimensions: [UInt64], offset: Int)
    /// A tensor type id that is not a ggml type.
    case unknownTensorType(file: URL, tensor: String, type: UInt32, offset: Int)
    /// A row (`ne[0]` elements) that is not a whole number of the type's blocks.
    case rowNotWholeBlocks(file: URL, tensor: String, type: GGMLType, rowLength: Int, offset: Int)
    /// A data offset that is not a multiple of `general.alignment`.
    case misalignedTensor(file: URL, tensor: String, dataOffset: UInt64, alignment: Int, offset: Int)
    /// A tensor whose bytes run past the end of the file.
    case tensorBeyondFile(file: URL, tensor: String, start: UInt64, end: UInt64, fileByteCount: Int)
    /// Two tensors claim some of the same bytes; ranges are absolute file positions.
    case overlappingTensors(file: URL, first: String, firstBytes: Range<Int>, second: String, secondBytes: Range<Int>)
    /// A tensor was asked for by name but the file has none of that name.
    case noSuchTensor(file: URL, tensor: String)
    /// A tensor of a type Maskscope cannot turn into `Float` (IQ*, TQ*, MXFP4, integers, …).
    case notDequantizable(file: URL, tensor: String, type: GGMLType)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "\(file.path): cannot open as a GGUF file: \(reason)"
        case let .truncated(file, what, offset, needed, fileByteCount):
            return "\(file.lastPathComponent): the file ends at byte \(thousandsSeparated(fileByteCount)), inside \(what) (\(thousandsSeparated(needed)) bytes at byte \(thousandsSeparated(offset))); it is truncated or not a GGUF file"
        case let .badMagic(file, found):
            let shown = found.map { (32..<127).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
            return "\(file.lastPathComponent): not a GGUF file: it starts with \"\(shown)\", not \"GGUF\""
        case let .unsupportedVersion(file, version, bigEndian):
            if bigEndian {
                return "\(file.lastPathComponent): a big-endian GGUF file; only little-endian files (what llama.cpp and Ollama write) are read"
            }
            if version == 1 {
                return "\(file.lastPathComponent): GGUF version 1 (from 2023) is not supported; convert the model again with a current llama.cpp (versions 2 and 3 are read)"
            }
            return "\(file.lastPathComponent): unknown GGUF version \(version) at byte 4; versions 2 and 3 are read"
        case let .countBeyondFile(file, what, count, offset, maximum):
            return "\(file.lastPathComponent): the \(what) at byte \(thousandsSeparated(offset)) is \(thousandsSeparated(count)), but the rest of the file can hold at most \(thousandsSeparated(maximum)); the file is corrupt"
        case let .lengthBeyondFile(file, what, length, offset, fileByteCount):
            return "\(file.lastPathComponent): \(what) at byte \(thousandsSeparated(offset)) claims length \(thousandsSeparated(length)), which runs past the end of the file (\(thousandsSeparated(fileByteCount)) bytes); the file is truncated or corrupt"
        case let .notUTF8(file, what, offset):
            return "\(file.lastPathComponent): \(what) at byte \(thousandsSeparated(offset)) is not valid UTF-8"
        case let .unknownValueType(file, key, type, offset):
            return "\(file.lastPathComponent): metadata '\(key)' has unknown value type \(type) at byte \(thousandsSeparated(offset)); GGUF value types are 0 to 12"
        case let .arrayTooDeep(file, key, offset):
            return "\(file.lastPathComponent): metadata '\(key)' nests arrays more than \(GGUFHeader.maximumArrayDepth) deep (at byte \(thousandsSeparated(offset)))"
        case let .duplicateKey(file, key, offset, firstOffset):
            return "\(file.lastPathComponent): metadata key '\(key)' appears twice (at bytes \(thousandsSeparated(firstOffset)) and \(thousandsSeparated(offset))); the file is corrupt"
        case let .invalidValue(file, key, problem, offset):
            return "\(file.lastPathComponent): metadata '\(key)' (byte \(thousandsSeparated(offset))) \(problem)"
        case let .duplicateTensor(file, tensor, offset, firstOffset):
            return "\(file.lastPathComponent): tensor '\(tensor)' is described twice (at bytes \(thousandsSeparated(firstOffset)) and \(thousandsSeparated(offset))); the file is corrupt"
        case let .tooManyDimensions(file, tensor, count, offset):
            return "\(file.lastPathComponent): tensor '\(tensor)' (byte \(thousandsSeparated(offset))) has \(count) dimensions; ggml tensors have 1 to 4"
        case let .invalidDimension(file, tensor, dimension, offset):
            return "\(file.lastPathComponent): tensor '\(tensor)' (byte \(thousandsSeparated(offset))) has dimension \(thousandsSeparated(dimension)), above ggml's limit of 2^63 - 1"
        case let .dimensionOverflow(file, tensor, dimensions, offset):
            return "\(file.lastPathComponent): tensor '\(tensor)' (byte \(thousandsSeparated(offset))) has dimensions \(dimensions), whose element or byte count overflows a 64-bit integer"
        case let .unknownTensorType(file, tensor, type, offset):
            return "\(file.lastPathComponent): tensor '\(tensor)' (byte \(thousandsSeparated(offset))) has unknown ggml type \(type); the file may come from a newer llama.cpp"
        case let .rowNotWholeBlocks(file, tensor, type, rowLength, offset):
            return "\(file.lastPathComponent): tensor '\(tensor)' (byte \(thousandsSeparated(offset))) is \(type.name) with rows of \(thousandsSeparated(rowLength)) elements, not a multiple of the \(type.blockSize)-element block"
        case let .misalignedTensor(file, tensor, dataOffset, alignment, offset):
            return "\(file.lastPathComponent): tensor '\(tensor)' (byte \(thousandsSeparated(offset))) has data offset \(thousandsSeparated(dataOffset)), not a multiple of the alignment \(alignment)"
        case let .tensorBeyondFile(file, tensor, start, end, fileByteCount):
            return "\(file.lastPathComponent): tensor '\(tensor)' occupies bytes \(thousandsSeparated(start)) to \(thousandsSeparated(end)) but the file has \(thousandsSeparated(fileByteCount)); the file is truncated or its header is wrong"
        case let .overlappingTensors(file, first, firstBytes, second, secondBytes):
            return "\(file.lastPathComponent): tensors '\(first)' (bytes \(thousandsSeparated(firstBytes.lowerBound)) to \(thousandsSeparated(firstBytes.upperBound))) and '\(second)' (bytes \(thousandsSeparated(secondBytes.lowerBound)) to \(thousandsSeparated(secondBytes.upperBound))) overlap"
        case let .noSuchTensor(file, tensor):
            return "\(file.lastPathComponent): no tensor named '\(tensor)'"
        case let .notDequantizable(file, tensor, type):
            let known = GGMLType.dequantizable.map(\.name).joined(separator: ", ")
            return "\(file.lastPathComponent): tensor '\(tensor)' is \(type.name), which Maskscope cannot dequantize yet (it reads \(known))"
        }
    }
}
