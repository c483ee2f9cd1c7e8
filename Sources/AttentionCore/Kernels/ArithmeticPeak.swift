/// The most floating-point work the cores can do at all: fused multiply-adds on vector
/// registers of the widest width the CPU has (`SIMD16<Float>` with AVX-512, else `SIMD8`),
/// with no memory traffic. `maskscope bench` prints it beside the matrix-multiply
/// peak, so a pass's GFLOP/s can be read against what the hardware allows, not only against
/// our own kernel. (On a Zen 4 core, which runs 512-bit FMAs as two 256-bit halves, this is
/// about 32 FLOP per cycle; a kernel cannot beat it, whatever its blocking.)
public enum ArithmeticPeak {
    /// GFLOP/s (2 per multiply-add per lane) of `threads` threads each running independent FMA
    /// chains: the best of several rounds within about `seconds`.
    public static func measure(threads: Int, seconds: Double = 0.1) -> Double {
        let pool = WorkerPool(threads: threads)
        let iterations = 200_000
        let wide = CPUFeatures.host.hasAVX512F
        let flopsPerPart = Double(iterations * 12 * (wide ? 16 : 8) * 2)
        var best = 0.0
        let end = MonotonicClock.seconds() + seconds
        var sink: Float = 0
        repeat {
            var results = [Float](repeating: 0, count: pool.threads)
            let start = MonotonicClock.seconds()
            results.withUnsafeMutableBufferPointer { slots in
                guard let base = slots.baseAddress else { return }
                pool.run { part in
                    base[part] = wide ? fmaChains(SIMD16<Float>.self, iterations: iterations, seed: Float(part))
                        : fmaChains(SIMD8<Float>.self, iterations: iterations, seed: Float(part))
                }
            }
            let elapsed = MonotonicClock.seconds() - start
            sink += results.reduce(0, +)
            best = max(best, flopsPerPart * Double(pool.threads) / elapsed / 1e9)
        } while MonotonicClock.seconds() < end
        // Keeps the chains' results observable, so the loop cannot be optimized away.
        if sink.isNaN { best = 0 }
        return best
    }

    /// Twelve independent accumulators: enough to cover the FMA latency on two pipes. `V` is
    /// `SIMD16` with AVX-512 and `SIMD8` without: `SIMD16` on AVX2 takes two registers per
    /// accumulator, 24 of its 16, and the spills would measure memory, not the FMA pipes.
    @inline(never)
    static func fmaChains<V: SIMD>(_ vector: V.Type, iterations: Int, seed: Float) -> Float where V.Scalar == Float {
        let x = V(repeating: 0.999_9), y = V(repeating: 1e-4)
        var a0 = V(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        for _ in 0..<iterations {
            a0.addProduct(x, y); a1.addProduct(x, y); a2.addProduct(x, y); a3.addProduct(x, y)
            a4.addProduct(x, y); a5.addProduct(x, y); a6.addProduct(x, y); a7.addProduct(x, y)
            a8.addProduct(x, y); a9.addProduct(x, y); a10.addProduct(x, y); a11.addProduct(x, y)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
    }
}
