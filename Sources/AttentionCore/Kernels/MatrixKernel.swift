/// Which register-tiled inner loop multiplies matrices, chosen once from the CPU's features.
///
/// All three compute the same sums (up to float rounding order); they differ in vector width
/// and tile shape, i.e. in how close they get to the core's peak.
public enum MatrixKernel: String, Sendable, CaseIterable, CustomStringConvertible {
    /// 8×32 tile of `SIMD16<Float>`: needs AVX-512F's 32 wide registers.
    case simd16Tile8x32
    /// 6×16 tile of `SIMD8<Float>`: the AVX2 shape (16 registers); also good on ARM NEON.
    case simd8Tile6x16
    /// 4×8 tile of `SIMD4<Float>`: runs acceptably on any CPU.
    case simd4Tile4x8

    /// The fastest kernel for the running CPU.
    public static let best: MatrixKernel = best(for: .host)

    public static func best(for features: CPUFeatures) -> MatrixKernel {
        #if arch(x86_64)
        if features.hasAVX512F { return .simd16Tile8x32 }
        if features.hasAVX2 && features.hasFMA { return .simd8Tile6x16 }
        return .simd4Tile4x8
        #elseif arch(arm64)
        return .simd8Tile6x16
        #else
        return .simd4Tile4x8
        #endif
    }

    /// Rows of `A` (tokens) one tile covers.
    public var tileRows: Int {
        switch self {
        case .simd16Tile8x32: Tile8x32.rows
        case .simd8Tile6x16: Tile6x16.rows
        case .simd4Tile4x8: Tile4x8.rows
        }
    }

    /// Columns of `B` (output features) one tile covers; also the packed panel width.
    public var tileColumns: Int {
        switch self {
        case .simd16Tile8x32: Tile8x32.columns
        case .simd8Tile6x16: Tile6x16.columns
        case .simd4Tile4x8: Tile4x8.columns
        }
    }

    public var description: String {
        switch self {
        case .simd16Tile8x32: "SIMD16 8×32 (AVX-512)"
        case .simd8Tile6x16: "SIMD8 6×16 (AVX2)"
        case .simd4Tile4x8: "SIMD4 4×8 (portable)"
        }
    }
}
