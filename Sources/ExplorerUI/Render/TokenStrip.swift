/// The row of tokens under the status lines, each with its mask value beneath: where each
/// token goes, scrolled so the selected token (and the span) stay in view.
public struct TokenStrip: Equatable, Sendable {
    /// Screen column and width of each token in view.
    public let placements: [(position: Int, x: Int, width: Int)]

    public static func == (lhs: TokenStrip, rhs: TokenStrip) -> Bool {
        lhs.placements.elementsEqual(rhs.placements) { $0 == $1 }
    }

    /// - Parameters:
    ///   - labels: the text shown for each token (its token text).
    ///   - values: the mask value text shown under each token.
    public init(labels: [String], values: [String], selected: Int, width: Int) {
        let widths = zip(labels, values).map { max(DisplayWidth.of($0), DisplayWidth.of($1)) }
        // Start from the selected token and widen left then right until the line is full.
        var first = min(max(0, selected), max(0, labels.count - 1)), last = first
        var used = widths.isEmpty ? 0 : widths[first]
        var grew = true
        while grew {
            grew = false
            if first > 0, used + 1 + widths[first - 1] <= width - 2 {
                first -= 1; used += 1 + widths[first]; grew = true
            }
            if last + 1 < labels.count, used + 1 + widths[last + 1] <= width - 2 {
                last += 1; used += 1 + widths[last]; grew = true
            }
        }
        var x = first > 0 ? 1 : 0
        var placements: [(Int, Int, Int)] = []
        if !labels.isEmpty {
            for position in first...last {
                placements.append((position, x, widths[position]))
                x += widths[position] + 1
            }
        }
        self.placements = placements
    }

    /// The token at screen column `x`, if any.
    public func position(atX x: Int) -> Int? {
        placements.first { x >= $0.x && x < $0.x + $0.width }?.position
    }

    public var hiddenBefore: Bool { (placements.first?.position ?? 0) > 0 }
    public func hiddenAfter(count: Int) -> Bool { (placements.last?.position ?? 0) < count - 1 }
}
