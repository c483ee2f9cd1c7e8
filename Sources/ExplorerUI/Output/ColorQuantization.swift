/// Mapping 24-bit colors onto the palettes of terminals that cannot show them directly.
///
/// Pure functions so the renderer and tests can see exactly which palette entry a heatmap
/// shade becomes. The 16 "system" colors (0–15) are never chosen for 256-color terminals:
/// themes redefine them, while the 6×6×6 cube (16–231) and the gray ramp (232–255) are fixed.
public enum ColorQuantization {
    /// Channel levels of xterm's 6×6×6 color cube.
    public static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The xterm 256-color index (16…255) nearest to (r, g, b): the closest cube color or the
    /// closest of the 24 grays (8, 18, …, 238), whichever is nearer in squared RGB distance.
    public static func nearestXterm256(r: UInt8, g: UInt8, b: UInt8) -> Int {
        let red = Int(r), green = Int(g), blue = Int(b)
        let cubeRed = cubeIndex(red), cubeGreen = cubeIndex(green), cubeBlue = cubeIndex(blue)
        let cubeColor = 16 + 36 * cubeRed + 6 * cubeGreen + cubeBlue
        let cubeDistance = distance(
            (red, green, blue), (cubeLevels[cubeRed], cubeLevels[cubeGreen], cubeLevels[cubeBlue]))

        let average = (red + green + blue) / 3
        let grayStep = average > 238 ? 23 : max(0, (average - 3) / 10)
        let gray = 8 + 10 * grayStep
        let grayDistance = distance((red, green, blue), (gray, gray, gray))
        return grayDistance < cubeDistance ? 232 + grayStep : cubeColor
    }

    /// The RGB value xterm shows for a palette index 16…255 (indices 0…15 get the classic
    /// xterm defaults, which a theme may override).
    public static func xterm256RGB(_ index: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        switch index {
        case 16...231:
            let cube = index - 16
            return (UInt8(cubeLevels[cube / 36]), UInt8(cubeLevels[(cube / 6) % 6]), UInt8(cubeLevels[cube % 6]))
        case 232...255:
            let level = UInt8(8 + 10 * (index - 232))
            return (level, level, level)
        case 0...15:
            return ansi16RGB[index]
        default:
            return (0, 0, 0)
        }
    }

    /// The nearest of the 8 basic ANSI colors (0 black, 1 red, 2 green, 3 yellow, 4 blue,
    /// 5 magenta, 6 cyan, 7 white), for terminals with only 8 or 16 colors. Grays (channels
    /// within 64 of each other) become black or white by brightness, so a gray never turns
    /// yellow; other colors go to the nearest by squared distance to xterm's defaults. Too
    /// coarse for a heatmap: pair it with a glyph ramp.
    public static func nearestANSI8(r: UInt8, g: UInt8, b: UInt8) -> Int {
        let channels = [Int(r), Int(g), Int(b)]
        if let brightest = channels.max(), let darkest = channels.min(), brightest - darkest < 64 {
            return channels.reduce(0, +) / 3 >= 128 ? 7 : 0
        }
        var best = 0
        var bestDistance = Int.max
        for index in 0..<8 {
            let color = ansi16RGB[index]
            let candidate = distance((Int(r), Int(g), Int(b)), (Int(color.r), Int(color.g), Int(color.b)))
            if candidate < bestDistance {
                best = index
                bestDistance = candidate
            }
        }
        return best
    }

    private static let ansi16RGB: [(r: UInt8, g: UInt8, b: UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// Index 0…5 of the cube level nearest to a channel value (levels are 0, 95, 135, …).
    private static func cubeIndex(_ value: Int) -> Int {
        if value < 48 { return 0 }
        if value < 115 { return 1 }
        return min(5, (value - 35) / 40)
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }
}
