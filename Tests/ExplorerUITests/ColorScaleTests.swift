import Testing
@testable import ExplorerUI

private func hex(_ text: String) -> RGB {
    RGB(hex: text) ?? RGB(red: 1, green: 2, blue: 3)
}

@Suite("OKLab conversion")
struct OKLabTests {
    @Test func matchesOttossonsReferenceValues() {
        let red = OKLab(hex("#ff0000"))
        #expect(abs(red.lightness - 0.627955) < 1e-5 && abs(red.a - 0.224863) < 1e-5 && abs(red.b - 0.125846) < 1e-5)
        let white = OKLab(hex("#ffffff"))
        #expect(abs(white.lightness - 1) < 1e-6 && abs(white.a) < 1e-6 && abs(white.b) < 1e-6)
        #expect(OKLab(hex("#000000")).lightness == 0)
    }

    @Test(arguments: ["#000000", "#ffffff", "#440154", "#fde725", "#12ab34", "#ff0000", "#0000ff", "#808080"])
    func roundTripsThroughSRGB(text: String) {
        #expect(OKLab(hex(text)).rgb == hex(text))
    }

    @Test func hexParsingAndPrinting() {
        #expect(RGB(hex: "#3B528b") == RGB(red: 0x3b, green: 0x52, blue: 0x8b))
        #expect(RGB(red: 0x0a, green: 0xff, blue: 0).hex == "#0aff00")
        for bad in ["#12345G", "12345678", "#12345", "#1234567", "", "#", "#ＡＢＣＤＥＦ"] {
            #expect(RGB(hex: bad) == nil, "\(bad)")
        }
    }
}

@Suite("Color scales")
struct ColorScaleTests {
    @Test func interpolatesInOKLabNotRGB() throws {
        let grays = ColorScale(from: hex("#000000"), to: hex("#ffffff"))
        #expect(grays.color(at: 0.5) == hex("#636363"), "OKLab lightness 0.5 is #636363")
        #expect(grays.color(at: 0.5) != hex("#808080"), "#808080 would be the sRGB midpoint")
        let redBlue = ColorScale(from: hex("#ff0000"), to: hex("#0000ff"))
        #expect(redBlue.color(at: 0.5) == hex("#8c53a2"))
        #expect(redBlue.color(at: 0.5) != hex("#800080"))
    }

    @Test func stopsComeBackExactlyAtTheirWeights() throws {
        let viridis = ThemeCatalog.default.scale
        #expect(viridis.stops.count == 17)
        for (index, stop) in viridis.stops.enumerated() {
            #expect(viridis.color(at: Double(index) / 16) == stop, "stop \(index)")
        }
        #expect(ThemeCatalog.default.color(forWeight: 0.5) == hex("#21918c"))
    }

    @Test func outOfRangeAndNaNWeightsAreClamped() {
        let scale = ColorScale(from: hex("#000000"), to: hex("#ffffff"))
        #expect(scale.color(at: -3) == hex("#000000"))
        #expect(scale.color(at: 7) == hex("#ffffff"))
        #expect(scale.color(at: .nan) == hex("#000000"))
        #expect(scale.color(at: .infinity) == hex("#ffffff"))
        #expect(ColorScale(stops: [hex("#000000")]) == nil)
    }

    @Test(arguments: ThemeCatalog.all.map(\.name))
    func lightnessIsMonotonicAcrossTheScale(name: String) throws {
        let theme = try #require(ThemeCatalog.named(name))
        let lightness = (0..<64).map { OKLab(theme.color(forWeight: Double($0) / 63)).lightness }
        let steps = zip(lightness, lightness.dropFirst()).map { $1 - $0 }
        let rising = steps.allSatisfy { $0 > 0 }
        let falling = steps.allSatisfy { $0 < 0 }
        #expect(rising || falling, "\(name): OKLab lightness along the scale \(lightness)")
        let towardsContrast = abs(lightness[63] - OKLab(theme.background).lightness) > abs(lightness[0] - OKLab(theme.background).lightness)
        #expect(towardsContrast, "\(name): weight 1 must stand out from the background more than weight 0")
    }

    @Test func divergingScaleRunsThroughNeutral() {
        let diverging = DivergingScale(negative: hex("#2166ac"), neutral: hex("#f7f7f7"), positive: hex("#b2182b"))
        #expect(diverging.color(at: -1) == hex("#2166ac"))
        #expect(diverging.color(at: 0) == hex("#f7f7f7"))
        #expect(diverging.color(at: 1) == hex("#b2182b"))
        #expect(diverging.color(at: -5) == hex("#2166ac"))
        #expect(diverging.color(at: .nan) == hex("#f7f7f7"))
        let half = OKLab(diverging.color(at: 0.5)).lightness
        #expect(half < OKLab(hex("#f7f7f7")).lightness && half > OKLab(hex("#b2182b")).lightness)
        #expect(ThemeCatalog.named("projector")?.color(forDelta: -1) == hex("#2166ac"))
    }
}

@Suite("Glyph ramps")
struct GlyphRampTests {
    @Test func weightsFallIntoEqualBins() throws {
        let ramp = GlyphRamp.blocks
        #expect(ramp.glyphs == [" ", "░", "▒", "▓", "█"])
        #expect([0, 0.19, 0.2, 0.39, 0.4, 0.6, 0.8, 0.99, 1].map(ramp.glyph(forWeight:)) == [" ", " ", "░", "░", "▒", "▓", "█", "█", "█"])
        #expect(ramp.glyph(forWeight: .nan) == " ")
        #expect(ramp.glyph(forWeight: -1) == " " && ramp.glyph(forWeight: 2) == "█")
    }

    @Test func rampsAreSplitIntoCharacters() throws {
        #expect(try #require(GlyphRamp(".:-=+*#%@")).glyphs.count == 9)
        #expect(try #require(GlyphRamp(" ·•●")).glyphs == [" ", "·", "•", "●"])
        #expect(GlyphRamp(" 🟦🟩") == nil, "emoji are two columns wide")
        #expect(GlyphRamp(" \u{200B}█") == nil, "a zero-width space takes no column")
        #expect(GlyphRamp("x") == nil && GlyphRamp("") == nil)
    }
}

@Suite("Theme colors on 256-color and colorless terminals")
struct ThemeQuantizationTests {
    @Test func paletteColorsQuantizeToThemselves() {
        for color in [RGB(red: 0, green: 95, blue: 135), RGB(red: 255, green: 255, blue: 255), RGB(red: 128, green: 128, blue: 128)] {
            #expect(color.xterm256 == color, "\(color)")
        }
        #expect(RGB(red: 0x44, green: 0x01, blue: 0x54).xterm256Index == 53)
    }

    /// At the centre of each glyph bin: the 256-color stand-in stays near the 24-bit color, and
    /// reading a glyph back from either gives that bin. The xterm palette is coarse in dark
    /// blues, and nearest-in-RGB sends cividis's #11346d (weight 0.1) to teal #005f5f (OKLab
    /// distance 0.145), which reads as the next bin up; that one case is allowed one bin.
    @Test(arguments: ThemeCatalog.all.filter { !$0.isMonochrome }.map(\.name))
    func quantizingStaysCloseAndKeepsTheShadeGlyph(name: String) throws {
        let theme = try #require(ThemeCatalog.named(name))
        let bins = theme.glyphRamp.glyphs.count
        for bin in 0..<bins {
            let weight = (Double(bin) + 0.5) / Double(bins)
            let trueColor = theme.color(forWeight: weight)
            let quantized = trueColor.xterm256
            #expect(OKLab(trueColor).distance(to: OKLab(quantized)) < 0.15, "\(name) weight \(weight): \(trueColor) → \(quantized)")
            #expect(theme.glyphIndex(for: trueColor) == bin, "\(name) weight \(weight): truecolor → glyph")
            let slack = name == "cividis" && bin == 0 ? 1 : 0
            #expect(abs(theme.glyphIndex(for: quantized) - bin) <= slack, "\(name) weight \(weight): \(trueColor) → 256 \(quantized) → glyph")
        }
    }

    @Test func heatmapCellsFollowTheTerminalsColors() throws {
        let viridis = ThemeCatalog.default
        #expect(viridis.heatmapCell(forWeight: 1, colors: .truecolor) == Cell(glyph: " ", background: .rgb(0xfd, 0xe7, 0x25)))
        #expect(viridis.heatmapCell(forWeight: 1, colors: .palette256) == Cell(glyph: " ", background: .rgb(255, 215, 0)))
        #expect(viridis.heatmapCell(forWeight: 1, colors: .palette8) == Cell(glyph: "█"))
        #expect(viridis.heatmapCell(forWeight: 0.3, colors: .none) == Cell(glyph: "░"))
        let mono = try #require(ThemeCatalog.named("mono"))
        for weight in stride(from: 0.0, through: 1.0, by: 0.05) {
            let cell = mono.heatmapCell(forWeight: weight, colors: .truecolor)
            #expect(cell.foreground == .default && cell.background == .default, "mono must never emit colors")
        }
    }

    @Test func swatchSpansTheScale() throws {
        let viridis = ThemeCatalog.default
        let swatch = viridis.swatch(width: 17)
        #expect(swatch.count == 17)
        #expect(swatch.map(\.background) == viridis.scale.stops.map(\.cellColor))
        #expect(viridis.swatch(width: 5, colors: .none).map(\.glyph).joined() == " ░▒▓█")
        #expect(viridis.swatch(width: 0).isEmpty && viridis.swatch(width: -3).isEmpty)
        #expect(viridis.swatch(width: 1).count == 1)
    }
}
