/// Where each part of the explorer goes at the current size: a pure function of the state,
/// shared by rendering (to draw) and the reducer (to scroll and to hit-test the mouse).
public struct Layout: Equatable, Sendable {
    /// Below this the explorer shows "terminal too small" instead of a broken layout.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public let width: Int
    public let height: Int
    public let isTooSmall: Bool

    /// Rows of the two status lines, the token strip (tokens, then mask values).
    public let statusRow = 0
    public let semanticsRow = 1
    public let tokenRow = 2
    public let tokenMaskRow = 3
    /// The heatmap: vertical key labels, then a row of key mask values, then query rows.
    public let columnLabelTop: Int
    public let columnLabelHeight: Int
    public let keyMaskRow: Int
    public let gridTop: Int
    /// Query rows in view (lines × 2 in dense mode).
    public let visibleRows: Int
    /// Lines per query row: 1, or up to 3 when a short text leaves room, so cells stay
    /// roughly square on a large screen.
    public let rowHeight: Int
    public let gridLines: Int
    /// Left edge of the heatmap cells; row labels sit left of it.
    public let gridLeft: Int
    public let rowLabelWidth: Int
    /// Columns per key cell.
    public let cellWidth: Int
    /// Key columns in view.
    public let visibleColumns: Int
    /// The detail panel: beside the map when there is room, else two lines under it.
    public let panel: CellRect
    public let panelBeside: Bool
    public let legendRow: Int
    public let hintRow: Int
    public let dense: Bool
    /// Projector zoom: cells at least `zoomCellWidth` columns × `zoomRowHeight` lines, key
    /// labels on one line written across, no dense mode.
    public let zoom: Bool

    /// The smallest zoomed cell: 6 columns × 2 lines reads as a square from the back of a room.
    public static let zoomCellWidth = 6
    public static let zoomRowHeight = 2

    public init(state: AppState) {
        self.init(width: state.width, height: state.height, tokens: state.tokens,
                  dense: state.dense && !state.zoom && state.colors.hasSmoothColors && !state.theme.isMonochrome,
                  largeLegend: state.theme.largeLegend, zoom: state.zoom)
    }

    public init(width: Int, height: Int, tokens: [String], dense: Bool, largeLegend: Bool = false, zoom: Bool = false) {
        self.width = width
        self.height = height
        let dense = dense && !zoom
        self.dense = dense
        self.zoom = zoom
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        let count = max(1, tokens.count)
        let longestToken = tokens.map { DisplayWidth.of($0) }.max() ?? 1
        let digits = String(max(0, count - 1)).count
        rowLabelWidth = digits + 1 + min(max(longestToken, 5), 12) + 1
        hintRow = height - 1
        legendRow = height - (largeLegend ? 3 : 2)
        panelBeside = width >= 100
        let panelWidth = panelBeside ? min(44, max(32, width / 3)) : 0
        gridLeft = rowLabelWidth
        let gridWidth = max(0, width - gridLeft - (panelBeside ? panelWidth + 1 : 0))
        if zoom {
            // Wide enough for most labels written across, but never fewer than 4 columns.
            let wanted = min(9, max(Self.zoomCellWidth, longestToken + 1))
            cellWidth = max(4, min(wanted, gridWidth / 4))
        } else {
            cellWidth = min(7, max(3, gridWidth / count))
        }
        visibleColumns = max(1, min(count, gridWidth / cellWidth))
        columnLabelTop = 4
        let belowPanelLines = panelBeside ? 0 : 2
        // Lines between the labels' top and the legend for labels, the key mask row and rows.
        let available = max(0, legendRow - columnLabelTop - belowPanelLines - 1)
        let rowsPerLine = dense ? 2 : 1
        let linesForAllRows = (count + rowsPerLine - 1) / rowsPerLine
        let labelHeight = zoom ? 1 : min(max(3, longestToken), 10, max(3, available - 1 - linesForAllRows))
        columnLabelHeight = max(1, min(labelHeight, available - 2))
        keyMaskRow = columnLabelTop + columnLabelHeight
        gridTop = keyMaskRow + 1
        let linesLeft = max(1, legendRow - belowPanelLines - gridTop)
        if zoom {
            rowHeight = max(1, min(linesLeft, max(Self.zoomRowHeight, min(3, linesLeft / count))))
        } else {
            rowHeight = dense ? 1 : max(1, min(3, cellWidth / 2, linesLeft / count))
        }
        gridLines = max(1, min(linesForAllRows * rowHeight, linesLeft))
        visibleRows = min(count, dense ? gridLines * 2 : gridLines / rowHeight)
        if panelBeside {
            let x = width - panelWidth
            panel = CellRect(x: x, y: columnLabelTop, width: panelWidth, height: max(0, legendRow - columnLabelTop))
        } else {
            panel = CellRect(x: 0, y: gridTop + gridLines, width: width, height: belowPanelLines)
        }
    }

    /// The screen column where key column `key` starts, given the first column in view.
    public func columnX(_ key: Int, offset: Int) -> Int? {
        let index = key - offset
        guard index >= 0, index < visibleColumns else { return nil }
        return gridLeft + index * cellWidth
    }

    /// The screen line of query row `query`, given the first row in view.
    public func rowY(_ query: Int, offset: Int) -> Int? {
        let index = query - offset
        guard index >= 0, index < visibleRows else { return nil }
        return gridTop + (dense ? index / 2 : index * rowHeight)
    }

    /// Which query row and key column a screen position falls on, if any.
    public func cell(atX x: Int, y: Int, rowOffset: Int, columnOffset: Int, count: Int) -> (query: Int?, key: Int?) {
        var key: Int?
        if x >= gridLeft {
            let index = (x - gridLeft) / cellWidth
            if index < visibleColumns, columnOffset + index < count { key = columnOffset + index }
        }
        var query: Int?
        if y >= gridTop, y < gridTop + gridLines {
            let line = y - gridTop
            let index = dense ? line * 2 : line / rowHeight
            if index < visibleRows, rowOffset + index < count { query = rowOffset + index }
        }
        return (query, key)
    }

    /// The first position in view that keeps `selected` visible, moving `offset` as little as possible.
    static func scrolled(offset: Int, toShow selected: Int, visible: Int, count: Int) -> Int {
        var offset = offset
        if selected < offset { offset = selected }
        if selected >= offset + visible { offset = selected - visible + 1 }
        return max(0, min(offset, max(0, count - visible)))
    }
}
