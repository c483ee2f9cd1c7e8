import Foundation

/// Reading the files byte-level BPE tokenizers ship, with errors that name the file and line.
enum BPEFileReading {
    /// Files larger than this are refused before reading (a tokenizer.json of a 256k vocabulary
    /// is about 20 MB).
    static let maximumFileSize = 512 << 20

    /// The file's bytes, checked to be UTF-8 (the line of the first bad byte is reported).
    static func readUTF8(_ url: URL) throws -> Data {
        let name = url.lastPathComponent
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size > maximumFileSize {
            throw TokenizerError.unreadableFile(file: url.path, reason: "it is \(size) bytes, more than a tokenizer file can be (\(maximumFileSize))")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(file: url.path, reason: error.localizedDescription)
        }
        if String(validating: data, as: UTF8.self) == nil {
            throw TokenizerError.notUTF8(file: name, line: firstInvalidLine(data))
        }
        return data
    }

    /// The 1-based line holding the first byte that breaks UTF-8.
    static func firstInvalidLine(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var line = 1
        var lineStart = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            if String(validating: bytes[lineStart..<index], as: UTF8.self) == nil { return line }
            line += 1
            lineStart = index + 1
        }
        return line
    }

    /// A `vocab.json` / `model.vocab` object as token → id, ids checked.
    static func vocabulary(_ value: Any?, file: String, field: String) throws -> [String: Int] {
        guard let object = value as? [String: Any] else {
            throw TokenizerError.badJSON(file: file, reason: "\(field) is missing or not an object of token: id")
        }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(object.count)
        for (token, raw) in object {
            guard let id = TokenizerJSON.integer(raw), id >= 0 else {
                throw TokenizerError.badVocabularyID(file: file, token: token, id: TokenizerJSON.integer(raw) ?? -1)
            }
            vocabulary[token] = id
        }
        return vocabulary
    }

    /// Merges written "left right", 1-based positions kept for errors.
    static func merges(fromLines lines: [(text: Substring, line: Int)], file: String) throws -> [(left: String, right: String, line: Int)] {
        try lines.map { entry in
            let parts = entry.text.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError.badMerge(file: file, line: entry.line, text: String(entry.text))
            }
            return (String(parts[0]), String(parts[1]), entry.line)
        }
    }

    /// `model.merges` of a tokenizer.json: strings "a b" (older files) or pairs ["a", "b"].
    static func merges(json value: Any?, file: String) throws -> [(left: String, right: String, line: Int)] {
        guard let list = value as? [Any] else {
            if value == nil || value is NSNull { throw TokenizerError.missingMerges(file: file) }
            throw TokenizerError.badJSON(file: file, reason: "model.merges is not a list")
        }
        var merges: [(left: String, right: String, line: Int)] = []
        merges.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            if let text = item as? String {
                merges += try Self.merges(fromLines: [(text[...], index + 1)], file: file)
            } else if let pair = item as? [String], pair.count == 2 {
                merges.append((pair[0], pair[1], index + 1))
            } else {
                throw TokenizerError.badMerge(file: file, line: index + 1, text: "\(item)")
            }
        }
        return merges
    }

    /// A special token written in tokenizer_config.json as a string or `{"content": …}`.
    static func tokenString(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        if let object = value as? [String: Any] { return object["content"] as? String }
        return nil
    }
}
