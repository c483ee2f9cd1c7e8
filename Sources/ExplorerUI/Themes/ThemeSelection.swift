/// Which themes the explorer cycles through and where it starts.
public enum ThemeSelection {
    /// The requested theme (a name or a .toml file), `mono` under NO_COLOR (no-color.org),
    /// else the default. A theme that cannot be loaded does not stop the explorer: it starts on
    /// the default and the first screen shows why, as a warning.
    ///
    /// - Returns: the themes `t` cycles through, the index to start at, and that warning.
    public static func resolve(requested: String?, environment: [String: String]) -> (themes: [Theme], index: Int, warning: Message?) {
        var themes = ThemeCatalog.all
        let defaultIndex = themes.firstIndex { $0.name == ThemeCatalog.default.name } ?? 0
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty,
           let mono = themes.firstIndex(where: { $0.isMonochrome }) {
            return (themes, mono, nil)
        }
        guard let requested else { return (themes, defaultIndex, nil) }
        do {
            let theme = try ThemeCatalog.resolve(nameOrPath: requested)
            if let index = themes.firstIndex(of: theme) { return (themes, index, nil) }
            themes.append(theme)
            return (themes, themes.count - 1, nil)
        } catch {
            return (themes, defaultIndex, .warning("theme not loaded, using \(ThemeCatalog.default.name): \(error)"))
        }
    }
}
