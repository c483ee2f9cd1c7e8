import Foundation
import Testing
@testable import AttentionCore

/// The tokenizer of a BERT-family load runs beside the weights (`BackgroundLoad`): its value
/// and its error arrive as a sequential load would give them, however often they are asked for.
@Suite struct BackgroundLoadTests {
    struct Broken: Error, Equatable { let reason: String }

    @Test func givesTheValueToEveryCaller() throws {
        let load = BackgroundLoad { (1...1000).reduce(0, +) }
        #expect(try load.value() == 500_500)
        #expect(try load.value() == 500_500)
    }

    @Test func rethrowsTheErrorToEveryCaller() {
        let load = BackgroundLoad { () throws -> Int in throw Broken(reason: "vocab.txt is empty") }
        #expect(throws: Broken(reason: "vocab.txt is empty")) { try load.value() }
        #expect(throws: Broken(reason: "vocab.txt is empty")) { try load.value() }
    }

    /// A folder whose weights and tokenizer are both missing names the weights, as it did when
    /// the tokenizer was read after them.
    @Test func aBERTFolderReportsItsWeightsBeforeItsTokenizer() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-background-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Fixtures.url("tiny-bert/config.json"), to: folder.appendingPathComponent("config.json"))
        do {
            _ = try BertModel.load(folder: folder, name: "broken")
            Issue.record("a folder without weights loaded")
        } catch {
            #expect("\(error)".contains("safetensors"), "\(error)")
            #expect(!"\(error)".contains("vocab"), "\(error)")
        }
    }
}
