import Foundation

/// Which weight the color scale's top stands for. Real heads peak around 0.3–0.5, so a fixed
/// 0…1 scale leaves most of the ramp unused; fitting it to the map (or to each row) spreads
/// the weights on screen over every color. `f` cycles through the three.
public enum WeightScale: String, CaseIterable, Codable, Sendable {
    /// 0…the largest weight of the map on screen (the default).
    case perHead
    /// 0…1: colors comparable across heads, layers and texts.
    case absolute
    /// 0…each row's largest weight: every query's favourite key gets the top color.
    case perRow

    /// The next scale `f` switches to.
    public var next: WeightScale {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }

    /// A short name for the legend and status line.
    public var name: String {
        switch self {
        case .perHead: return "per map"
        case .absolute: return "absolute"
        case .perRow: return "per row"
        }
    }
}

/// A scale fitted to one map: turns a weight into the 0…1 position on the color ramp.
struct ScaleFit {
    let scale: WeightScale
    /// The weight at the ramp's top for `.perHead` and `.absolute`.
    let top: Float
    /// Each row's largest weight, for `.perRow`.
    let rowTops: [Float]

    /// - Parameter weights: the map on screen, `[query][key]`.
    init(_ scale: WeightScale, weights: [[Float]]) {
        self.scale = scale
        switch scale {
        case .absolute:
            top = 1
            rowTops = []
        case .perHead:
            top = Self.positive(weights.lazy.compactMap { $0.max() }.max() ?? 0)
            rowTops = []
        case .perRow:
            top = 1
            rowTops = weights.map { Self.positive($0.max() ?? 0) }
        }
    }

    /// A top of 0 (an all-zero map) or NaN would divide by nothing: fall back to 1.
    static func positive(_ value: Float) -> Float {
        value.isFinite && value > 0 ? value : 1
    }

    /// Where `weight` of row `query` sits on the ramp, 0…1.
    func position(_ weight: Float, query: Int) -> Double {
        let divisor = scale == .perRow && rowTops.indices.contains(query) ? rowTops[query] : top
        let value = Double(weight / divisor)
        return value.isNaN ? 0 : min(max(value, 0), 1)
    }

    /// The legend's words for the ramp's right end, e.g. "0.43 (scale per map · f)".
    var caption: String {
        switch scale {
        case .absolute: return "1 (scale 0…1 absolute · f: per map)"
        case .perHead: return String(format: "%.2f (scale 0…max of this map · f: absolute)", Double(top))
        case .perRow:
            let low = rowTops.min() ?? 1, high = rowTops.max() ?? 1
            return String(format: "row max (scale per row, max %.2f…%.2f · f: per map)", Double(low), Double(high))
        }
    }

    /// The legend's words at 80 columns: "0.43 map max".
    var narrowCaption: String {
        switch scale {
        case .absolute: return "1 absolute"
        case .perHead: return String(format: "%.2f map max", Double(top))
        case .perRow: return "row max"
        }
    }

    /// The short form for the status line: "scale 0…0.43".
    var shortCaption: String {
        switch scale {
        case .absolute: return "scale 0…1"
        case .perHead: return String(format: "scale 0…%.2f", Double(top))
        case .perRow: return "scale per row"
        }
    }
}
