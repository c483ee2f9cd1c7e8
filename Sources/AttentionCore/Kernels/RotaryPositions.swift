#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding applied in place to projected queries or keys, as transformers'
/// `apply_rotary_pos_emb` with `rotate_half`: in each head, features `i` and `i + d/2` form a
/// pair rotated by `t · base^(−2i/d)` radians at position `t`.
struct RotaryPositions {
    let base: Float
    let headSize: Int

    /// Rotates `rows` tokens (token `t` at position `t`), each `heads · headSize` features at
    /// `stride` floats apart.
    func rotate(_ vectors: UnsafeMutablePointer<Float>, rows: Int, stride: Int, heads: Int) {
        let half = headSize / 2
        guard half > 0 else { return }
        for i in 0..<half {
            // transformers computes inv_freq in float32: 1 / base^(2i/d).
            let inverseFrequency = 1 / powf(base, Float(2 * i) / Float(headSize))
            for t in 0..<rows {
                let angle = Float(t) * inverseFrequency
                let c = cosf(angle), s = sinf(angle)
                let row = vectors + t * stride
                for head in 0..<heads {
                    let pair = row + head * headSize
                    let x1 = pair[i], x2 = pair[i + half]
                    pair[i] = x1 * c - x2 * s
                    pair[i + half] = x2 * c + x1 * s
                }
            }
        }
    }
}
