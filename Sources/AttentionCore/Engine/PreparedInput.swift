import Foundation
import Tokenizers

/// The part of a forward pass that no mask can change, computed once per text: the
/// embeddings and the first layer's query, key and value projections.
public final class PreparedInput: Sendable {
    public let encoding: Encoding
    let embeddings: Matrix
    let firstLayerProjections: QueryKeyValue
    /// The model that prepared it: `forward` refuses an input another model made, whose
    /// projections would fit that model's layers, not its own.
    let model: ModelIdentity

    init(encoding: Encoding, embeddings: Matrix, model: ModelIdentity, firstLayerProjections: QueryKeyValue) {
        self.encoding = encoding
        self.embeddings = embeddings
        self.model = model
        self.firstLayerProjections = firstLayerProjections
    }
}
