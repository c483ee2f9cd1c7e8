import Foundation

/// A model name as Ollama spells it: `NAME[:TAG]`, `USER/NAME[:TAG]` or `HOST/USER/NAME[:TAG]`
/// (e.g. `smollm2`, `smollm2:135m`, `hf.co/bartowski/Foo-GGUF:Q4_K_M`).
public struct OllamaModelName: Equatable, Sendable, CustomStringConvertible {
    public static let defaultHost = "registry.ollama.ai"
    public static let defaultNamespace = "library"
    public static let defaultTag = "latest"

    public let host: String
    public let namespace: String
    public let model: String
    public let tag: String

    /// Parses the part after `ollama:`; nil when empty or when a component is empty, `.`/`..`,
    /// or holds characters that could leave the manifest folder.
    public init?(_ text: String) {
        var rest = text.trimmingWhitespace
        var tag = Self.defaultTag
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { return nil }
        for part in parts + [tag] {
            guard !part.isEmpty, part != ".", part != "..",
                  part.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else { return nil }
        }
        self.host = parts.count == 3 ? parts[0] : Self.defaultHost
        self.namespace = parts.count >= 2 ? parts[parts.count - 2] : Self.defaultNamespace
        self.model = parts[parts.count - 1]
        self.tag = tag
    }

    /// The manifest's path below `manifests/`.
    var manifestPath: String { "\(host)/\(namespace)/\(model)/\(tag)" }

    /// The short form Ollama prints: `smollm2:latest`, `user/model:tag`, `hf.co/user/model:tag`.
    public var description: String {
        if host != Self.defaultHost { return "\(host)/\(namespace)/\(model):\(tag)" }
        if namespace != Self.defaultNamespace { return "\(namespace)/\(model):\(tag)" }
        return "\(model):\(tag)"
    }
}

/// Ollama's local model store, read directly (no Ollama process needed).
///
/// Layout: `manifests/<host>/<namespace>/<model>/<tag>` is a JSON manifest whose `layers` list
/// blobs by `mediaType` and `digest`; the weights are the layer of media type
/// `application/vnd.ollama.image.model`, stored as `blobs/sha256-<hex>` (a GGUF file).
public struct OllamaStore: Sendable {
    public static let modelMediaType = "application/vnd.ollama.image.model"

    /// The `models` folder holding `manifests/` and `blobs/`.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The store Ollama itself would use: `$OLLAMA_MODELS`, else `~/.ollama/models`, else
    /// `/usr/share/ollama/.ollama/models` (the Linux service's), the first that exists.
    ///
    /// - Throws: `OllamaStoreError.noStore` listing the folders tried.
    public static func locate(environment: [String: String]) throws -> OllamaStore {
        var candidates: [String] = []
        if let variable = environment["OLLAMA_MODELS"], !variable.trimmingWhitespace.isEmpty {
            candidates.append((variable as NSString).expandingTildeInPath)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            candidates += ["\(home)/.ollama/models", "/usr/share/ollama/.ollama/models"]
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue {
                return OllamaStore(root: URL(fileURLWithPath: candidate, isDirectory: true))
            }
        }
        throw OllamaStoreError.noStore(searched: candidates)
    }

    /// The GGUF blob for `name`.
    ///
    /// - Throws: `OllamaStoreError`: the model is not installed (listing the ones that are), the
    ///   manifest is unreadable or has no model layer, or the blob is missing.
    public func modelFile(for name: OllamaModelName) throws -> URL {
        let manifest = root.appendingPathComponent("manifests/\(name.manifestPath)")
        guard FileManager.default.fileExists(atPath: manifest.path) else {
            throw OllamaStoreError.modelNotFound(name: name.description, store: root.path, installed: installedModels())
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(contentsOf: manifest))
        } catch {
            throw OllamaStoreError.manifestUnreadable(manifest: manifest.path, reason: "\(error.localizedDescription)")
        }
        guard let layers = (json as? [String: Any])?["layers"] as? [[String: Any]] else {
            throw OllamaStoreError.manifestUnreadable(manifest: manifest.path, reason: "no \"layers\" array of objects")
        }
        guard let layer = layers.first(where: { $0["mediaType"] as? String == Self.modelMediaType }) else {
            throw OllamaStoreError.noModelLayer(manifest: manifest.path, mediaTypes: layers.compactMap { $0["mediaType"] as? String })
        }
        guard let digest = layer["digest"] as? String, digest.hasPrefix("sha256:"),
              digest.dropFirst(7).count == 64, digest.dropFirst(7).allSatisfy(\.isHexDigit) else {
            throw OllamaStoreError.manifestUnreadable(manifest: manifest.path, reason: "the model layer's digest is not \"sha256:\" followed by 64 hex digits")
        }
        let blob = root.appendingPathComponent("blobs/sha256-" + digest.dropFirst(7))
        guard FileManager.default.fileExists(atPath: blob.path) else {
            throw OllamaStoreError.blobMissing(blob: blob.path, name: name.description)
        }
        return blob
    }

    /// Every model with a manifest, in Ollama's short form, sorted.
    public func installedModels() -> [String] {
        let manifests = root.appendingPathComponent("manifests")
        guard let walker = FileManager.default.enumerator(at: manifests, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var names: [String] = []
        let prefix = manifests.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let relative = url.standardizedFileURL.path.replacingOccurrences(of: prefix, with: "")
            let parts = relative.split(separator: "/")
            guard parts.count == 4, let name = OllamaModelName("\(parts[0])/\(parts[1])/\(parts[2]):\(parts[3])") else { continue }
            names.append(name.description)
        }
        return names.sorted()
    }
}

/// Why `ollama:NAME` could not be resolved, with what to do about it.
public enum OllamaStoreError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidName(String)
    case noStore(searched: [String])
    case modelNotFound(name: String, store: String, installed: [String])
    case manifestUnreadable(manifest: String, reason: String)
    case noModelLayer(manifest: String, mediaTypes: [String])
    case blobMissing(blob: String, name: String)

    public var description: String {
        switch self {
        case .invalidName(let text):
            return "'\(text)' is not an Ollama model name; use ollama:NAME[:TAG], e.g. ollama:smollm2 or ollama:smollm2:135m"
        case .noStore(let searched):
            return "no Ollama model store found; looked in \(searched.joined(separator: ", ")). Set OLLAMA_MODELS to the folder holding manifests/ and blobs/, or pull a model with `ollama pull NAME`"
        case let .modelNotFound(name, store, installed):
            let list = installed.isEmpty ? "it holds no models" : "it holds: " + installed.joined(separator: ", ")
            return "Ollama model '\(name)' is not in \(store); \(list). Pull it with `ollama pull \(name)`"
        case let .manifestUnreadable(manifest, reason):
            return "\(manifest): cannot read the Ollama manifest: \(reason)"
        case let .noModelLayer(manifest, mediaTypes):
            let found = mediaTypes.isEmpty ? "no layers" : "only " + mediaTypes.joined(separator: ", ")
            return "\(manifest): the manifest has no layer of type \(OllamaStore.modelMediaType) (\(found)); it is not a model Maskscope can read"
        case let .blobMissing(blob, name):
            return "\(blob): the weights of Ollama model '\(name)' are missing from the store; pull it again with `ollama pull \(name)`"
        }
    }
}
