/// Softmax of one query row of biased attention logits, as PyTorch computes it in float32:
/// subtract the row maximum, exponentiate, divide by the sum.
///
/// A row whose every logit is −∞ (all keys masked under `soft`) has no defined softmax;
/// it becomes a row of zeros and the function returns `false`, so callers can flag it.
/// Rows masked with float32's lowest value (`hf`, `hf4`) stay finite and come out uniform,
/// exactly as in transformers. Never produces NaN.
///
/// - Parameters:
///   - logits: `count` biased logits for one query row; overwritten with the weights.
/// - Returns: whether the row had at least one finite logit.
@discardableResult
@inline(__always)
func softmaxInPlace(_ logits: UnsafeMutablePointer<Float>, count: Int) -> Bool {
    var rowMax = -Float.infinity
    for k in 0..<count where logits[k] > rowMax { rowMax = logits[k] }
    guard rowMax > -Float.infinity else {
        for k in 0..<count { logits[k] = 0 }
        return false
    }
    var sum: Float = 0
    for k in 0..<count {
        let e = expf(logits[k] - rowMax)
        logits[k] = e
        sum += e
    }
    let inverse = 1 / sum
    for k in 0..<count { logits[k] *= inverse }
    return true
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
