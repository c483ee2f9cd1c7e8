/// Adds the mask bias to one query row of scaled attention logits and takes the softmax in
/// place, as PyTorch does in float32: subtract the row maximum, exponentiate, divide by the sum.
///
/// A row whose every biased logit is −∞ (all keys masked under `soft`) has no defined softmax;
/// it becomes a row of zeros and the function returns `false`, so callers can flag it.
/// Rows masked with float32's lowest value (`hf`, `hf4`) stay finite and come out uniform,
/// exactly as in transformers. Never produces NaN for finite logits.
///
/// - Parameters:
///   - logits: `count` scaled logits `q·k/√d` for one query row; overwritten with the weights.
///   - bias: the row's `count` mask biases.
/// - Returns: whether the row had at least one finite biased logit.
@discardableResult
@inline(never)
func maskedSoftmaxRow(_ logits: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count: Int) -> Bool {
    typealias V = SIMDMath.Vector
    let whole = count & ~15
    var maxima = V(repeating: -.infinity)
    var k = 0
    while k < whole {
        let biased = SIMDMath.load(logits + k) + SIMDMath.load(bias + k)
        SIMDMath.store(biased, logits + k)
        maxima = SIMDMath.maximum(maxima, biased)
        k += 16
    }
    var rowMax = maxima.max()
    for k in whole..<count {
        logits[k] += bias[k]
        rowMax = max(rowMax, logits[k])
    }
    guard rowMax > -Float.infinity else {
        logits.update(repeating: 0, count: count)
        return false
    }
    var sums = V(repeating: 0)
    k = 0
    while k < whole {
        let e = SIMDMath.exp(SIMDMath.load(logits + k) - rowMax)
        SIMDMath.store(e, logits + k)
        sums += e
        k += 16
    }
    var sum = sums.sum()
    if whole < count {
        var tail = V(repeating: -.infinity)
        for lane in 0..<(count - whole) { tail[lane] = logits[whole + lane] }
        let e = SIMDMath.exp(tail - rowMax)
        for lane in 0..<(count - whole) { logits[whole + lane] = e[lane] }
        sum += e.sum()
    }
    let inverse = 1 / sum
    k = 0
    while k < whole {
        SIMDMath.store(SIMDMath.load(logits + k) * inverse, logits + k)
        k += 16
    }
    for k in whole..<count { logits[k] *= inverse }
    return true
}
