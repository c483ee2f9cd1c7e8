/// The `[layer][head][query][key]` floats of `AttentionMaps`, read like one flat array.
///
/// Each layer is its own recycled `ResultBuffer` (`heads × L × L` floats), not one block for
/// the whole pass: an early result (see `EarlyLayers`) then shares the finished layers of the
/// pass in flight and the deeper layers of the previous result instead of copying them (283 MB
/// per early result for SmolLM2 at 512 tokens), and a recompute reuses the memory of layers
/// nobody holds any more. Immutable once made; copies share the memory.
public struct AttentionWeights: RandomAccessCollection, Equatable, Sendable {
    /// One buffer per layer, `[head][query][key]`, `layerSize` floats each.
    let layers: [ResultBuffer]
    /// Floats per layer, `heads × L × L`.
    let layerSize: Int

    init(layers: [ResultBuffer], layerSize: Int) {
        precondition(layers.allSatisfy { $0.count == layerSize }, "AttentionWeights: every layer holds \(layerSize) floats")
        self.layers = layers
        self.layerSize = layerSize
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { layers.count * layerSize }

    public subscript(position: Int) -> Float {
        precondition(position >= 0 && position < endIndex, "AttentionWeights: index \(position) out of 0..<\(endIndex)")
        return layers[position / layerSize].base[position % layerSize]
    }

    /// Calls `body` with one layer's `[head][query][key]` floats in place, without copying them.
    public func withLayer<Result>(_ layer: Int, _ body: (UnsafeBufferPointer<Float>) throws -> Result) rethrows -> Result {
        let storage = layers[layer]
        return try withExtendedLifetime(storage) { try body(storage.buffer) }
    }

    /// Element-wise, like `Array`'s `==`: layers sharing their memory are equal at once, other
    /// pairs compare float by float (where a NaN differs from itself).
    public static func == (lhs: AttentionWeights, rhs: AttentionWeights) -> Bool {
        guard lhs.layers.count == rhs.layers.count, lhs.layerSize == rhs.layerSize else { return false }
        for layer in lhs.layers.indices where lhs.layers[layer] !== rhs.layers[layer] {
            let same = lhs.withLayer(layer) { left in rhs.withLayer(layer) { right in left.elementsEqual(right) } }
            if !same { return false }
        }
        return true
    }
}
