/// A color a cell can be painted in. `.default` is the terminal's own foreground or background.
public enum CellColor: Hashable, Sendable {
    case `default`
    /// 24-bit color; backends quantize it to what the terminal can show.
    case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes of a cell, combinable.
public struct CellAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = CellAttributes(rawValue: 1 << 0)
    public static let dim = CellAttributes(rawValue: 1 << 1)
    public static let reverse = CellAttributes(rawValue: 1 << 2)
    public static let underline = CellAttributes(rawValue: 1 << 3)
    public static let italic = CellAttributes(rawValue: 1 << 4)
}

/// One character cell of the screen. A wide (2-column) glyph occupies its cell and the
/// next, which holds an empty `glyph` as a continuation marker.
public struct Cell: Hashable, Sendable {
    public var glyph: String
    public var foreground: CellColor
    public var background: CellColor
    public var attributes: CellAttributes

    public init(glyph: String = " ", foreground: CellColor = .default, background: CellColor = .default, attributes: CellAttributes = []) {
        self.glyph = glyph
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let blank = Cell()
}

/// What the renderer produces and a terminal backend paints: `height` rows of `width` cells.
public struct CellGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// The grid as plain text lines (glyphs only), the form tests compare against.
    public var textLines: [String] {
        (0..<height).map { y in
            (0..<width).map { x in cells[y * width + x].glyph }.joined()
        }
    }
}
