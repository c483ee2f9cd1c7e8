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

    /// The cell at column `x`, row `y`. Reading outside the grid gives `.blank`; writing
    /// outside it does nothing, so renderers can clip by simply drawing.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[y * width + x]
        }
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

/// A rectangle of cells: columns `x..<x+width`, rows `y..<y+height`.
public struct CellRect: Equatable, Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

extension Cell {
    /// The empty glyph that marks the right half of a wide (2-column) glyph.
    public static let continuationGlyph = ""

    /// Whether this cell is the right half of the wide glyph to its left.
    public var isContinuation: Bool { glyph.isEmpty }
}

extension CellGrid {
    /// Writes `text` from column `x` of row `y` and returns how many columns it advanced
    /// (so the next write can start at `x + used`; columns left of the grid count too).
    ///
    /// Each grapheme cluster takes its display width (see `DisplayWidth`): a wide glyph fills
    /// its cell and the next, which gets `Cell.continuationGlyph`. Writing stops at the grid's
    /// right edge or after `maxWidth` columns, whichever comes first, and never splits a wide
    /// glyph: one that does not fit whole is left out, and the cells after the last written one
    /// are untouched. Control characters and stand-alone zero-width characters (a combining
    /// mark with no base) are skipped; expand tabs before calling. Writing over half of an
    /// existing wide glyph blanks its other half, so no half glyph remains.
    @discardableResult
    public mutating func put(
        _ text: String,
        x: Int,
        y: Int,
        fg: CellColor = .default,
        bg: CellColor = .default,
        attributes: CellAttributes = [],
        maxWidth: Int? = nil
    ) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = maxWidth.map { min(width, x + max(0, $0)) } ?? width
        var column = x
        for character in text {
            let columns = DisplayWidth.of(character)
            if columns == 0 { continue }
            if column + columns > limit { break }
            if columns <= 2 {
                if column >= 0 {
                    let cell = Cell(glyph: String(character), foreground: fg, background: bg, attributes: attributes)
                    place(cell, wide: columns == 2, x: column, y: y)
                }
                column += columns
                continue
            }
            for piece in Self.cellGlyphs(of: character, columns: columns) {
                if column >= 0 {
                    let cell = Cell(glyph: piece.glyph, foreground: fg, background: bg, attributes: attributes)
                    place(cell, wide: piece.columns == 2, x: column, y: y)
                }
                column += piece.columns
            }
        }
        return column - x
    }

    /// The glyphs one grapheme cluster occupies cells with. A cluster wider than 2 columns
    /// that is not an emoji (a Devanagari conjunct, say) is drawn by terminals scalar by scalar,
    /// so it is split the same way: each spacing scalar with the marks that follow it.
    private static func cellGlyphs(of character: Character, columns: Int) -> [(glyph: String, columns: Int)] {
        guard columns > 2 else { return [(String(character), columns)] }
        var pieces: [(glyph: String, columns: Int)] = []
        for scalar in character.unicodeScalars {
            let scalarColumns = DisplayWidth.of(scalar)
            if scalarColumns == 0, !pieces.isEmpty {
                pieces[pieces.count - 1].glyph.unicodeScalars.append(scalar)
            } else if scalarColumns > 0 {
                pieces.append((String(scalar), scalarColumns))
            }
        }
        return pieces
    }

    /// Sets every cell of `rect` (clipped to the grid) to `cell`, blanking the halves of wide
    /// glyphs cut by its left and right edges.
    public mutating func fill(_ rect: CellRect, with cell: Cell = .blank) {
        let left = max(0, rect.x)
        let right = min(width, rect.x + rect.width)
        let top = max(0, rect.y)
        let bottom = min(height, rect.y + rect.height)
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            breakWideGlyph(at: left, y: row)
            breakWideGlyph(at: right - 1, y: row)
            for column in left..<right {
                cells[row * width + column] = cell
            }
        }
    }

    /// Puts `cell` at (x, y), plus a continuation cell at x+1 when `wide`, after blanking the
    /// halves of any wide glyph this write would cut.
    private mutating func place(_ cell: Cell, wide: Bool, x: Int, y: Int) {
        breakWideGlyph(at: x, y: y)
        var continuation = cell
        continuation.glyph = Cell.continuationGlyph
        if wide {
            breakWideGlyph(at: x + 1, y: y)
            cells[y * width + x + 1] = continuation
        }
        cells[y * width + x] = cell
    }

    /// If (x, y) holds half of a wide glyph, turns both halves into spaces of the same colors,
    /// so that overwriting one half leaves no orphan.
    private mutating func breakWideGlyph(at x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        if cells[index].isContinuation {
            cells[index].glyph = " "
            if x > 0 { cells[index - 1].glyph = " " }
        } else if x + 1 < width, cells[index + 1].isContinuation {
            cells[index].glyph = " "
            cells[index + 1].glyph = " "
        }
    }
}
