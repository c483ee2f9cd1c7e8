/// Theme colors for things other than the heatmap itself.
public struct ThemeAccents: Hashable, Sendable {
    /// The cursor / selected token or cell.
    public var selection: RGB
    /// Tokens whose mask value hides them from attention (mask 0).
    public var masked: RGB
    /// Warnings and errors shown in the status line.
    public var warning: RGB
    /// Token labels and axis text.
    public var label: RGB
    /// Secondary text: hints, legends' tick labels, special tokens.
    public var dim: RGB

    public init(selection: RGB, masked: RGB, warning: RGB, label: RGB, dim: RGB) {
        self.selection = selection
        self.masked = masked
        self.warning = warning
        self.label = label
        self.dim = dim
    }
}
