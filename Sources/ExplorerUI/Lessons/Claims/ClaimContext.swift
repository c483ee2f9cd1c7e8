import AttentionCore
import Foundation

/// A lesson step's state as claims see it: the engine (`Explorer`) as the step leaves it and
/// the layer and head it shows, with the forward passes run on first use and kept: the
/// step's own pass and the unmasked one (every mask value 1, no pattern), both through the
/// explorer's own `recompute` / `model.forward`, never a second implementation.
final class ClaimContext {
    let explorer: Explorer
    let layer: Int
    let head: Int
    let meanOfHeads: Bool

    init(explorer: Explorer, layer: Int, head: Int, meanOfHeads: Bool) {
        self.explorer = explorer
        self.layer = layer
        self.head = head
        self.meanOfHeads = meanOfHeads
    }

    var length: Int { explorer.tokens.count }
    var info: ModelInfo { explorer.model.info }

    private var maskedPass: ForwardResult??
    private var unmaskedPass: ForwardResult??

    /// The step's pass, with the last hidden state (the LM heads read it).
    var masked: ForwardResult? {
        if let maskedPass { return maskedPass }
        let pass = explorer.recompute(needs: .attentionAndHidden)
        maskedPass = .some(pass)
        return pass
    }

    /// The same text with every mask value 1, no pattern and no cell overrides; a causal model
    /// keeps its own causal mask (`OutputEffect.unmaskedBias`).
    var unmasked: ForwardResult? {
        if let unmaskedPass { return unmaskedPass }
        let pass = explorer.model.forward(explorer.prepared, bias: OutputEffect.unmaskedBias(length: length), needs: .attentionAndHidden)
        unmaskedPass = .some(pass)
        return pass
    }

    /// A claim position as a token index.
    /// - Throws: a message when the position is outside the text or the token text is not
    ///   there exactly once.
    func resolve(_ position: ClaimPosition) throws(ClaimUsageError) -> Int {
        switch position {
        case .index(let index):
            let resolved = index < 0 ? length + index : index
            guard (0..<length).contains(resolved) else {
                throw ClaimUsageError("position \(index) is outside the text: it has \(length) tokens (0…\(length - 1))")
            }
            return resolved
        case .token(let text):
            let wanted = text.trimmingCharacters(in: .whitespaces)
            let readable = explorer.tokenTexts ?? explorer.tokens
            let matches = (0..<length).filter {
                explorer.tokens[$0] == text || readable[$0] == text || readable[$0].trimmingCharacters(in: .whitespaces) == wanted
            }
            if matches.count == 1 { return matches[0] }
            if matches.isEmpty {
                let shown = readable.map { $0.trimmingCharacters(in: .whitespaces) }
                let hint = closestMatch(to: wanted, in: shown).map { " (did you mean '\($0)'?)" } ?? ""
                throw ClaimUsageError("no token '\(text)' in the text\(hint); its tokens are: \(shown.joined(separator: " "))")
            }
            throw ClaimUsageError("'\(text)' occurs at positions \(matches.map(String.init).joined(separator: ", ")): write the position instead")
        case .every:
            throw ClaimUsageError("'*' is not allowed here")
        }
    }

    /// The positions a claim position stands for: all of them for `*`.
    func positions(_ position: ClaimPosition) throws(ClaimUsageError) -> [Int] {
        if position == .every { return Array(0..<length) }
        return [try resolve(position)]
    }

    /// The last position that is not padding (the last token when all are padding).
    var lastRealToken: Int {
        explorer.encoding.isPadding.lastIndex(of: false) ?? max(0, length - 1)
    }
}

/// Why a claim cannot be evaluated here (reported as `ClaimOutcome.unusable`).
struct ClaimUsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
