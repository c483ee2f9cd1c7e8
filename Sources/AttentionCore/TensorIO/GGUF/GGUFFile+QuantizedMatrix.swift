extension GGUFFile {
    /// The 2-D tensor `name` as `QuantizedMatrix` pointing into this file's mapping (no copy), or
    /// nil when it is not stored in quantized blocks (F32, F16, BF16: read those with
    /// `floats(_:)`). The rows keep this file, and so its mapping, alive.
    ///
    /// - Throws: `GGUFError.noSuchTensor`, or `.notDequantizable` for types Maskscope does not read.
    public func quantizedMatrix(_ name: String) throws -> QuantizedMatrix? {
        guard let tensor = info(name) else { throw GGUFError.noSuchTensor(file: url, tensor: name) }
        guard tensor.type.isDequantizable else { throw GGUFError.notDequantizable(file: url, tensor: name, type: tensor.type) }
        guard tensor.type.isQuantized, tensor.dimensions.count == 2 else { return nil }
        return try withBlocks(name) { info, bytes -> QuantizedMatrix? in
            // The header check guarantees rows × rowByteCount bytes of whole blocks.
            guard let base = bytes.baseAddress, bytes.count == info.rowCount * info.rowByteCount else { return nil }
            return QuantizedMatrix(type: info.type, rows: info.rowCount, rowLength: info.rowLength, blocks: base, owner: self)
        }
    }
}
