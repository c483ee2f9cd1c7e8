@testable import AttentionCore

/// The per-element scalar dequantizers as they were before the SIMD rewrite (one element at a
/// time, gguf-py's operation order), kept as the reference `DequantizerSIMDParityTests` holds
/// the vectorized `GGMLDequantizer` to, bit for bit. `block` points at one block of the type;
/// the result is its `blockSize` floats.
enum ScalarDequantizerReference {
    static func dequantize(_ type: GGMLType, block b: UnsafeRawPointer) -> [Float] {
        switch type {
        case .q4_0: q4_0(b)
        case .q4_1: q4_1(b)
        case .q5_0: q5_0(b)
        case .q5_1: q5_1(b)
        case .q8_0: q8_0(b)
        case .q2_K: q2_K(b)
        case .q3_K: q3_K(b)
        case .q4_K: q4_K(b)
        case .q5_K: q5_K(b)
        case .q6_K: q6_K(b)
        default: []
        }
    }

    static func half(_ b: UnsafeRawPointer, _ offset: Int) -> Float {
        floatFromHalfBits(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    static func byte(_ b: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        b.load(fromByteOffset: offset, as: UInt8.self)
    }

    // MARK: Legacy (32 elements)

    static func q4_0(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 32)
        let d = half(b, 0)
        for j in 0..<16 {
            let x = byte(b, 2 + j)
            out[j] = d * Float(Int8(x & 0x0F) - 8)
            out[j + 16] = d * Float(Int8(x >> 4) - 8)
        }
        return out
    }

    static func q4_1(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 32)
        let d = half(b, 0), m = half(b, 2)
        for j in 0..<16 {
            let x = byte(b, 4 + j)
            out[j] = d * Float(x & 0x0F) + m
            out[j + 16] = d * Float(x >> 4) + m
        }
        return out
    }

    static func q5_0(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 32)
        let d = half(b, 0)
        let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        for j in 0..<16 {
            let x = byte(b, 6 + j)
            let low = (x & 0x0F) | UInt8(truncatingIfNeeded: (qh >> UInt32(j)) & 1) << 4
            let high = (x >> 4) | UInt8(truncatingIfNeeded: (qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(Int8(low) - 16)
            out[j + 16] = d * Float(Int8(high) - 16)
        }
        return out
    }

    static func q5_1(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 32)
        let d = half(b, 0), m = half(b, 2)
        let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        for j in 0..<16 {
            let x = byte(b, 8 + j)
            let low = (x & 0x0F) | UInt8(truncatingIfNeeded: (qh >> UInt32(j)) & 1) << 4
            let high = (x >> 4) | UInt8(truncatingIfNeeded: (qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(low) + m
            out[j + 16] = d * Float(high) + m
        }
        return out
    }

    static func q8_0(_ b: UnsafeRawPointer) -> [Float] {
        let d = half(b, 0)
        return (0..<32).map { Float(Int8(bitPattern: byte(b, 2 + $0))) * d }
    }

    // MARK: K-quants (256 elements)

    static func q2_K(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 256)
        let d = half(b, 80), dmin = half(b, 82)
        for group in 0..<16 {
            let scale = byte(b, group)
            let dl = d * Float(scale & 0x0F), ml = dmin * Float(scale >> 4)
            for k in 0..<16 {
                let i = group * 16 + k
                let h = i >> 7, s = (i >> 5) & 3, l = i & 31
                let q = (byte(b, 16 + h * 32 + l) >> UInt8(2 * s)) & 3
                out[i] = dl * Float(q) - ml
            }
        }
        return out
    }

    static func q3_K(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 256)
        let d = half(b, 108)
        for group in 0..<16 {
            let low = group < 8 ? byte(b, 96 + group) & 0x0F : byte(b, 96 + group - 8) >> 4
            let high = (byte(b, 104 + (group & 3)) >> UInt8(2 * (group >> 2))) & 3
            let dl = d * Float(Int8(low | high << 4) - 32)
            for k in 0..<16 {
                let i = group * 16 + k
                let h = i >> 7, s = (i >> 5) & 3, l = i & 31
                let q = Int8((byte(b, 32 + h * 32 + l) >> UInt8(2 * s)) & 3)
                let bit = Int8((byte(b, l) >> UInt8(i >> 5)) & 1)
                out[i] = dl * Float(q - ((bit ^ 1) << 2))
            }
        }
        return out
    }

    static func scaleAndMin(_ b: UnsafeRawPointer, _ offset: Int, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (byte(b, offset + j) & 0x3F, byte(b, offset + j + 4) & 0x3F)
        }
        let packed = byte(b, offset + j + 4)
        return ((packed & 0x0F) | ((byte(b, offset + j - 4) >> 2) & 0x30),
                (packed >> 4) | ((byte(b, offset + j) >> 2) & 0x30))
    }

    static func q4_K(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 256)
        let d = half(b, 0), dmin = half(b, 2)
        for group in 0..<8 {
            let (scale, minimum) = scaleAndMin(b, 4, group)
            let dl = d * Float(scale), ml = dmin * Float(minimum)
            let c = group >> 1, shift = UInt8(4 * (group & 1))
            for l in 0..<32 {
                out[group * 32 + l] = dl * Float((byte(b, 16 + c * 32 + l) >> shift) & 0x0F) - ml
            }
        }
        return out
    }

    static func q5_K(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 256)
        let d = half(b, 0), dmin = half(b, 2)
        for group in 0..<8 {
            let (scale, minimum) = scaleAndMin(b, 4, group)
            let dl = d * Float(scale), ml = dmin * Float(minimum)
            let c = group >> 1, shift = UInt8(4 * (group & 1))
            for l in 0..<32 {
                let q = ((byte(b, 48 + c * 32 + l) >> shift) & 0x0F) | ((byte(b, 16 + l) >> UInt8(group)) & 1) << 4
                out[group * 32 + l] = dl * Float(q) - ml
            }
        }
        return out
    }

    static func q6_K(_ b: UnsafeRawPointer) -> [Float] {
        var out = [Float](repeating: 0, count: 256)
        let d = half(b, 208)
        for group in 0..<16 {
            let dl = d * Float(Int8(bitPattern: byte(b, 192 + group)))
            for k in 0..<16 {
                let i = group * 16 + k
                let h = i >> 7, e = i & 127
                let low = (byte(b, h * 64 + (e & 63)) >> UInt8(4 * (e >> 6))) & 0x0F
                let high = (byte(b, 128 + h * 32 + (e & 31)) >> UInt8(2 * (e >> 5))) & 3
                out[i] = dl * Float(Int8(low | high << 4) - 32)
            }
        }
        return out
    }
}
