/// A checkpoint matrix `[rows][columns]` as loading found it: a float32 tensor left in the mapped
/// file (`MappedFloats`), or values converted from another type.
///
/// Left in place, a layer matrix is packed straight from the file and a word-embedding table is
/// read a row per token, so loading copies neither (MiniLM: 42.5 + 47 MB of fresh memory that
/// cost more to fault in than to fill). `matrix` copies on demand, for code that wants values.
struct LoadedMatrix: Sendable, Equatable {
    private enum Storage: Sendable {
        case values(Matrix)
        case mapped(MappedFloats, rows: Int, columns: Int)
    }

    private var storage: Storage

    init(_ matrix: Matrix) { storage = .values(matrix) }

    /// `floats` holds `rows × columns` values, row-major.
    init(mapped floats: MappedFloats, rows: Int, columns: Int) {
        storage = .mapped(floats, rows: rows, columns: columns)
    }

    var matrix: Matrix {
        switch storage {
        case .values(let matrix): matrix
        case .mapped(let floats, let rows, let columns): Matrix(rows: rows, columns: columns, values: floats.array())
        }
    }

    /// Whether the values are still in the mapped file.
    var isInPlace: Bool {
        if case .mapped = storage { return true }
        return false
    }

    /// As an `nn.Linear` weight `[out][in]`, packed for the matrix multiply.
    func linear(bias: [Float]) -> Linear {
        switch storage {
        case .values(let matrix):
            Linear(weight: matrix, bias: bias)
        case .mapped(let floats, let rows, let columns):
            Linear(weight: floats.base, outputs: rows, inputs: columns, bias: bias)
        }
    }

    /// As an embedding table `[vocabulary][hidden]`.
    var embeddingTable: EmbeddingTable {
        switch storage {
        case .values(let matrix): .dense(matrix)
        case .mapped(let floats, _, let columns): .mapped(floats, columns: columns)
        }
    }

    static func == (lhs: LoadedMatrix, rhs: LoadedMatrix) -> Bool { lhs.matrix == rhs.matrix }
}
