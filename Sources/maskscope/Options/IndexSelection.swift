import ArgumentParser
import Foundation

/// A set of 0-based layer or head indices typed on the command line: `3`, `0,2,5`, `1..3`
/// (inclusive) or a mix (`0,4..5`).
struct IndexSelection: ExpressibleByArgument, Equatable {
    /// The indices in ascending order, without repeats.
    let indices: [Int]
    /// The text as typed, for error messages.
    let text: String

    init?(argument: String) {
        var found = Set<Int>()
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let piece = part.trimmingCharacters(in: .whitespaces)
            if let dots = piece.range(of: "..") {
                guard let low = Int(piece[..<dots.lowerBound]), let high = Int(piece[dots.upperBound...]),
                      low >= 0, low <= high, high - low < 1_000_000 else { return nil }
                found.formUnion(low...high)
            } else {
                guard let index = Int(piece), index >= 0 else { return nil }
                found.insert(index)
            }
        }
        guard !found.isEmpty else { return nil }
        indices = found.sorted()
        text = argument
    }

    /// The selected indices, checked against how many there are.
    ///
    /// - Parameter what: "layer" or "head", for the message.
    func resolve(count: Int, what: String, option: String, model: String) throws -> [Int] {
        if let outside = indices.first(where: { $0 >= count }) {
            throw ValidationError("\(option) \(text): \(model) has \(count) \(what)s, numbered 0…\(count - 1); there is no \(what) \(outside)")
        }
        return indices
    }
}
