import AttentionCore

/// How the map marks what the mask did, as a channel of its own beside the weight colors:
/// a closed cell is a diagonal hatch (`╱`) on a neutral ground, a partly kept cell carries `◐`
/// on its weight color. No weight can produce either: weight cells are blank (colors) or ramp
/// shades (glyphs), so a masked 0 never passes for a small weight, in any theme or color depth.
enum MaskMarking {
    /// The hatch glyph of a closed cell, and its stand-in when a theme's ramp uses it.
    static let hatch = "╱"
    static let hatchFallback = "×"
    /// The hatch of a cell the model's own causal mask closes (a decoder's future keys).
    static let modelHatch = "╲"
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

    /// The token strip's mask markers: each key's own value, or what closes it for every query
    /// when a pattern or cell edits do (`×pad` under `padding:K`). O(L²) only with a pattern
    /// or cell edits.
    var stripMarkers: [String] {
        let semantics = explorer.semantics
        guard explorer.pattern != .none || !explorer.cellOverrides.isEmpty else {
            return explorer.mask.map { maskMarker($0, semantics) }
        }
        let closures = closureMap
        return explorer.mask.enumerated().map { position, value in
            let column = closures.column(position)
            return column.closedForAll ? effectiveMaskMarker(column, value: value, semantics: semantics) : maskMarker(value, semantics)
        }
    }
}

/// The mask row's label for key column `key`: what the mask does to it over every query,
/// patterns and cell edits included. `×` closes the whole column (with the value, or the
/// reason when the key's own value is not the cause), `╱` closes it for some queries only,
/// `~` keeps it partly, `+` boosts it.
/// Names longer than `width − 1` lose their `×` (the ground marks the column anyway), so
/// neighbouring markers never run together.
func effectiveMaskMarker(_ column: KeyColumnClosure, value: Float, semantics: MaskSemantics, width: Int = .max) -> String {
    let shown = MaskValueFormat.short(value)
    if column.closedForAll {
        let name: String
        switch column.reason {
        case .keyMask?: return "×" + shown
        case .padding?: name = "pad"
        case .cellEdit?: name = "edit"
        case .pattern?, .modelCausal?, nil: name = "pat"
        }
        return name.count + 1 < width ? "×" + name : name
    }
    if column.closedQueries > 0 { return shown + MaskMarking.hatch }
    if column.partialQueries > 0 { return "~" + MaskValueFormat.short(column.smallestKeptShare) }
    return maskMarker(value, semantics)
}
