/// Shade characters that stand in for color where a terminal has none (or only 8 colors), and for
/// the mono theme: glyph 0 means weight 0, the last glyph means weight 1.
public struct GlyphRamp: Hashable, Sendable {
    /// The shades, lightest-looking (least ink) first. Always at least two.
    public let glyphs: [String]

    /// The classic block-shade ramp: space, light, medium, dark shade, full block.
    public static let blocks = GlyphRamp(uncheckedGlyphs: [" ", "░", "▒", "▓", "█"])

    /// Splits `text` into characters (grapheme clusters); nil when there are fewer than two or
    /// one is not exactly one column wide (a wide or zero-width glyph would shift the heatmap).
    public init?(_ text: String) {
        let glyphs = text.map(String.init)
        guard glyphs.count >= 2, Self.firstGlyphNotOneColumn(in: text) == nil else { return nil }
        self.glyphs = glyphs
    }

    private init(uncheckedGlyphs: [String]) {
        glyphs = uncheckedGlyphs
    }

    /// The first character of `text` that does not take exactly one terminal column.
    public static func firstGlyphNotOneColumn(in text: String) -> Character? {
        text.first { DisplayWidth.of($0) != 1 }
    }

    /// The ramp as one string, as written in a theme file.
    public var text: String { glyphs.joined() }

    /// Which glyph shows `weight`: 0…1 is cut into `glyphs.count` equal bins; clamped, NaN reads as 0.
    public func index(forWeight weight: Double) -> Int {
        let clamped = weight.isNaN ? 0 : min(max(weight, 0), 1)
        return min(Int(clamped * Double(glyphs.count)), glyphs.count - 1)
    }

    public func glyph(forWeight weight: Double) -> String {
        glyphs[index(forWeight: weight)]
    }
}
