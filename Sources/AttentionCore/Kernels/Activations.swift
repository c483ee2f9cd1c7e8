#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SIMDMath {
    /// GELU in its tanh approximation, in place (GPT-2's `gelu_new`, PyTorch's
    /// `gelu(approximate="tanh")`): `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
    static func tanhGELUInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let root2OverPi: Float = 0.797_884_560_802_865_4
        for i in 0..<count {
            let x = values[i]
            values[i] = 0.5 * x * (1 + tanhf(root2OverPi * (x + 0.044_715 * x * x * x)))
        }
    }

    /// The gated-SiLU MLP's middle step, in place in `inner`: `inner = SiLU(gate) ⊙ inner`,
    /// `SiLU(g) = g / (1 + e^(−g))` (Llama's `act_fn(gate_proj(x)) * up_proj(x)`).
    ///
    /// Vectorised with `SIMDMath.exp` (within a few float ulps of `expf`; 0 for `−g` below
    /// −87.7, where SiLU is `g·e^g` < 1e-36 anyway); the tail runs through the same vector code.
    static func gatedSiLUInPlace(_ inner: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let g = load(gate + i)
            store(load(inner + i) * (g / (1 + exp(-g))), inner + i)
            i += 16
        }
        if i < count {
            var g = Vector(repeating: 0), x = Vector(repeating: 0)
            for lane in 0..<(count - i) { g[lane] = gate[i + lane]; x[lane] = inner[i + lane] }
            let y = x * (g / (1 + exp(-g)))
            for lane in 0..<(count - i) { inner[i + lane] = y[lane] }
        }
    }

    /// The scalar `expf` form of `gatedSiLUInPlace`: the reference its tests compare against.
    static func gatedSiLUReference(_ inner: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            inner[i] *= g / (1 + expf(-g))
        }
    }
}
