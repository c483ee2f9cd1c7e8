import Foundation

/// BERT's text normalizer with the four switches of `tokenizers`' `BertNormalizer`,
/// applied in its order: clean text, pad CJK ideographs, strip accents, lower-case.
struct BertNormalizer: Sendable, Equatable {
    /// Drop control/format characters, NUL and U+FFFD; turn every whitespace character into a space.
    var cleanText: Bool
    /// Surround each CJK ideograph with spaces so it becomes a word of its own.
    var handleChineseChars: Bool
    /// NFD, then drop nonspacing marks: `é` → `e`, `が` → `か`; `ß`, `ø`, `ﬁ` are untouched.
    var stripAccents: Bool
    /// Per-scalar full lower-case mapping (`İ` → `i̇`, no final-sigma rule).
    var lowercase: Bool

    func normalize(_ text: Substring.UnicodeScalarView) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.count + 8)
        var allASCII = true
        for scalar in text {
            if cleanText {
                if BertCharacterClasses.isRemovedByCleanText(scalar) { continue }
                if BertCharacterClasses.isWhitespace(scalar) {
                    scalars.append(" ")
                    continue
                }
            }
            if scalar.value >= 0x80 { allASCII = false }
            if handleChineseChars && BertCharacterClasses.isCJKIdeograph(scalar) {
                scalars.append(" ")
                scalars.append(scalar)
                scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        if stripAccents && !allASCII {
            scalars = Self.decomposed(scalars).filter { !BertCharacterClasses.isNonspacingMark($0) }
        }
        if lowercase {
            scalars = Self.lowercased(scalars)
        }
        return scalars
    }

    /// Starters whose canonical decomposition is newer than the tables `tokenizers` uses,
    /// so it leaves them composed (U+11938 DIVES AKURU VOWEL SIGN O, Unicode 13).
    private static let composedInTokenizers: Set<UInt32> = [0x11938]

    /// NFD, leaving `composedInTokenizers` whole. Those and ASCII characters are starters
    /// that NFD keeps as they are, so only the runs between them need decomposing.
    private static func decomposed(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count + 8)
        var run: [Unicode.Scalar] = []
        func flush() {
            guard !run.isEmpty else { return }
            var utf8: [UInt8] = []
            utf8.reserveCapacity(run.count * 4)
            for scalar in run { UTF8.encode(scalar) { utf8.append($0) } }
            result.append(contentsOf: String(decoding: utf8, as: UTF8.self).decomposedStringWithCanonicalMapping.unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        for scalar in scalars {
            if scalar.value < 0x80 || composedInTokenizers.contains(scalar.value) {
                flush()
                result.append(scalar)
            } else {
                run.append(scalar)
            }
        }
        flush()
        return result
    }

    private static func lowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(scalars.count)
        for scalar in scalars {
            let value = scalar.value
            if value < 0x80 {
                if value >= 0x41 && value <= 0x5A, let lower = Unicode.Scalar(value + 0x20) {
                    lowered.append(lower)
                } else {
                    lowered.append(scalar)
                }
            } else if scalar.properties.changesWhenLowercased {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                lowered.append(scalar)
            }
        }
        return lowered
    }
}
