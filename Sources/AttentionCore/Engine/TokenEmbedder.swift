import Foundation
import Tokenizers

/// Turns an encoding into the first layer's input, `[token][hidden]`.
public protocol TokenEmbedder: Sendable {
    func embed(_ encoding: Encoding) throws -> Matrix
}
