/// IEEE 754 binary16 bits → `Float`, exactly (every half value is a float value).
///
/// Written with bit operations rather than `Float16` because `Float16` is unavailable on
/// Intel Macs. Subnormals become normal floats; infinities and NaN payloads are kept.
public func floatFromHalfBits(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x03FF)
    switch exponent {
    case 0x1F:
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    case 0:
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    default:
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}

/// bfloat16 bits → `Float`, exactly: bfloat16 is the top half of a float's bits.
public func floatFromBFloat16Bits(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}
