import AttentionCore

/// How the map marks what the mask did, as a channel of its own beside the weight colors:
/// a closed cell is a diagonal hatch (`╱`) on a neutral ground, a partly kept cell carries `◐`
/// on its weight color. No weight can produce either: weight cells are blank (colors) or ramp
/// shades (glyphs), so a masked 0 never passes for a small weight, in any theme or color depth.
enum MaskMarking {
    /// The hatch glyph of a closed cell, and its stand-in when a theme's ramp uses it.
    static let hatch = "╱"
    static let hatchFallback = "×"
    /// The centre glyph of a partly kept cell (soft 0.5).
    static let partial = "◐"
    static let partialFallback = "~"

    /// The hatch for `theme`: never one of its ramp's shades.
    static func hatchGlyph(_ theme: Theme) -> String {
        theme.glyphRamp.glyphs.contains(hatch) ? hatchFallback : hatch
    }

    static func partialGlyph(_ theme: Theme) -> String {
        theme.glyphRamp.glyphs.contains(partial) ? partialFallback : partial
    }
}

extension Theme {
    /// The ground of a closed cell: the background moved a quarter of the way to the masked
    /// accent, so the hatch reads as "nothing here" rather than as a color of the scale.
    var maskedGround: RGB {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Int(a) * 3 + Int(b)) / 4) }
        return RGB(red: mix(background.red, accents.masked.red), green: mix(background.green, accents.masked.green),
                   blue: mix(background.blue, accents.masked.blue))
    }
}

extension AppState {
    /// Which cells the mask closes on this state, and why: O(1) per cell.
    public var closureMap: CellClosureMap { CellClosureMap(explorer: explorer) }
}

/// The mask row's label for key column `key`: what the mask does to it over every query,
/// patterns and cell edits included. `×` closes the whole column (with the value, or the
/// reason when the key's own value is not the cause), `╱` closes it for some queries only,
/// `~` keeps it partly, `+` boosts it.
func effectiveMaskMarker(_ column: KeyColumnClosure, value: Float, semantics: MaskSemantics) -> String {
    let shown = MaskValueFormat.short(value)
    if column.closedForAll {
        switch column.reason {
        case .keyMask?: return "×" + shown
        case .padding?: return "×pad"
        case .cellEdit?: return "×edit"
        case .pattern?, .modelCausal?, nil: return "×pat"
        }
    }
    if column.closedQueries > 0 { return shown + MaskMarking.hatch }
    if column.partialQueries > 0 { return "~" + MaskValueFormat.short(column.smallestKeptShare) }
    return maskMarker(value, semantics)
}
