import Foundation

/// A color in Björn Ottosson's OKLab space (https://bottosson.github.io/posts/oklab/).
///
/// Why: equal steps in OKLab look like equal steps to the eye, so blending theme stops here keeps
/// a heatmap's perceived brightness proportional to the attention weight; blending in sRGB makes
/// midpoints muddy and darker than either end. `lightness` is 0 (black) … 1 (white); `a` is
/// green (−) … red (+), `b` is blue (−) … yellow (+), both roughly within ±0.4 for sRGB colors.
public struct OKLab: Hashable, Sendable {
    public var lightness: Double
    public var a: Double
    public var b: Double

    public init(lightness: Double, a: Double, b: Double) {
        self.lightness = lightness
        self.a = a
        self.b = b
    }

    public init(_ color: RGB) {
        let r = Self.linear(color.red), g = Self.linear(color.green), bl = Self.linear(color.blue)
        let l = cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * bl)
        let m = cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * bl)
        let s = cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * bl)
        lightness = 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s
        a = 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s
        b = 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s
    }

    /// The nearest sRGB color, each channel clipped to the displayable range and rounded.
    public var rgb: RGB {
        // Cubes as products: `pow` costs ~20 ns, and a heatmap frame converts every cell.
        let lRoot = lightness + 0.3963377774 * a + 0.2158037573 * b
        let mRoot = lightness - 0.1055613458 * a - 0.0638541728 * b
        let sRoot = lightness - 0.0894841775 * a - 1.2914855480 * b
        let l = lRoot * lRoot * lRoot
        let m = mRoot * mRoot * mRoot
        let s = sRoot * sRoot * sRoot
        let r = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s
        let g = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s
        let bl = -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s
        return RGB(red: Self.encoded(r), green: Self.encoded(g), blue: Self.encoded(bl))
    }

    /// The point `fraction` of the way from `start` to `end` (0 gives `start`, 1 gives `end`).
    public static func mix(_ start: OKLab, _ end: OKLab, _ fraction: Double) -> OKLab {
        OKLab(
            lightness: start.lightness + (end.lightness - start.lightness) * fraction,
            a: start.a + (end.a - start.a) * fraction,
            b: start.b + (end.b - start.b) * fraction
        )
    }

    /// Euclidean distance, OKLab's measure of how different two colors look (≈0.02 is just noticeable).
    public func distance(to other: OKLab) -> Double {
        let dl = lightness - other.lightness, da = a - other.a, db = b - other.b
        return (dl * dl + da * da + db * db).squareRoot()
    }

    private static func linear(_ channel: UInt8) -> Double {
        let c = Double(channel) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    private static func encoded(_ linear: Double) -> UInt8 {
        guard linear.isFinite else { return 0 }
        let c = linear <= 0.0031308 ? 12.92 * linear : 1.055 * pow(linear, 1 / 2.4) - 0.055
        return UInt8((min(max(c, 0), 1) * 255).rounded())
    }
}
