/// How the explorer paints attention: the heatmap scale, the screen's colors and the accents,
/// plus the fallbacks for terminals without color.
///
/// Themes are written in TOML (see themes/viridis.toml for every key) and loaded with
/// `Theme.parse(toml:source:)` / `Theme.load(contentsOf:)`, or picked from `ThemeCatalog`.
public struct Theme: Hashable, Sendable {
    /// Short name used on the command line (`--theme magma`).
    public var name: String
    /// One line saying what the theme is for, shown by `maskscope themes`.
    public var description: String
    /// Attention weight 0…1 → color.
    public var scale: ColorScale
    public var background: RGB
    public var foreground: RGB
    public var accents: ThemeAccents
    /// Signed change −1…1 → color, for views that compare two sets of weights.
    public var diverging: DivergingScale
    /// Draw token labels in bold (helps on projectors and low-contrast screens).
    public var boldLabels: Bool
    /// Draw the legend larger, with more ticks, for a room reading from a distance.
    public var largeLegend: Bool
    /// Shades used where colors cannot be shown.
    public var glyphRamp: GlyphRamp
    /// A monochrome theme never emits colors: every `CellColor` it hands out is `.default`
    /// and the heatmap is drawn with `glyphRamp` alone.
    public var isMonochrome: Bool

    public init(
        name: String, description: String, scale: ColorScale, background: RGB, foreground: RGB,
        accents: ThemeAccents, diverging: DivergingScale, boldLabels: Bool = false, largeLegend: Bool = false,
        glyphRamp: GlyphRamp = .blocks, isMonochrome: Bool = false
    ) {
        self.name = name
        self.description = description
        self.scale = scale
        self.background = background
        self.foreground = foreground
        self.accents = accents
        self.diverging = diverging
        self.boldLabels = boldLabels
        self.largeLegend = largeLegend
        self.glyphRamp = glyphRamp
        self.isMonochrome = isMonochrome
    }

    /// The heatmap color of an attention weight (clamped to 0…1, NaN as 0), blended in OKLab.
    public func color(forWeight weight: Double) -> RGB {
        scale.color(at: weight)
    }

    /// The shade glyph of an attention weight, for terminals without color and mono themes.
    public func glyph(forWeight weight: Double) -> String {
        glyphRamp.glyph(forWeight: weight)
    }

    /// The color of a signed change in weight (clamped to −1…1, NaN as 0).
    public func color(forDelta delta: Double) -> RGB {
        diverging.color(at: delta)
    }

    /// `color` as a cell color, or `.default` when the theme is monochrome: route every theme color
    /// through here so a mono theme cannot leak color onto the screen.
    public func cellColor(_ color: RGB) -> CellColor {
        isMonochrome ? .default : color.cellColor
    }

    /// Attributes for token labels: bold when the theme asks for it.
    public var labelAttributes: CellAttributes { boldLabels ? .bold : [] }
}
