import Foundation

/// Runs the built `maskscope` executable the way a user would, capturing its output.
///
/// `swift test` builds every product before the tests, and puts the executable in the same
/// products folder as the test bundle (`.build/debug/` or a `--scratch-path`'s), so it is
/// found next to the test binary; `MASKSCOPE_BINARY` overrides the search.
enum MaskscopeBinary {
    struct Run {
        let status: Int32
        let standardOutput: Data
        let standardError: String

        var output: String { String(decoding: standardOutput, as: UTF8.self) }

        /// Standard output parsed as a JSON object, or nil if it is not one.
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: standardOutput)) as? [String: Any]
        }
    }

    struct LookupError: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "maskscope executable not found; looked at: \(searched.joined(separator: ", ")). Build it (swift build) or set MASKSCOPE_BINARY."
        }
    }

    static let sentence = "The quick brown fox jumps over the lazy dog."

    /// Candidate products folders, most specific first.
    static func candidates() -> [URL] {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["MASKSCOPE_BINARY"] {
            return [URL(fileURLWithPath: override)]
        }
        // Linux: the test binary itself (MaskscopePackageTests.xctest) sits in the products folder.
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        // macOS: the .xctest bundle sits in the products folder.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders.append(packageRoot.appendingPathComponent(".build/debug"))
        return folders.map { $0.appendingPathComponent("maskscope") }
    }

    static func locate() throws -> URL {
        let candidates = candidates()
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw LookupError(searched: candidates.map(\.path))
    }

    /// Runs `maskscope arguments…` with `input` on standard input. Output goes through
    /// temporary files so large outputs cannot fill a pipe and stall the child.
    static func run(_ arguments: [String], input: Data = Data(), environment: [String: String] = [:]) throws -> Run {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("maskscope-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputURL = folder.appendingPathComponent("stdin")
        let outputURL = folder.appendingPathComponent("stdout")
        let errorURL = folder.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = try locate()
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment.removeValue(forKey: "MASKSCOPE_MODEL")
        processEnvironment.merge(environment) { _, new in new }
        process.environment = processEnvironment
        let inputHandle = try FileHandle(forReadingFrom: inputURL)
        let outputHandle = try FileHandle(forWritingTo: outputURL)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        defer { try? inputHandle.close(); try? outputHandle.close(); try? errorHandle.close() }
        process.standardInput = inputHandle
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   standardOutput: try Data(contentsOf: outputURL),
                   standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}

/// Reading nested JSON arrays of numbers in tests.
enum JSONArrays {
    static func numbers(_ value: Any?) -> [Double]? {
        (value as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue }
    }

    /// `[layer][head][query][key]` as doubles, or nil if the shape is not four nested arrays.
    static func attention(_ value: Any?) -> [[[[Double]]]]? {
        guard let layers = value as? [Any] else { return nil }
        var result: [[[[Double]]]] = []
        for layer in layers {
            guard let heads = layer as? [Any] else { return nil }
            var headMaps: [[[Double]]] = []
            for head in heads {
                guard let rows = head as? [Any] else { return nil }
                var matrix: [[Double]] = []
                for row in rows {
                    guard let numbers = numbers(row), numbers.count == (row as? [Any])?.count else { return nil }
                    matrix.append(numbers)
                }
                headMaps.append(matrix)
            }
            result.append(headMaps)
        }
        return result
    }
}
