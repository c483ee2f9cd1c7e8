import Foundation
import Tokenizers

/// The part of a forward pass that no mask can change, computed once per text: the
/// embeddings and the first layer's query, key and value projections.
public final class PreparedInput: Sendable {
    public let encoding: Encoding
    let embeddings: Matrix
    let firstLayerProjections: QueryKeyValue

    init(encoding: Encoding, embeddings: Matrix, firstLayerProjections: QueryKeyValue) {
        self.encoding = encoding
        self.embeddings = embeddings
        self.firstLayerProjections = firstLayerProjections
    }
}
