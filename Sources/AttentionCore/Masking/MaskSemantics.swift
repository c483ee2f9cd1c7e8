import Foundation

/// How a mask value `m` (one per key, or per query × key cell) becomes the additive bias on
/// the attention logits `q·k/√d` before softmax.
///
/// This is the centre of Maskscope: the same mask means different things in different
/// implementations, and a fractional value never means "some attention" in `transformers`.
public enum MaskSemantics: String, CaseIterable, Sendable, Codable {
    /// transformers 5.x: the 2-D mask is cast to bool, then 0 for kept keys and float32's
    /// lowest value for masked ones. Any non-zero value keeps the key fully.
    case hf
    /// transformers 4.x: bias = (1 − m) · float32 lowest. Any value below 1 masks fully.
    case hf4
    /// bias = ln m (−∞ at 0): the key's unnormalised weight is multiplied by m.
    case soft
    /// The value itself is added to the logits (e.g. −2), as an attention bias.
    case bias

    /// Its meaning in a few words, for the help overlay's key table.
    public var shortSummary: String {
        switch self {
        case .hf: return "transformers v5: ≠0 = kept"
        case .hf4: return "transformers v4: <1 = masked"
        case .soft: return "ln m: 0.5 halves a key"
        case .bias: return "value added to the logits"
        }
    }

    /// The one-sentence meaning the UI shows beside the semantics' name.
    public var summary: String {
        switch self {
        case .hf: return "transformers 5: mask → bool; any value ≠ 0 keeps a key fully, 0 masks"
        case .hf4: return "transformers 4: bias (1−m)·float32 lowest; any value below 1 masks fully"
        case .soft: return "soft: bias ln m; a key's weight is multiplied by m, then renormalised"
        case .bias: return "bias: the value is added to the attention logits as is (e.g. −2)"
        }
    }

    /// The neutral mask value: the one that leaves a key untouched.
    public var neutralValue: Float { self == .bias ? 0 : 1 }

    /// The additive bias this semantics gives a mask value, exactly as the reference
    /// implementation computes it in float32.
    public func bias(for value: Float) -> Float {
        switch self {
        case .hf:
            return value != 0 ? 0 : -Float.greatestFiniteMagnitude
        case .hf4:
            return (1 - value) * -Float.greatestFiniteMagnitude
        case .soft:
            return value > 0 ? Foundation.log(value) : -Float.infinity
        case .bias:
            return value
        }
    }

    /// What a value means under this semantics, in words, for status lines and help
    /// ("0.5 → kept fully (same as 1)").
    public func effect(of value: Float) -> String {
        let shown = MaskValueFormat.short(value)
        switch self {
        case .hf:
            if value == 1 { return "\(shown) → kept" }
            return value != 0 ? "\(shown) → kept fully (same as 1)" : "\(shown) → masked"
        case .hf4:
            if value == 1 { return "\(shown) → kept" }
            return value < 1 ? "\(shown) → masked fully (same as 0)" : "\(shown) → bias +\(MaskValueFormat.short((value - 1)))·3.4e38: dominates"
        case .soft:
            if value <= 0 { return "\(shown) → masked (ln 0 = −∞)" }
            if value == 1 { return "\(shown) → kept" }
            return "\(shown) → weight ×\(shown) (bias \(MaskValueFormat.short(Foundation.log(value))))"
        case .bias:
            if value == 0 { return "0 → logit unchanged" }
            return "\(shown) → logit \(value >= 0 ? "+" : "")\(shown)"
        }
    }

    /// Checks that a value means something under this semantics: finite always, not
    /// negative for `soft` (ln of a negative number is undefined), and within 0…2 for `hf4`,
    /// whose bias `(1 − m) · float32 lowest` overflows to +∞ above 2 (every weight of the row
    /// becomes NaN, in transformers 4 too) and to −∞ below 0.
    public func validate(_ value: Float) -> String? {
        guard value.isFinite else { return "mask values must be finite numbers, not \(value)" }
        if self == .soft, value < 0 {
            return "soft masking multiplies weights by the value, so it must be 0 or more, not \(MaskValueFormat.short(value))"
        }
        if self == .hf4, !(0...2).contains(value) {
            return "hf4's bias (1 − m)·float32 lowest is \(value > 2 ? "+∞" : "−∞") for \(MaskValueFormat.short(value)) (it overflows outside 0…2, and transformers 4 then gives NaN), so hf4 takes values from 0 to 2; use soft or bias semantics to boost or weaken a key by a chosen amount"
        }
        return nil
    }

    /// The valid value (see `validate`) closest to `value`, for switching semantics: negative
    /// values become 0 under `soft`, values outside 0…2 the nearer end under `hf4`.
    public func nearestValid(_ value: Float) -> Float {
        guard value.isFinite else { return neutralValue }
        switch self {
        case .soft: return max(0, value)
        case .hf4: return min(2, max(0, value))
        case .hf, .bias: return value
        }
    }
}

/// Compact number formatting for mask values: `1`, `0.5`, `-2`, `0.25`.
public enum MaskValueFormat {
    public static func short(_ value: Float) -> String {
        if value == value.rounded(), abs(value) < 1e6 { return String(Int(value)) }
        var text = String(format: "%.3f", Double(value))
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

/// What a key's mask value does under a semantics, in the terms the UI marks tokens with.
public enum KeyMaskState: String, Sendable, Codable {
    /// The key is attended to as if unmasked.
    case kept
    /// The key's weight is scaled down but not removed (`soft` below 1, `bias` below 0).
    case partial
    /// The key gets no weight (unless every key of a row is masked).
    case masked
    /// The key's logit is raised (`soft` or `hf4` above 1, `bias` above 0).
    case boosted
}

extension MaskSemantics {
    /// Whether a value keeps, weakens, removes or boosts a key under this semantics.
    public func keyState(for value: Float) -> KeyMaskState {
        switch self {
        case .hf:
            return value == 0 ? .masked : .kept
        case .hf4:
            return value < 1 ? .masked : (value == 1 ? .kept : .boosted)
        case .soft:
            if value <= 0 { return .masked }
            return value < 1 ? .partial : (value == 1 ? .kept : .boosted)
        case .bias:
            if value <= -1e4 { return .masked }
            return value < 0 ? .partial : (value == 0 ? .kept : .boosted)
        }
    }
}
