/// `exp` and `erf` on 16 floats at once, for softmax and GELU: libm's scalar `expf`/`erff` cost
/// ~20 cycles each, and a 512-token MiniLM forward needs ~19 million exponentials.
///
/// Built with `-target-cpu native` (Package.swift) each function is a short run of AVX-512
/// instructions. Accuracy: `exp` within ~2 ulp (Cephes' polynomial); `erf` is the
/// Abramowitz–Stegun 7.1.26 approximation (absolute error < 1.5e-7), the one PyTorch's
/// vectorized CPU `erf` (and so its exact GELU) uses.
enum SIMDMath {
    typealias Vector = SIMD16<Float>

    /// Inputs are clamped to this: the power of two built from it is `2^-127`, whose bit
    /// pattern is +0, so `exp` returns exactly 0 for every `x` below about −87.7 (where the true
    /// value is subnormal), −∞ (a masked logit) included, without a per-lane select.
    static let expLowerLimit: Float = -88.0

    /// `e^x` per lane; 0 below about −87.7 (where the true value is subnormal).
    // `@_transparent`, not `@inline(__always)`: with the latter the optimizer still left it a call
    // inside `maskedSoftmaxRow`, passing the 64-byte vector in four xmm pieces each way.
    @_transparent
    static func exp(_ x: Vector) -> Vector {
        let log2e: Float = 1.442_695_04
        let ln2High: Float = 0.693_359_375
        let ln2Low: Float = -2.121_944_4e-4
        // Adding 1.5·2^23 rounds to the nearest integer, which then sits in the low mantissa bits.
        let roundingMagic: Float = 12_582_912
        let clamped = minimum(maximum(x, Vector(repeating: expLowerLimit)), Vector(repeating: 88.37))
        // Fused multiply-adds (one `vfmadd` each with the host CPU target) halve the
        // dependent steps of the reduction and of Horner's rule.
        let shifted = Vector(repeating: roundingMagic).addingProduct(clamped, log2e)
        let n = shifted - roundingMagic
        var r = clamped.addingProduct(n, -ln2High)
        r = r.addingProduct(n, -ln2Low)
        var p = Vector(repeating: 1.398_199_95e-3).addingProduct(Vector(repeating: 1.987_569_15e-4), r)
        p = Vector(repeating: 8.333_451_9e-3).addingProduct(p, r)
        p = Vector(repeating: 4.166_579_59e-2).addingProduct(p, r)
        p = Vector(repeating: 1.666_666_55e-1).addingProduct(p, r)
        p = Vector(repeating: 5.000_000_12e-1).addingProduct(p, r)
        p = (r + 1).addingProduct(p, r * r)
        let exponentBits = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponentBits, to: Vector.self)
    }

    /// `erf(x)` per lane, as PyTorch computes it on CPU:
    /// `sign(x) · (1 − t·poly(t)·e^(−x²))` with `t = 1 / (1 + 0.3275911·|x|)`.
    @inline(__always)
    static func erf(_ x: Vector) -> Vector {
        let signBit = SIMD16<UInt32>(repeating: 0x8000_0000)
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        let magnitude = unsafeBitCast(bits & ~signBit, to: Vector.self)
        let t = 1 / Vector(repeating: 1).addingProduct(magnitude, 0.327_591_1)
        var r = Vector(repeating: -1.453_152_027).addingProduct(Vector(repeating: 1.061_405_429), t)
        r = Vector(repeating: 1.421_413_741).addingProduct(r, t)
        r = Vector(repeating: -0.284_496_736).addingProduct(r, t)
        r = Vector(repeating: 0.254_829_592).addingProduct(r, t)
        let positive = Vector(repeating: 1).addingProduct(-(r * t), exp(-(x * x)))
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

    /// The larger of each pair of lanes. Written as a lane loop, which LLVM turns into one
    /// `vmaxps`: Swift's `pointwiseMax` and `SIMDMask`-based selects are lowered lane by lane.
    @inline(__always)
    static func maximum(_ a: Vector, _ b: Vector) -> Vector {
        var result = Vector()
        for lane in 0..<16 { result[lane] = a[lane] > b[lane] ? a[lane] : b[lane] }
        return result
    }

    /// The smaller of each pair of lanes, as `maximum`.
    @inline(__always)
    static func minimum(_ a: Vector, _ b: Vector) -> Vector {
        var result = Vector()
        for lane in 0..<16 { result[lane] = a[lane] < b[lane] ? a[lane] : b[lane] }
        return result
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
