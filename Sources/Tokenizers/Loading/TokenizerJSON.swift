import Foundation

/// The JSON reading every tokenizer file loader shares (tokenizer.json, vocab.json,
/// tokenizer_config.json), with errors that name the file.
enum TokenizerJSON {
    /// The file's top-level object, read by `JSONReader`; `JSONSerialization` only reads what
    /// that refuses, for its error message (or for what it alone accepts, such as a byte-order mark).
    /// - Throws: `TokenizerError.badJSON` when the text is not JSON or its top level is not an object.
    static func object(_ data: Data, file: String) throws -> [String: Any] {
        if let object = JSONReader.parse(data) as? [String: Any] { return object }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerError.badJSON(file: file, reason: "is not valid JSON (\(error.localizedDescription))")
        }
        guard let object = parsed as? [String: Any] else {
            throw TokenizerError.badJSON(file: file, reason: "top level is not a JSON object")
        }
        return object
    }

    /// A JSON number that is a whole number within ±10¹⁵ (ids, counts, type ids); nil otherwise.
    static func integer(_ value: Any?) -> Int? {
        if let int = value as? Int { return int }
        if let double = value as? Double, double.rounded() == double, abs(double) < 1e15 { return Int(double) }
        return nil
    }
}
