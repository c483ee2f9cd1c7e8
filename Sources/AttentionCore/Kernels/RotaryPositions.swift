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

    /// Rotates `rows` tokens (row `t` at position `firstPosition + t`) of the queries and keys
    /// of one layer in place: `rows × queryHeads·headSize` floats at `queryStride`, `rows ×
    /// keyHeads·headSize` at `keyStride`.
    ///
    /// Token by token: the angles of a position are computed once for Q and K together, and
    /// each head's pairs are contiguous runs the compiler vectorizes. (Pair by pair over every
    /// token, it made 32 strided passes over Q and K and twice the `cosf`/`sinf` calls.) Each
    /// element gets the same float operations either way.
    func rotate(queries: UnsafeMutablePointer<Float>, queryStride: Int, queryHeads: Int,
                keys: UnsafeMutablePointer<Float>, keyStride: Int, keyHeads: Int, rows: Int, firstPosition: Int = 0) {
        let half = headSize / 2
        guard half > 0 else { return }
        // transformers computes inv_freq in float32: 1 / base^(2i/d).
        let inverseFrequencies = (0..<half).map { 1 / powf(base, Float(2 * $0) / Float(headSize)) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * half) { angles in
            guard let cosines = angles.baseAddress else { return }
            let sines = cosines + half
            for t in 0..<rows {
                for i in 0..<half {
                    let angle = Float(firstPosition + t) * inverseFrequencies[i]
                    cosines[i] = cosf(angle)
                    sines[i] = sinf(angle)
                }
                rotateToken(queries + t * queryStride, heads: queryHeads, cosines: cosines, sines: sines)
                rotateToken(keys + t * keyStride, heads: keyHeads, cosines: cosines, sines: sines)
            }
        }
    }

    /// Features `i` and `i + d/2` of each head of one token, rotated by the token's angles.
    @inline(__always)
    private func rotateToken(_ row: UnsafeMutablePointer<Float>, heads: Int,
                             cosines: UnsafePointer<Float>, sines: UnsafePointer<Float>) {
        let half = headSize / 2
        for head in 0..<heads {
            let low = row + head * headSize, high = low + half
            for i in 0..<half {
                let x1 = low[i], x2 = high[i]
                low[i] = x1 * cosines[i] - x2 * sines[i]
                high[i] = x2 * cosines[i] + x1 * sines[i]
            }
        }
    }
}
