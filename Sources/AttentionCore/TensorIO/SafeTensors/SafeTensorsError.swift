import Foundation

/// Why a `.safetensors` file could not be opened or read.
///
/// Every message starts with the file's name and, where it applies, names the tensor and the
/// byte positions involved (counted from the start of the file, with thousands separators),
/// so the user can tell a truncated download from a file written by a buggy exporter.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist, is not a regular file, or the system refused to open or map it.
    case cannotOpen(file: URL, reason: String)
    /// Shorter than the 8-byte little-endian header length every safetensors file starts with.
    case tooShort(file: URL, byteCount: Int)
    /// The header length in the first 8 bytes runs past the end of the file.
    case headerBeyondFile(file: URL, headerByteCount: UInt64, fileByteCount: Int)
    /// The JSON header's bytes are not valid UTF-8.
    case headerNotUTF8(file: URL, headerEnd: Int)
    /// The header is UTF-8 but not JSON; `detail` is the JSON parser's explanation.
    case headerNotJSON(file: URL, detail: String)
    /// The header is JSON but not an object mapping tensor names to descriptions.
    case headerNotObject(file: URL)
    /// The header names a tensor twice. Readers disagree on which entry wins (Python's and
    /// Rust's take the last), so the file has no single meaning.
    case duplicateTensor(file: URL, tensor: String)
    /// A tensor's entry lacks `dtype`, `shape` or `data_offsets`, or one of them has the wrong JSON type.
    case malformedEntry(file: URL, tensor: String, problem: String)
    /// A tensor names an element type that is not in the safetensors spec.
    case unknownDType(file: URL, tensor: String, dtype: String)
    /// A shape entry that is negative.
    case invalidShape(file: URL, tensor: String, shape: [Int])
    /// `data_offsets` whose begin is after its end, or negative.
    case invalidOffsets(file: URL, tensor: String, begin: Int, end: Int)
    /// A tensor whose bytes would run past the end of the file.
    case tensorBeyondFile(file: URL, tensor: String, endByte: Int, fileByteCount: Int)
    /// `product(shape) × dtype size` does not fit in memory arithmetic.
    case sizeOverflow(file: URL, tensor: String, shape: [Int])
    /// The byte range's length differs from `product(shape) × dtype size`.
    case byteCountMismatch(file: URL, tensor: String, dtype: SafeTensorsDType, shape: [Int], expectedByteCount: Int, actualByteCount: Int)
    /// A packed sub-byte tensor (`F4`, `F6_*`) that does not fill a whole number of bytes.
    case partialByte(file: URL, tensor: String, dtype: SafeTensorsDType, shape: [Int])
    /// Two tensors claim some of the same bytes; ranges are absolute file positions.
    case overlappingTensors(file: URL, first: String, firstBytes: Range<Int>, second: String, secondBytes: Range<Int>)
    /// A tensor was asked for by name but the header has no such entry.
    case noSuchTensor(file: URL, tensor: String)
    /// A tensor was asked for as `Float` but its element type cannot be converted.
    case notFloatingPoint(file: URL, tensor: String, dtype: SafeTensorsDType)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "\(file.path): cannot open as a safetensors file: \(reason)"
        case let .tooShort(file, byteCount):
            return "\(file.lastPathComponent): the file has \(thousandsSeparated(byteCount)) bytes, but a safetensors file starts with an 8-byte header length; it is truncated or not a safetensors file"
        case let .headerBeyondFile(file, headerByteCount, fileByteCount):
            let headerEnd = headerByteCount.addingReportingOverflow(8)
            let end = headerEnd.overflow ? "past 2^64" : thousandsSeparated(headerEnd.partialValue)
            return "\(file.lastPathComponent): the header claims \(thousandsSeparated(headerByteCount)) bytes (ending at byte \(end)) but the file has \(thousandsSeparated(fileByteCount)); it is truncated or not a safetensors file"
        case let .headerNotUTF8(file, headerEnd):
            return "\(file.lastPathComponent): the header (bytes 8 to \(thousandsSeparated(headerEnd))) is not valid UTF-8 text; it is not a safetensors file"
        case let .headerNotJSON(file, detail):
            return "\(file.lastPathComponent): the header is not valid JSON: \(detail)"
        case let .headerNotObject(file):
            return "\(file.lastPathComponent): the header is JSON but not an object mapping tensor names to {dtype, shape, data_offsets}"
        case let .duplicateTensor(file, tensor):
            return "\(file.lastPathComponent): the header names tensor '\(tensor)' more than once; readers disagree on which entry wins (Python and Rust take the last), so the weights are ambiguous; re-save the model with one entry per name"
        case let .malformedEntry(file, tensor, problem):
            return "\(file.lastPathComponent): tensor '\(tensor)' \(problem)"
        case let .unknownDType(file, tensor, dtype):
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file.lastPathComponent): tensor '\(tensor)' has unknown dtype '\(dtype)'; the safetensors format knows \(known)"
        case let .invalidShape(file, tensor, shape):
            return "\(file.lastPathComponent): tensor '\(tensor)' has shape \(shape), but dimensions cannot be negative"
        case let .invalidOffsets(file, tensor, begin, end):
            return "\(file.lastPathComponent): tensor '\(tensor)' has data_offsets [\(thousandsSeparated(begin)), \(thousandsSeparated(end))]; offsets must be non-negative with begin <= end"
        case let .tensorBeyondFile(file, tensor, endByte, fileByteCount):
            return "\(file.lastPathComponent): tensor '\(tensor)' ends at byte \(thousandsSeparated(endByte)) but the file has \(thousandsSeparated(fileByteCount)); the file is truncated or its header is wrong"
        case let .sizeOverflow(file, tensor, shape):
            return "\(file.lastPathComponent): tensor '\(tensor)' has shape \(shape), whose size in bytes overflows a 64-bit integer"
        case let .byteCountMismatch(file, tensor, dtype, shape, expected, actual):
            return "\(file.lastPathComponent): tensor '\(tensor)' is \(dtype.rawValue) \(shape), which takes \(thousandsSeparated(expected)) bytes, but its data_offsets span \(thousandsSeparated(actual))"
        case let .partialByte(file, tensor, dtype, shape):
            return "\(file.lastPathComponent): tensor '\(tensor)' is \(dtype.rawValue) \(shape), which does not fill a whole number of bytes"
        case let .overlappingTensors(file, first, firstBytes, second, secondBytes):
            return "\(file.lastPathComponent): tensors '\(first)' (bytes \(thousandsSeparated(firstBytes.lowerBound)) to \(thousandsSeparated(firstBytes.upperBound))) and '\(second)' (bytes \(thousandsSeparated(secondBytes.lowerBound)) to \(thousandsSeparated(secondBytes.upperBound))) overlap"
        case let .noSuchTensor(file, tensor):
            return "\(file.lastPathComponent): no tensor named '\(tensor)'"
        case let .notFloatingPoint(file, tensor, dtype):
            return "\(file.lastPathComponent): tensor '\(tensor)' is \(dtype.rawValue); only F32, F16, BF16 and F64 tensors can be read as Float"
        }
    }
}
