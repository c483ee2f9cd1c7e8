/// Every tensor of a source read as `Float` once: what `maskscope inspect --check` reports.
///
/// Catches what a header cannot show: NaN or infinite weights (a broken conversion) and types
/// that cannot be read. Also a measure of reading speed, since it dequantizes the whole file.
public struct TensorSourceCheck: Sendable {
    /// Wall time for reading and scanning every readable tensor.
    public var seconds: Double = 0
    public var tensorCount = 0
    public var elementCount = 0
    /// Tensors holding NaN or infinity, with how many, in file order.
    public var nonFinite: [(name: String, count: Int)] = []
    /// Tensors whose type cannot be read as `Float`, in file order.
    public var unreadable: [String] = []

    /// - Throws: whatever the sources' `floats(_:)` throws.
    public static func run(_ sources: [any TensorSource]) throws -> TensorSourceCheck {
        let start = MonotonicClock.nanoseconds()
        var check = TensorSourceCheck()
        for source in sources {
            for name in source.tensorNames {
                guard source.descriptor(name)?.isReadableAsFloat == true else { check.unreadable.append(name); continue }
                let floats = try source.floats(name)
                let bad = nonFiniteCount(floats)
                if bad > 0 { check.nonFinite.append((name, bad)) }
                check.tensorCount += 1
                check.elementCount += floats.count
            }
        }
        check.seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return check
    }

    /// NaNs and infinities: exponent bits all ones.
    static func nonFiniteCount(_ values: [Float]) -> Int {
        values.withUnsafeBufferPointer { buffer in
            var count = 0
            for value in buffer { count &+= (value.bitPattern & 0x7F80_0000) == 0x7F80_0000 ? 1 : 0 }
            return count
        }
    }
}
