import Testing
@testable import ExplorerUI

@Suite("Color quantization and capability")
struct ColorQuantizationTests {
    @Test func exactCubeAndGrayColorsMapToThemselves() {
        #expect(ColorQuantization.nearestXterm256(r: 0, g: 0, b: 0) == 16)
        #expect(ColorQuantization.nearestXterm256(r: 255, g: 0, b: 0) == 196)
        #expect(ColorQuantization.nearestXterm256(r: 255, g: 255, b: 255) == 231)
        #expect(ColorQuantization.nearestXterm256(r: 95, g: 135, b: 175) == 67)
        #expect(ColorQuantization.nearestXterm256(r: 8, g: 8, b: 8) == 232)
        #expect(ColorQuantization.nearestXterm256(r: 238, g: 238, b: 238) == 255)
    }

    @Test func graysPreferTheGrayRamp() {
        #expect(ColorQuantization.nearestXterm256(r: 128, g: 128, b: 128) == 244)
        #expect(ColorQuantization.nearestXterm256(r: 30, g: 30, b: 31) == 234)
    }

    @Test func everyIndexRoundTripsThroughItsRGB() {
        for index in 16...255 {
            let rgb = ColorQuantization.xterm256RGB(index)
            let back = ColorQuantization.nearestXterm256(r: rgb.r, g: rgb.g, b: rgb.b)
            let backRGB = ColorQuantization.xterm256RGB(back)
            #expect(backRGB == rgb, "index \(index) came back as \(back)")
        }
    }

    @Test func nearestIsNeverFartherThanAnyOtherPaletteEntry() {
        let samples: [(UInt8, UInt8, UInt8)] = [(12, 200, 99), (250, 128, 3), (77, 77, 90), (140, 20, 220), (1, 2, 3)]
        for (r, g, b) in samples {
            let chosen = ColorQuantization.xterm256RGB(ColorQuantization.nearestXterm256(r: r, g: g, b: b))
            let chosenDistance = squaredDistance((r, g, b), chosen)
            for index in 16...255 {
                #expect(chosenDistance <= squaredDistance((r, g, b), ColorQuantization.xterm256RGB(index)),
                        "(\(r),\(g),\(b)) → index \(index) is nearer")
            }
        }
    }

    @Test func ansi8PicksHueOrGray() {
        #expect(ColorQuantization.nearestANSI8(r: 200, g: 10, b: 0) == 1)
        #expect(ColorQuantization.nearestANSI8(r: 0, g: 0, b: 255) == 4)
        #expect(ColorQuantization.nearestANSI8(r: 10, g: 10, b: 10) == 0)
        #expect(ColorQuantization.nearestANSI8(r: 200, g: 200, b: 200) == 7)
        #expect(ColorQuantization.nearestANSI8(r: 128, g: 128, b: 128) == 7, "mid gray is not yellow")
        #expect(ColorQuantization.nearestANSI8(r: 100, g: 100, b: 110) == 0)
        #expect(ColorQuantization.nearestANSI8(r: 230, g: 220, b: 40) == 3)
    }

    @Test func capabilityFromColorsPairsAndEnvironment() {
        #expect(ColorCapability.detect(colors: 1 << 24, colorPairs: 65536, environment: [:]) == .truecolor)
        #expect(ColorCapability.detect(colors: 256, colorPairs: 65536, environment: ["COLORTERM": "truecolor"]) == .palette256)
        #expect(ColorCapability.detect(colors: 16, colorPairs: 256, environment: [:]) == .palette8)
        #expect(ColorCapability.detect(colors: 8, colorPairs: 64, environment: [:]) == .palette8)
        #expect(ColorCapability.detect(colors: 0, colorPairs: 0, environment: [:]) == .none)
        #expect(ColorCapability.detect(colors: 256, colorPairs: 65536, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorCapability.detect(colors: 256, colorPairs: 65536, environment: ["NO_COLOR": ""]) == .palette256)
        #expect(ColorCapability.environmentClaimsTruecolor(["COLORTERM": "24bit"]))
        #expect(!ColorCapability.environmentClaimsTruecolor(["COLORTERM": "yes"]))
        #expect(ColorCapability.palette256.hasSmoothColors)
        #expect(!ColorCapability.palette8.hasSmoothColors)
    }

    private func squaredDistance(_ a: (UInt8, UInt8, UInt8), _ b: (r: UInt8, g: UInt8, b: UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.r), dg = Int(a.1) - Int(b.g), db = Int(a.2) - Int(b.b)
        return dr * dr + dg * dg + db * db
    }
}

@Suite("Direct color through ncurses: which terminfo entry COLORTERM=truecolor opens")
struct DirectColorTerminalTests {
    let installed: Set<String> = ["xterm-direct", "tmux-direct", "xterm-256color", "vte-direct", "konsole-direct"]

    func choose(_ term: String, _ environment: [String: String]) -> String? {
        ColorCapability.directColorTerminal(for: term, environment: environment) { installed.contains($0) }
    }

    @Test func truecolorPicksTheFamilysDirectEntry() {
        #expect(choose("xterm-256color", ["COLORTERM": "truecolor"]) == "xterm-direct")
        #expect(choose("xterm", ["COLORTERM": "24bit"]) == "xterm-direct")
        #expect(choose("tmux-256color", ["COLORTERM": "truecolor"]) == "tmux-direct")
    }

    @Test func theEmulatorsOwnEntryComesFirst() {
        #expect(choose("xterm-256color", ["COLORTERM": "truecolor", "VTE_VERSION": "7200"]) == "vte-direct")
        #expect(choose("xterm-256color", ["COLORTERM": "truecolor", "KONSOLE_VERSION": "230800"]) == "konsole-direct")
        #expect(choose("tmux-256color", ["COLORTERM": "truecolor", "VTE_VERSION": "7200"]) == "tmux-direct", "tmux decides inside tmux")
        #expect(choose("xterm-256color", ["COLORTERM": "truecolor", "KITTY_WINDOW_ID": "1"]) == "xterm-direct", "not installed: the family's")
    }

    @Test func otherwiseTERMStays() {
        #expect(choose("xterm-256color", [:]) == nil, "no COLORTERM: the 256-color palette")
        #expect(choose("xterm-256color", ["COLORTERM": "truecolor", "NO_COLOR": "1"]) == nil)
        #expect(choose("xterm-direct", ["COLORTERM": "truecolor"]) == nil, "already direct")
        #expect(choose("screen-256color", ["COLORTERM": "truecolor"]) == nil, "no sibling installed")
        #expect(choose("", ["COLORTERM": "truecolor"]) == nil)
    }

    @Test func terminfoFoldersAreSearchedInBothLayouts() {
        let files: Set<String> = ["/home/u/.terminfo/x/xterm-direct", "/usr/share/terminfo/74/tmux-direct"]
        #expect(ColorCapability.terminfoEntryExists("xterm-direct", environment: ["HOME": "/home/u"]) { files.contains($0) })
        #expect(ColorCapability.terminfoEntryExists("tmux-direct", environment: [:]) { files.contains($0) })
        #expect(!ColorCapability.terminfoEntryExists("kitty-direct", environment: [:]) { files.contains($0) })
        #expect(!ColorCapability.terminfoEntryExists("../x", environment: [:]) { _ in true })
    }
}
