/// A three-stop scale for signed differences ("diff" views: weights after a mask edit minus before).
///
/// −1 is `negative`, 0 is `neutral`, +1 is `positive`; in between the color is blended in OKLab.
/// `neutral` should sit close to the theme background so that "no change" recedes.
public struct DivergingScale: Hashable, Sendable {
    public var negative: RGB
    public var neutral: RGB
    public var positive: RGB

    public init(negative: RGB, neutral: RGB, positive: RGB) {
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
    }

    /// The color for `delta`, clamped to −1…1; NaN reads as 0 (neutral).
    public func color(at delta: Double) -> RGB {
        let clamped = delta.isNaN ? 0 : min(max(delta, -1), 1)
        let end = clamped < 0 ? negative : positive
        return OKLab.mix(OKLab(neutral), OKLab(end), abs(clamped)).rgb
    }
}
