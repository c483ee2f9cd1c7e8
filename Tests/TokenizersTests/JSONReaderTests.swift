import Foundation
import Testing
@testable import Tokenizers

/// `JSONReader` must read every file exactly as `JSONSerialization` does, and refuse (so that
/// `JSONSerialization` gives the error) whatever is not strict JSON.
@Suite struct JSONReaderTests {
    /// Both readers' values in one comparable form: numbers as Double, `NSNull` as a marker.
    /// Linux's `JSONSerialization` drops a raw U+FEFF that starts a string (see
    /// `keepsAByteOrderMarkInsideAString`), so leading ones are dropped here from both sides.
    static func normalized(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\($0.debugDescription):\(normalized(object[$0] ?? NSNull()))" }.joined(separator: ",") + "}"
        case let array as [Any]:
            return "[" + array.map(normalized).joined(separator: ",") + "]"
        case let string as String:
            return String(string.unicodeScalars.drop { $0 == "\u{FEFF}" }).debugDescription
        case is NSNull:
            return "null"
        case let number as NSNumber where "\(type(of: number))".contains("Boolean"):
            return number.boolValue ? "true" : "false"
        case let number as NSNumber where !(value is Bool) && !(value is Int) && !(value is Double):
            return "\(number.doubleValue)"
        case let bool as Bool where type(of: value) == Bool.self:
            return bool ? "true" : "false"
        case let int as Int:
            return "\(Double(int))"
        case let double as Double:
            return "\(double)"
        default:
            return "?\(type(of: value))"
        }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Every JSON file the tokenizer fixtures hold (vocabularies of BERT, GPT-2, Llama, Qwen2, …).
    static func fixtureFiles() -> [URL] {
        let walker = FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "json", url.path.contains("token") || url.path.contains("vocab") { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test func readsEveryFixtureAsJSONSerializationDoes() throws {
        let files = Self.fixtureFiles()
        #expect(files.count >= 10)
        for file in files {
            let data = try Data(contentsOf: file)
            let reference = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            let fast = try #require(JSONReader.parse(data), "\(file.lastPathComponent) was refused")
            #expect(Self.normalized(fast) == Self.normalized(reference), "\(file.path)")
        }
    }

    @Test(arguments: [
        #"{"a": [1, -2, 3.5, -0.25e2, 1E3, true, false, null, "x"], "b": {}, "c": []}"#,
        #"  {"\u00e9\ud83d\ude00\n\t\"\\\/": "caf\u00e9 ##s \u0000"}  "#,
        #"["Ġ", "ĠĠ", "▁the", "日本", ""]"#,
        #"{"dup": 1, "dup": 2}"#,
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e308", "0",
    ])
    func agreesOnEdgeCases(text: String) throws {
        let data = Data(text.utf8)
        let reference = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let fast = try #require(JSONReader.parse(data))
        #expect(Self.normalized(fast) == Self.normalized(reference))
    }

    @Test(arguments: [
        "", "{", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", #"{"a" 1}"#, "[1 2]",
        #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00x""#, "\"a\u{1}b\"", "1e999", "{} {}", "[", "\"abc",
    ])
    func refusesWhatIsNotStrictJSON(text: String) {
        #expect(JSONReader.parse(Data(text.utf8)) == nil)
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(JSONReader.parse(Data([0x22, 0xFF, 0x22])) == nil)
        #expect(JSONReader.parse(Data([0x22, 0xC3, 0x22])) == nil)
        let deep = String(repeating: "[", count: JSONReader.maximumDepth + 1) + String(repeating: "]", count: JSONReader.maximumDepth + 1)
        #expect(JSONReader.parse(Data(deep.utf8)) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONReader.parse(Data(fine.utf8)) != nil)
    }

    /// A raw U+FEFF opening a string is text, as Python's `json` and `tokenizers` read it
    /// (Linux's `JSONSerialization` drops it); `cases.json` has one in a test sentence.
    @Test func keepsAByteOrderMarkInsideAString() throws {
        let strings = try #require(JSONReader.parse(Data("[\"\u{FEFF}ab\", \"\\ufeffcd\"]".utf8)) as? [String])
        #expect(strings.map { $0.unicodeScalars.first?.value } == [0xFEFF, 0xFEFF])
    }

    /// What the fast reader refuses still gets `JSONSerialization`'s error, naming the file.
    @Test func errorsStillNameTheFile() {
        #expect(throws: TokenizerError.self) { try TokenizerJSON.object(Data("{\"a\":}".utf8), file: "tokenizer.json") }
        do {
            _ = try TokenizerJSON.object(Data("[1]".utf8), file: "vocab.json")
        } catch {
            #expect("\(error)".contains("vocab.json"))
        }
    }
}
