import Foundation
import Testing

/// Bad input from the reliability audit (issue 16): each is a clear message and a non-zero
/// exit, quickly, never a crash, a hang, a huge allocation or a silently changed option.
@Suite struct BadInputTests {
    static let tiny = BrokenModelTests.tiny

    /// A copy of the tiny BERT fixture in a temporary folder, changed by `damage`.
    func modelCopy(_ damage: (URL) throws -> Void) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: Self.tiny.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        try damage(folder)
        return folder
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: file)
        return file
    }

    /// Runs the binary and checks the error: `status`, `Error: ` first, every `mentions`, no
    /// standard output, and no Foundation error text.
    @discardableResult
    func expectError(_ arguments: [String], status: Int32, mentions: [String], input: Data = Data(),
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> MaskscopeBinary.Run {
        let started = Date()
        let run = try MaskscopeBinary.run(arguments, input: input)
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.status == status, "\(arguments) exited \(run.status): \(run.standardError)", sourceLocation: sourceLocation)
        #expect(run.standardError.hasPrefix("Error: "), "\(run.standardError)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(run.standardError.contains(text), "\(arguments): '\(text)' not in: \(run.standardError)", sourceLocation: sourceLocation)
        }
        #expect(!run.standardError.contains("NSCocoaErrorDomain"), sourceLocation: sourceLocation)
        #expect(run.standardOutput.isEmpty, sourceLocation: sourceLocation)
        #expect(elapsed < 20, "\(arguments) took \(elapsed) s", sourceLocation: sourceLocation)
        return run
    }

    // MARK: 1. Sizes are checked against the model's limit before anything is allocated.

    @Test func aHugePadToIsRefusedBeforeAllocating() throws {
        try expectError(["tokens", "--model", "builtin", "--pad-to", "9223372036854775807", "hi"], status: 64,
                        mentions: ["pad-to 9223372036854775807", "at most 512"])
        try expectError(["attention", "--model", "builtin", "--pad-to", "1000000000", "hi"], status: 64,
                        mentions: ["pad-to 1000000000", "at most 512"])
    }

    @Test func aPadSideWithoutPadToOrOfAnUnknownSideIsAUsageError() throws {
        for command in ["tokens", "attention", "explore"] {
            try expectError([command, "--model", "builtin", "--pad-side", "left", "hi"], status: 64,
                            mentions: ["--pad-side left needs --pad-to N"])
        }
        try expectError(["tokens", "--model", "builtin", "--pad-to", "6", "--pad-side", "middle", "hi"], status: 64,
                        mentions: ["'middle'", "'right' and 'left'"])
    }

    @Test func aLessonsHugePadToIsAProblemNamingTheStep() throws {
        let lesson = try temporaryFile("pad.toml", """
            [[step]]
            caption = "padding"
            text = "the quick fox"
            pad_to = 1000000000
            """)
        let run = try MaskscopeBinary.run(["lesson", "--model", "builtin", "--check", lesson.path])
        #expect(run.status != 0)
        #expect((run.output + run.standardError).contains("pad-to 1000000000"), "\(run.output) \(run.standardError)")
    }

    @Test func aSessionsHugeOrNegativePadToIsRefused() throws {
        for (padTo, mention) in [("1000000000", "at most 512"), ("-3", "positive")] {
            let session = try temporaryFile("session.json", Self.session(padTo: padTo))
            try expectError(["--session", session.path], status: 1, mentions: [session.path, mention])
        }
    }

    // MARK: 2. Sizes from config.json are bounded by what the weights file can hold.

    @Test func aHugeLayerCountInConfigIsRefusedBeforeAllocating() throws {
        for (key, value) in [("num_hidden_layers", "1000000000"), ("intermediate_size", "1000000000000"),
                             ("max_position_embeddings", "4000000000000000000")] {
            let folder = try modelCopy { folder in try Self.setConfig(folder, key, value) }
            defer { try? FileManager.default.removeItem(at: folder) }
            try expectError(["tokens", "--model", folder.path, "hi"], status: 1, mentions: ["\(key) \(value)", "bytes"])
        }
    }

    // MARK: 3. Non-finite weights are named at load.

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func aNonFiniteWeightIsAnErrorNamingTheTensor(value: Float) throws {
        let folder = try modelCopy { folder in
            try Self.overwrite(folder, tensor: "bert.encoder.layer.1.attention.self.key.weight", with: value)
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in [["attention"], ["render"], ["explain", "--layer", "0", "--head", "0", "--query", "1"]] {
            try expectError(command + ["--model", folder.path, "the quick fox"], status: 1,
                            mentions: ["bert.encoder.layer.1.attention.self.key.weight", "\(value)"])
        }
    }

    /// Finite weights so large that activations overflow: an error, never an empty heatmap.
    @Test func overflowingActivationsAreAnErrorNotEmptyRows() throws {
        let folder = try modelCopy { folder in
            try Self.overwrite(folder, tensor: "bert.encoder.layer.0.attention.self.query.weight", with: 3e38, count: 64)
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in [["attention"], ["render"], ["explain", "--layer", "0", "--head", "0", "--query", "1"]] {
            try expectError(command + ["--model", folder.path, "the quick fox"], status: 1, mentions: ["not finite", "layer 0"])
        }
    }

    // MARK: 4. hf4 refuses values it cannot represent.

    @Test func hf4RefusesValuesThatOverflow() throws {
        try expectError(["attention", "--model", "builtin", "--semantics", "hf4", "--mask", "jumps=3", MaskscopeBinary.sentence],
                        status: 64, mentions: ["jumps", "hf4", "0 to 2"])
        let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "--semantics", "hf4", "--mask", "jumps=2",
                                           "--format", "json", MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(!run.output.contains("nan"))
    }

    // MARK: 5. Standard input that cannot be read.

    @Test func aClosedOrFolderStandardInputIsAClearError() throws {
        let binary = try MaskscopeBinary.locate().path
        for redirect in ["<&-", "< /tmp"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec '\(binary)' tokens --model builtin - \(redirect)"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "\(redirect): killed by signal \(process.terminationStatus)")
            #expect(process.terminationStatus == 1, "\(redirect): \(text)")
            #expect(text.hasPrefix("Error: ") && text.contains("standard input"), "\(redirect): \(text)")
        }
    }

    // MARK: 9. Messages that say what is really wrong.

    @Test func aDanglingConfigLinkIsNamedAsSuch() throws {
        let folder = try modelCopy { folder in
            let config = folder.appendingPathComponent("config.json")
            try FileManager.default.removeItem(at: config)
            try FileManager.default.createSymbolicLink(atPath: config.path, withDestinationPath: "/nonexistent/config.json")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectError(["tokens", "--model", folder.path, "hi"], status: 1, mentions: ["symbolic link", "/nonexistent/config.json"])
    }

    @Test func foldersWhereFilesBelongAreNamedAsSuch() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-bad-\(UUID().uuidString)")
        let theme = folder.appendingPathComponent("mytheme.toml")
        try FileManager.default.createDirectory(at: theme, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectError(["render", "--model", "builtin", "--theme", theme.path, "hi"], status: 1, mentions: ["folder"])
        let lesson = try MaskscopeBinary.run(["lesson", "--model", "builtin", "--check", folder.path])
        #expect(lesson.status == 1)
        #expect(lesson.output.contains("cannot read lesson file: it is a folder"), "\(lesson.output)")
        try expectError(["attention", "--model", "builtin", "--mask", "@" + folder.path, "hi"], status: 1, mentions: ["folder"])
        try expectError(["--session", folder.path], status: 1, mentions: ["folder"])
        let model = try modelCopy { model in
            let vocabulary = model.appendingPathComponent("vocab.txt")
            try FileManager.default.removeItem(at: vocabulary)
            try FileManager.default.createDirectory(at: vocabulary, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: model) }
        try expectError(["tokens", "--model", model.path, "hi"], status: 1, mentions: ["vocab.txt", "folder"])
        let weights = try modelCopy { model in
            let file = model.appendingPathComponent("model.safetensors")
            try FileManager.default.removeItem(at: file)
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: weights) }
        try expectError(["tokens", "--model", weights.path, "hi"], status: 1, mentions: ["model.safetensors", "folder"])
    }

    /// Every file a model folder may hold: a dangling link is named as one, never "missing".
    @Test(arguments: ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"])
    func danglingLinksInAModelFolderAreNamed(file: String) throws {
        let folder = try modelCopy { folder in
            let path = folder.appendingPathComponent(file).path
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/nonexistent/\(file)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectError(["tokens", "--model", folder.path, "hi"], status: 1, mentions: ["symbolic link", "/nonexistent/\(file)"])
    }

    // MARK: 10. Options are never ignored or changed without a word.

    @Test func optionsThatWouldBeIgnoredAreErrors() throws {
        try expectError(["tokens", "--model", "builtin", "--pad-to", "2", MaskscopeBinary.sentence], status: 64,
                        mentions: ["pad-to 2", "12 tokens"])
        try expectError(["attention", "--model", "builtin", "--mask", "quick=0,", MaskscopeBinary.sentence], status: 64,
                        mentions: ["empty part", "after the last comma"])
        try expectError(["attention", "--model", "builtin", "--mask", "quick=0,,lazy=0", MaskscopeBinary.sentence], status: 64,
                        mentions: ["empty part", "between two commas"])
        try expectError(["attention", "--model", "builtin", "--mask", "quick=0x10", MaskscopeBinary.sentence], status: 64,
                        mentions: ["'0x10' is not a number"])
    }

    @Test func aSessionsMissingLayerIsRefusedNotClamped() throws {
        let session = try temporaryFile("session.json", Self.session(padTo: "null", layer: 999))
        try expectError(["--session", session.path], status: 1, mentions: [session.path, "layer 999"])
    }

    /// An existing session sets the whole state: other options would be ignored, so they are refused.
    @Test func optionsASessionWouldIgnoreAreRefused() throws {
        let session = try temporaryFile("session.json", Self.session(padTo: "null"))
        try expectError(["--session", session.path, "--mask", "quick=0", "--layer", "1"], status: 64,
                        mentions: ["--mask, --layer would be ignored", "only --model"])
    }

    /// A session on the built-in model, with `pad_to` and `layer` as given.
    static func session(padTo: String, layer: Int = 0) -> String {
        """
        {"version": 1, "text": "the quick fox", "pad_to": \(padTo), "model": "builtin", "mask": [1, 1, 1, 1, 1],
         "semantics": "hf", "layer": \(layer), "head": 0, "mean_of_heads": false, "dense": false, "theme": "viridis",
         "selected_key": 1, "selected_query": 1}
        """
    }

    static func setConfig(_ folder: URL, _ key: String, _ value: String) throws {
        let file = folder.appendingPathComponent("config.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        object[key] = NSNumber(value: Int64(value)!)
        try JSONSerialization.data(withJSONObject: object).write(to: file)
    }

    /// Overwrites the first `count` elements of an F32 tensor in the folder's model.safetensors.
    static func overwrite(_ folder: URL, tensor: String, with value: Float, count: Int = 1) throws {
        let file = folder.appendingPathComponent("model.safetensors")
        var data = try Data(contentsOf: file)
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        let entry = try #require(header[tensor] as? [String: Any], "no tensor \(tensor)")
        #expect(entry["dtype"] as? String == "F32")
        let begin = try #require((entry["data_offsets"] as? [Int])?.first)
        for element in 0..<count {
            let offset = 8 + headerLength + begin + element * 4
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.replaceSubrange(offset..<(offset + 4), with: $0) }
        }
        try data.write(to: file)
    }
}
