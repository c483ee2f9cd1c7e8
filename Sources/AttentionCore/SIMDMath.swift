/// `exp` and `erf` on 16 floats at once, for softmax and GELU: libm's scalar `expf`/`erff` cost
/// ~20 cycles each, and a 512-token MiniLM forward needs ~19 million exponentials.
///
/// Built with `-target-cpu native` (Package.swift) each function is a short run of AVX-512
/// instructions. Accuracy: `exp` within ~2 ulp (Cephes' polynomial); `erf` is the
/// Abramowitz–Stegun 7.1.26 approximation (absolute error < 1.5e-7), the one PyTorch's
/// vectorized CPU `erf` (and so its exact GELU) uses.
enum SIMDMath {
    typealias Vector = SIMD16<Float>

    /// Below this, `exp` is smaller than the least normal float and is returned as 0
    /// (including −∞, a masked logit).
    static let expLowerLimit: Float = -87.33

    /// `e^x` per lane; 0 for `x < -87.33` (where the true value is subnormal), +∞ past 88.7.
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        let log2e: Float = 1.442_695_04
        let ln2High: Float = 0.693_359_375
        let ln2Low: Float = -2.121_944_4e-4
        // Adding 1.5·2^23 rounds to the nearest integer, which then sits in the low mantissa bits.
        let roundingMagic: Float = 12_582_912
        let lower = Vector(repeating: expLowerLimit), upper = Vector(repeating: 88.37)
        let tooSmall = x .< lower
        let clamped = select(tooSmall, lower, select(x .> upper, upper, x))
        let shifted = clamped * log2e + roundingMagic
        let n = shifted - roundingMagic
        var r = clamped - n * ln2High
        r = r - n * ln2Low
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * (r * r) + r + 1
        let exponentBits = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        let result = p * unsafeBitCast(exponentBits, to: Vector.self)
        return select(tooSmall, Vector(repeating: 0), result)
    }

    /// `erf(x)` per lane, as PyTorch computes it on CPU:
    /// `sign(x) · (1 − t·poly(t)·e^(−x²))` with `t = 1 / (1 + 0.3275911·|x|)`.
    @inline(__always)
    static func erf(_ x: Vector) -> Vector {
        let signBit = SIMD16<UInt32>(repeating: 0x8000_0000)
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        let magnitude = unsafeBitCast(bits & ~signBit, to: Vector.self)
        let t = 1 / (magnitude * 0.327_591_1 + 1)
        var r = Vector(repeating: 1.061_405_429)
        r = r * t - 1.453_152_027
        r = r * t + 1.421_413_741
        r = r * t - 0.284_496_736
        r = r * t + 0.254_829_592
        let positive = 1 - r * t * exp(-(x * x))
        return unsafeBitCast(unsafeBitCast(positive, to: SIMD16<UInt32>.self) | (bits & signBit), to: Vector.self)
    }

    /// Exact (erf) GELU in place, BERT's `hidden_act: "gelu"`: `x/2 · (1 + erf(x/√2))`.
    static func geluInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let x = load(values + i)
            store(x * 0.5 * (1 + erf(x * 0.707_106_781_186_547_52)), values + i)
            i += 16
        }
        if i < count {
            var x = Vector(repeating: 0)
            for lane in 0..<(count - i) { x[lane] = values[i + lane] }
            let y = x * 0.5 * (1 + erf(x * 0.707_106_781_186_547_52))
            for lane in 0..<(count - i) { values[i + lane] = y[lane] }
        }
    }

    /// `mask ? whenTrue : whenFalse` per lane, as bitwise operations: Swift's generic
    /// `replacing(with:where:)` and `pointwiseMin/Max` are lowered lane by lane.
    @inline(__always)
    static func select(_ mask: SIMDMask<SIMD16<Int32>>, _ whenTrue: Vector, _ whenFalse: Vector) -> Vector {
        let lanes = unsafeBitCast(mask, to: SIMD16<Int32>.self)
        let a = unsafeBitCast(whenTrue, to: SIMD16<Int32>.self)
        let b = unsafeBitCast(whenFalse, to: SIMD16<Int32>.self)
        return unsafeBitCast((a & lanes) | (b & ~lanes), to: Vector.self)
    }

    /// The larger of each pair of lanes (either one when they are equal; not NaN-aware).
    @inline(__always)
    static func maximum(_ a: Vector, _ b: Vector) -> Vector {
        select(a .> b, a, b)
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }
}
