import Foundation

/// What the UI and the commands say about a model.
public struct ModelInfo: Sendable, Equatable {
    /// Short name shown in the status line ("all-MiniLM-L6-v2", "builtin").
    public var name: String
    /// Where it came from: a folder path, or "built in".
    public var source: String
    public var layerCount: Int
    public var headCount: Int
    public var hiddenSize: Int
    /// Longest input the model's position embeddings allow, special tokens included.
    public var maxPositions: Int
    /// Names of heads whose role is known by design, `[layer][head]` (the built-in model).
    public var headNames: [[String]]?
    /// One line per head on how it was designed (the built-in model), `[layer][head]`.
    public var headDesigns: [[String]]?
    /// The architecture as the checkpoint names it ("bert", "llama", "qwen2", "builtin"), for
    /// reports; empty when unknown.
    public var architecture = ""

    public init(name: String, source: String, layerCount: Int, headCount: Int, hiddenSize: Int,
                maxPositions: Int, headNames: [[String]]? = nil, headDesigns: [[String]]? = nil) {
        self.name = name
        self.source = source
        self.layerCount = layerCount
        self.headCount = headCount
        self.hiddenSize = hiddenSize
        self.maxPositions = maxPositions
        self.headNames = headNames
        self.headDesigns = headDesigns
    }

    /// A head's display name: its designed role where known, else "head j" (0-based, as
    /// `--head` counts).
    public func headName(layer: Int, head: Int) -> String {
        if let names = headNames, layer < names.count, head < names[layer].count { return names[layer][head] }
        return "head \(head)"
    }
}
