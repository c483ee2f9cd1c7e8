import Foundation
import Tokenizers

/// Reads a JSON settings file (config.json) into a `Decodable`, turning every failure into a
/// `ModelLoadError` that names the file, the key and, for broken JSON, the line and column.
enum ConfigFile {
    /// - Parameter userInfo: handed to the decoder (e.g. `BertConfig.acceptedModelTypes`).
    static func decode<T: Decodable>(_ type: T.Type, from url: URL, userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws -> T {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw ModelLoadError.configMissing(file: url)
        }
        guard !isFolder.boolValue else {
            throw ModelLoadError.configUnreadable(file: url, reason: "it is a folder, not a file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelLoadError.configUnreadable(file: url, reason: FileReadProblem.reason(for: url, error: error))
        }
        return try decode(type, data: data, file: url, userInfo: userInfo)
    }

    /// Decodes settings already read from `file` (named in errors).
    static func decode<T: Decodable>(_ type: T.Type, data: Data, file: URL,
                                      userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws -> T {
        do {
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw modelLoadError(error, file: file, data: data)
        }
    }

    private static func modelLoadError(_ error: DecodingError, file: URL, data: Data) -> ModelLoadError {
        switch error {
        case .keyNotFound(let key, let context):
            return .configKeyMissing(file: file, key: codingPathText(context.codingPath + [key]))
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let key = codingPathText(context.codingPath)
            if key.isEmpty {
                return .configNotJSON(file: file, detail: "the top level should be an object of settings, {\"hidden_size\": ..., ...}")
            }
            return .configKeyWrongType(file: file, key: key, expected: jsonTypeName(type))
        case .dataCorrupted(let context):
            let key = codingPathText(context.codingPath)
            if key.isEmpty {
                return .configNotJSON(file: file, detail: jsonErrorDetail(error, data: data))
            }
            return .configInvalidValue(file: file, key: key, problem: context.debugDescription)
        @unknown default:
            return .configNotJSON(file: file, detail: String(describing: error))
        }
    }
}
