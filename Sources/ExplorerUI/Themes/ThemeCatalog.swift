import Foundation

/// The themes shipped with maskscope, compiled into the binary (see BundledThemes.swift), so they
/// are found whatever folder the program runs from; plus user theme files given by path.
public enum ThemeCatalog {
    /// Every shipped theme, in name order. A shipped theme that failed to parse would be missing
    /// here; ThemeTests checks that none does.
    public static let all: [Theme] = BundledThemes.texts.compactMap { entry in
        try? Theme.parse(toml: entry.toml, source: bundledSource(entry.name))
    }

    /// The names `named(_:)` accepts.
    public static var names: [String] { all.map(\.name) }

    /// viridis: perceptually uniform, color-blind friendly, made for dark terminals.
    public static let `default`: Theme = named("viridis") ?? all.first ?? fallback

    /// The shipped theme called `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> Theme? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// A `--theme` argument: a shipped theme's name, or a path to a user's theme file
    /// (anything with a "/" or ending in ".toml", or naming an existing file).
    public static func resolve(nameOrPath: String) throws -> Theme {
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.lowercased().hasSuffix(".toml")
        if !looksLikePath, let theme = named(nameOrPath) { return theme }
        if looksLikePath || FileManager.default.fileExists(atPath: nameOrPath) {
            return try Theme.load(contentsOf: URL(fileURLWithPath: nameOrPath))
        }
        throw ThemeError.unknownTheme(name: nameOrPath, available: names, suggestion: closestMatch(to: nameOrPath, in: names))
    }

    /// How errors in a shipped theme name it.
    static func bundledSource(_ name: String) -> String {
        "themes/\(name).toml (built in)"
    }

    /// Used only if no shipped theme parses, so that callers always get a usable theme.
    private static let fallback = Theme(
        name: "fallback",
        description: "Plain grays; shown only if the shipped themes could not be read.",
        scale: ColorScale(from: RGB(red: 0x26, green: 0x26, blue: 0x26), to: RGB(red: 0xff, green: 0xff, blue: 0xff)),
        background: RGB(red: 0, green: 0, blue: 0),
        foreground: RGB(red: 0xd0, green: 0xd0, blue: 0xd0),
        accents: ThemeAccents(
            selection: RGB(red: 0xff, green: 0xff, blue: 0xff), masked: RGB(red: 0x50, green: 0x50, blue: 0x50),
            warning: RGB(red: 0xff, green: 0xff, blue: 0xff), label: RGB(red: 0xe0, green: 0xe0, blue: 0xe0),
            dim: RGB(red: 0x80, green: 0x80, blue: 0x80)),
        diverging: DivergingScale(
            negative: RGB(red: 0x50, green: 0x50, blue: 0x50), neutral: RGB(red: 0x20, green: 0x20, blue: 0x20),
            positive: RGB(red: 0xf0, green: 0xf0, blue: 0xf0))
    )
}
