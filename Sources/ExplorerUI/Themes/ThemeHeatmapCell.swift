extension Theme {
    /// The cell that shows attention `weight` (clamped to 0…1, NaN as 0) on an output that can
    /// show `colors`.
    ///
    /// With 24-bit color it is a blank cell painted `color(forWeight:)`; with 256 colors, painted
    /// the xterm palette entry `ColorQuantization.nearestXterm256` picks, so a headless rendering
    /// shows exactly what a 256-color terminal would. With 8 colors, none, or a monochrome theme,
    /// it is the `glyphRamp` shade in the terminal's own colors: 8 colors cannot show a weight.
    public func heatmapCell(forWeight weight: Double, colors: ColorCapability) -> Cell {
        switch isMonochrome ? .none : colors {
        case .truecolor:
            return Cell(glyph: " ", background: color(forWeight: weight).cellColor)
        case .palette256:
            return Cell(glyph: " ", background: color(forWeight: weight).xterm256.cellColor)
        case .palette8, .none:
            return Cell(glyph: glyph(forWeight: weight))
        }
    }

    /// Which glyph of the ramp stands for `color`: the glyph of the weight whose scale color is
    /// nearest to it. Turns an output that only has colors (a quantized 256-color cell, say)
    /// into shades: truecolor → 256 → glyph.
    public func glyphIndex(for color: RGB) -> Int {
        glyphRamp.index(forWeight: scale.weight(nearestTo: color))
    }

    /// A one-line sample of the scale from weight 0 (left) to weight 1 (right), `width` cells
    /// wide, for `maskscope themes` and legends. Empty when `width` is not positive.
    public func swatch(width: Int, colors: ColorCapability = .truecolor) -> [Cell] {
        guard width > 0 else { return [] }
        guard width > 1 else { return [heatmapCell(forWeight: 1, colors: colors)] }
        return (0..<width).map { heatmapCell(forWeight: Double($0) / Double(width - 1), colors: colors) }
    }
}

extension RGB {
    /// The color xterm shows for the 256-color palette entry nearest to this one.
    public var xterm256: RGB {
        let entry = ColorQuantization.xterm256RGB(xterm256Index)
        return RGB(red: entry.r, green: entry.g, blue: entry.b)
    }

    /// The xterm 256-color index (16…255) nearest to this color.
    public var xterm256Index: Int {
        ColorQuantization.nearestXterm256(r: red, g: green, b: blue)
    }
}
