import Testing
import AttentionCore
@testable import ExplorerUI

/// The overview's tile pixels against a per-cell reference: every weight of the block through
/// `ScaleFit.position` (the plain weight for `.perHead`), a NaN as 0, then the tile fitted to
/// its largest pixel (`.perHead`) or each pixel row to its largest (`.perRow`); masked ground
/// only when every cell of the block is closed.
@Suite struct OverviewPixelsTests {
    static func naive(_ maps: AttentionMaps, layer: Int, head: Int, scale: WeightScale, rows: Int, columns: Int,
                      closures: CellClosureMap) -> (means: [Float], closed: [Bool]) {
        let map = maps.headWeights(layer: layer, head: head)
        let fit = ScaleFit(scale == .perHead ? .absolute : scale, weights: map)
        let length = maps.length
        var means: [Float] = [], closed: [Bool] = []
        for py in 0..<rows {
            for px in 0..<columns {
                let q0 = py * length / rows, q1 = max(q0 + 1, (py + 1) * length / rows)
                let k0 = px * length / columns, k1 = max(k0 + 1, (px + 1) * length / columns)
                var sum: Float = 0, n: Float = 0, allClosed = true
                for q in q0..<min(q1, length) {
                    for k in k0..<min(k1, length) {
                        sum += Float(fit.position(map[q][k], query: q)); n += 1
                        if !closures.closure(query: q, key: k).isClosed { allClosed = false }
                    }
                }
                means.append(n > 0 ? sum / n : 0)
                closed.append(n > 0 && allClosed)
            }
        }
        func fitted(_ values: ArraySlice<Float>) -> [Float] {
            let top = values.max() ?? 0
            return values.map { top > 0 ? $0 / top : $0 }
        }
        switch scale {
        case .absolute: break
        case .perHead: means = fitted(means[...])
        case .perRow: means = (0..<rows).flatMap { fitted(means[$0 * columns..<($0 + 1) * columns]) }
        }
        return (means, closed)
    }

    @Test(arguments: WeightScale.allCases)
    func pixelsMatchThePerCellAverage(scale: WeightScale) throws {
        // 12 tokens: blocks of uneven size at 5 columns, repeated positions at 30 rows.
        let masked = press(try makeState("the cat sat on the mat and then it slept"), .character("l"), .character("0"))
        let result = try #require(masked.result)
        let maps = result.attention
        // One poisoned weight: it counts as 0, and does not spoil its block.
        maps.withHeadWeights(layer: 1, head: 2) { map in
            UnsafeMutablePointer(mutating: map.baseAddress!)[3 * maps.length + 4] = .nan
        }
        for (rows, columns) in [(5, 5), (8, 3), (30, 17), (1, 1)] {
            let pixels = OverviewPixels(length: maps.length, rows: rows, columns: columns, closures: masked.closureMap)
            for layer in 0..<maps.layerCount {
                for head in 0..<maps.headCount {
                    let want = Self.naive(maps, layer: layer, head: head, scale: scale, rows: rows, columns: columns,
                                          closures: masked.closureMap)
                    let got = pixels.means(of: maps, layer: layer, head: head, scale: scale)
                    let worst = zip(got, want.means).map { abs($0 - $1) }.max() ?? .infinity
                    #expect(worst < 1e-5, "\(scale) \(rows)×\(columns) L\(layer) h\(head): off by \(worst)")
                    #expect(!got.contains { $0.isNaN })
                    #expect(pixels.closed == want.closed, "\(rows)×\(columns)")
                }
            }
        }
        // One pixel per cell: exactly the heatmap's scale.
        let cells = OverviewPixels(length: maps.length, rows: maps.length, columns: maps.length, closures: masked.closureMap)
        #expect(cells.closed.contains(true), "the masked key closes whole pixels")
        let map = maps.headWeights(layer: 0, head: 0)
        let fit = ScaleFit(scale, weights: map)
        let heatmap = (0..<maps.length).flatMap { q in (0..<maps.length).map { k in Float(fit.position(map[q][k], query: q)) } }
        let worst = zip(cells.means(of: maps, layer: 0, head: 0, scale: scale), heatmap).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-6, "\(scale): one cell per pixel differs from the heatmap by \(worst)")
    }

    /// On a long text a block mean is small next to the map's largest single weight; fitted to
    /// the tile, every tile reaches the ramp's top instead of staying one dark color.
    @Test func aLongTextsTilesUseTheWholeRamp() throws {
        let words = (0..<60).map { ["the", "cat", "sat", "on", "a", "mat"][$0 % 6] }.joined(separator: " ")
        let state = try makeState(words)
        let maps = try #require(state.result).attention
        #expect(maps.length > 50)
        let pixels = OverviewPixels(length: maps.length, rows: 4, columns: 8, closures: state.closureMap)
        for head in 0..<maps.headCount {
            let values = pixels.means(of: maps, layer: 0, head: head, scale: .perHead)
            #expect(values.max() == 1, "head \(head): \(values)")
            let absolute = pixels.means(of: maps, layer: 0, head: head, scale: .absolute)
            #expect((absolute.max() ?? 1) < 0.5, "head \(head): block means on 0…1 stay small")
        }
    }
}
