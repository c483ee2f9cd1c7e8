import AttentionCore

/// The overview's tile pixels: each averages the block of weights it covers, placed on the
/// scale in use, and is masked ground when the mask closes every cell of its block.
///
/// The blocks and their closed flags are the same for every layer and head, so they are made
/// once per frame; each tile then reads its map once, in place. (Per cell, with a copy of each
/// map, the overview of 30 layers × 9 heads at 470 tokens cost ~300 ms of CPU per frame.)
struct OverviewPixels {
    let length: Int
    /// Pixel rows (two per line in color) and columns of one tile.
    let rows: Int
    let columns: Int
    /// Queries of pixel row `py` and keys of pixel column `px`.
    let queryRanges: [Range<Int>]
    let keyRanges: [Range<Int>]
    /// Whether the mask closes every cell of pixel `py * columns + px`.
    let closed: [Bool]

    init(length: Int, rows: Int, columns: Int, closures: CellClosureMap) {
        self.length = length
        self.rows = rows
        self.columns = columns
        // Pixel p covers p·L/n ..< (p+1)·L/n, at least one position; past the end it is empty.
        func ranges(_ count: Int) -> [Range<Int>] {
            (0..<count).map { p in
                let start = p * length / count, end = max(start + 1, (p + 1) * length / count)
                return min(start, length)..<min(end, length)
            }
        }
        queryRanges = ranges(rows)
        keyRanges = ranges(columns)
        var closed = [Bool](repeating: false, count: rows * columns)
        for (py, queries) in queryRanges.enumerated() where !queries.isEmpty {
            for (px, keys) in keyRanges.enumerated() where !keys.isEmpty {
                closed[py * columns + px] = queries.allSatisfy { query in
                    keys.allSatisfy { closures.closure(query: query, key: $0).isClosed }
                }
            }
        }
        self.closed = closed
    }

    /// Each pixel's value on the ramp (0…1), `[py * columns + px]`; 0 for an empty pixel.
    ///
    /// A pixel is the mean of its block's weights. On a long text a block holds tens of keys
    /// and a row's weights sum to 1, so block means are small even where a head attends
    /// strongly; fitted to the map's largest single weight (1 on every causal map: query 0
    /// sees only key 0) every tile would be one dark color. So the scale fits the tile as it
    /// fits the heatmap, with blocks for cells: `.perHead`, 0…the tile's largest block mean;
    /// `.perRow`, each weight over its row's largest, then each pixel row over its largest
    /// block; `.absolute` stays the plain mean on 0…1, comparable across tiles. Where a pixel
    /// is a single cell this is exactly the heatmap's scale. A NaN weight counts as 0.
    func means(of maps: AttentionMaps, layer: Int, head: Int, scale: WeightScale) -> [Float] {
        maps.withHeadWeights(layer: layer, head: head) { map -> [Float] in
            var means = [Float](repeating: 0, count: rows * columns)
            guard let base = map.baseAddress, length > 0 else { return means }
            // Each row is read once from memory (per row: its largest weight first, then its
            // blocks' sums from cache).
            for (py, queries) in queryRanges.enumerated() where !queries.isEmpty {
                for query in queries {
                    let row = base + query * length
                    let divisor = scale == .perRow ? ScaleFit.positive(Self.largest(row, count: length)) : 1
                    for (px, keys) in keyRanges.enumerated() where !keys.isEmpty {
                        means[py * columns + px] += Self.positionSum(row + keys.lowerBound, count: keys.count, divisor: divisor)
                    }
                }
                for (px, keys) in keyRanges.enumerated() where !keys.isEmpty {
                    means[py * columns + px] /= Float(queries.count * keys.count)
                }
            }
            switch scale {
            case .absolute:
                break
            case .perHead:
                let top = ScaleFit.positive(means.max() ?? 0)
                for index in means.indices { means[index] = min(means[index] / top, 1) }
            case .perRow:
                for py in 0..<rows {
                    let line = py * columns..<(py + 1) * columns
                    let top = ScaleFit.positive(means[line].max() ?? 0)
                    for index in line { means[index] = min(means[index] / top, 1) }
                }
            }
            return means
        }
    }

    /// The legend's words for the ramp's right end under `scale`, long and narrow, as `means`
    /// fits the tiles.
    static func captions(_ scale: WeightScale) -> (long: String, narrow: String) {
        switch scale {
        case .perHead: ("tile max (scale 0…each tile's brightest block · f: absolute)", "tile max")
        case .perRow: ("row max (scale 0…each pixel row's brightest block · f: per map)", "row max")
        case .absolute: ("1 (scale 0…1 absolute, block means · f: per map)", "1 absolute")
        }
    }

    /// The largest of `count` weights, NaN ignored.
    private static func largest(_ weights: UnsafePointer<Float>, count: Int) -> Float {
        var top = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            let block = UnsafeRawPointer(weights + index).loadUnaligned(as: SIMD8<Float>.self)
            // `.max` of a NaN lane keeps the other side: NaN > x is false.
            top = top.replacing(with: block, where: block .> top)
            index += 8
        }
        var result = top.max()
        while index < count {
            if weights[index] > result { result = weights[index] }
            index += 1
        }
        return result
    }

    /// Σ clamp(w / divisor, 0, 1) over `count` weights, NaN as 0. Weights are 0…1 and the
    /// divisor their maximum (or 1), so the clamp only matters for a NaN: the plain sum is used
    /// unless it is NaN.
    private static func positionSum(_ weights: UnsafePointer<Float>, count: Int, divisor: Float) -> Float {
        var sums = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            sums += UnsafeRawPointer(weights + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var sum = sums.sum()
        while index < count {
            sum += weights[index]
            index += 1
        }
        let scaled = sum / divisor
        if !scaled.isNaN { return scaled }
        var exact: Float = 0
        for key in 0..<count where !weights[key].isNaN { exact += min(max(weights[key] / divisor, 0), 1) }
        return exact
    }
}
