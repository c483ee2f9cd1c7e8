/// The element types a `.safetensors` header may name, as spelled in the format's spec.
///
/// Only the floating types `F64`, `F32`, `F16` and `BF16` can be read as `Float`; the others
/// are recognised so that a checkpoint carrying them (e.g. BERT's `I64` `position_ids`) still
/// opens and its header is still validated.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E4M3FNUZ = "F8_E4M3FNUZ"
    case f8E5M2FNUZ = "F8_E5M2FNUZ"
    case f8E8M0 = "F8_E8M0"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"
    case c64 = "C64"

    /// Bits per element. The sub-byte types (`F4`, `F6_*`) are packed, so a tensor of them
    /// must hold a whole number of bytes.
    public var bitsPerElement: Int {
        switch self {
        case .f4: 4
        case .f6E2M3, .f6E3M2: 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E4M3FNUZ, .f8E5M2FNUZ, .f8E8M0: 8
        case .i16, .u16, .f16, .bf16: 16
        case .i32, .u32, .f32: 32
        case .f64, .i64, .u64, .c64: 64
        }
    }

    /// Whether `SafeTensorsFile.floats(_:)` can convert this type to `Float`.
    public var isReadableAsFloat: Bool {
        switch self {
        case .f32, .f16, .bf16, .f64: true
        default: false
        }
    }
}
