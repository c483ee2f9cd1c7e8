/// A sequential color scale: evenly spaced sRGB stops blended in OKLab.
///
/// Maps an attention weight in 0…1 to a color. Stop 0 is weight 0 and the last stop is weight 1;
/// between two stops the color moves in a straight line through OKLab, so perceived lightness
/// changes at the rate the stops set and midpoints do not turn gray or dark as sRGB blends do.
public struct ColorScale: Hashable, Sendable {
    /// The stops as written, weight 0 first. Always at least two.
    public let stops: [RGB]
    private let labStops: [OKLab]

    /// Nil when there are fewer than two stops: one color cannot show a weight.
    public init?(stops: [RGB]) {
        guard stops.count >= 2 else { return nil }
        self.stops = stops
        labStops = stops.map(OKLab.init)
    }

    /// A two-stop scale, which always exists.
    public init(from start: RGB, to end: RGB) {
        stops = [start, end]
        labStops = stops.map(OKLab.init)
    }

    /// The color for `weight`, clamped to 0…1; NaN reads as 0 so a broken weight shows as "no attention".
    public func color(at weight: Double) -> RGB {
        lab(at: weight).rgb
    }

    /// The OKLab point for `weight` before it is rounded to sRGB (lightness checks use this).
    public func lab(at weight: Double) -> OKLab {
        let clamped = weight.isNaN ? 0 : min(max(weight, 0), 1)
        let position = clamped * Double(labStops.count - 1)
        let lower = min(Int(position), labStops.count - 2)
        return OKLab.mix(labStops[lower], labStops[lower + 1], position - Double(lower))
    }

    /// The weight whose scale color looks closest to `color` (nearest in OKLab, to 1/255): the
    /// inverse of `color(at:)`, for reading a weight back from a color that was quantized.
    public func weight(nearestTo color: RGB) -> Double {
        let target = OKLab(color)
        var best = (weight: 0.0, distance: Double.infinity)
        for step in 0...255 {
            let weight = Double(step) / 255
            let distance = lab(at: weight).distance(to: target)
            if distance < best.distance { best = (weight, distance) }
        }
        return best.weight
    }
}
