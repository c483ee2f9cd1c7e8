import Testing
@testable import ExplorerUI

private func hex(_ text: String) -> RGB {
    RGB(hex: text) ?? RGB(red: 1, green: 2, blue: 3)
}

@Suite struct OKLabTests {
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

@Suite struct ColorScaleTests {
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

@Suite struct GlyphRampTests {
    @Test func weightsFallIntoEqualBins() throws {
        let ramp = GlyphRamp.blocks
        #expect(ramp.glyphs == [" ", "░", "▒", "▓", "█"])
        #expect([0, 0.19, 0.2, 0.39, 0.4, 0.6, 0.8, 0.99, 1].map(ramp.glyph(forWeight:)) == [" ", " ", "░", "░", "▒", "▓", "█", "█", "█"])
        #expect(ramp.glyph(forWeight: .nan) == " ")
        #expect(ramp.glyph(forWeight: -1) == " " && ramp.glyph(forWeight: 2) == "█")
    }

    @Test func rampsAreSplitIntoCharacters() throws {
        #expect(try #require(GlyphRamp(".:-=+*#%@")).glyphs.count == 9)
        #expect(try #require(GlyphRamp(" 🟦🟩")).glyphs == [" ", "🟦", "🟩"])
        #expect(GlyphRamp("x") == nil && GlyphRamp("") == nil)
    }
}
