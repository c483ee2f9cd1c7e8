/// Adds the mask bias to one query row of scaled attention logits and takes the softmax in
/// place, as PyTorch does in float32: subtract the row maximum, exponentiate, divide by the sum.
///
/// A row whose every biased logit is −∞ (all keys masked under `soft`) has no defined softmax;
/// it becomes a row of zeros and the function returns `false`, so callers can flag it.
/// Rows masked with float32's lowest value (`hf`, `hf4`) stay finite and come out uniform,
/// exactly as in transformers. Never produces NaN for finite logits; a row whose logits are
/// already NaN or +∞ (overflowing activations) comes out all NaN, never as a quiet row of
/// zeros, so `ForwardResult.firstNonFiniteWeight` can report it.
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
    // Stays 0 while every raw score is finite: NaN and ±∞ times 0 are NaN. (The bias may be
    // −∞ for a masked key, so it is left out.)
    var poisoned = V(repeating: 0)
    var k = 0
    while k < whole {
        let score = SIMDMath.load(logits + k)
        poisoned += score * 0
        let biased = score + SIMDMath.load(bias + k)
        SIMDMath.store(biased, logits + k)
        maxima = SIMDMath.maximum(maxima, biased)
        k += 16
    }
    var rowMax = maxima.max()
    var poisonedTail: Float = 0
    for k in whole..<count {
        poisonedTail += logits[k] * 0
        logits[k] += bias[k]
        rowMax = max(rowMax, logits[k])
    }
    if (poisoned.sum() + poisonedTail).isNaN || rowMax.isNaN || rowMax == .infinity {
        logits.update(repeating: .nan, count: count)
        return false
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
