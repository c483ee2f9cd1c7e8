import Foundation

/// Builds `.safetensors` bytes in memory so tests can write well-formed and broken files.
enum SafeTensorsBuilder {
    /// 8-byte little-endian header length (the real one unless `declaredHeaderLength` lies),
    /// the header text, then the data section.
    static func bytes(header: String, data: [UInt8] = [], declaredHeaderLength: UInt64? = nil) -> Data {
        let headerBytes = Array(header.utf8)
        var length = (declaredHeaderLength ?? UInt64(headerBytes.count)).littleEndian
        var result = Data(bytes: &length, count: 8)
        result.append(contentsOf: headerBytes)
        result.append(contentsOf: data)
        return result
    }

    /// A header of arbitrary bytes (e.g. invalid UTF-8) with its true length and no data.
    static func bytes(rawHeader: [UInt8]) -> Data {
        var length = UInt64(rawHeader.count).littleEndian
        var result = Data(bytes: &length, count: 8)
        result.append(contentsOf: rawHeader)
        return result
    }

    /// A valid F32 file holding `tensors` back to back, in the given order.
    static func f32File(_ tensors: [(name: String, shape: [Int], values: [Float])]) -> Data {
        var entries: [String] = []
        var data: [UInt8] = []
        for tensor in tensors {
            let begin = data.count
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            entries.append("\"\(tensor.name)\":{\"dtype\":\"F32\",\"shape\":\(tensor.shape),\"data_offsets\":[\(begin),\(data.count)]}")
        }
        return bytes(header: "{" + entries.joined(separator: ",") + "}", data: data)
    }
}

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("maskscope-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `data` to `name` inside the folder and returns its URL.
    func write(_ data: Data, to name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    func write(_ text: String, to name: String) throws -> URL {
        try write(Data(text.utf8), to: name)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
