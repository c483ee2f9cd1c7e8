import Testing
@testable import ExplorerUI

@Suite("Display width")
struct DisplayWidthTests {
    /// Scalars and the width glibc 2.36's `wcwidth` gives them in the C.UTF-8 locale
    /// (dumped with a C loop over `wcwidth`; controls excluded since glibc says -1 there).
    static let glibcSample: [(UInt32, Int)] = [
        (0x0041, 1), (0x00E9, 1), (0x00AD, 1), (0x0300, 0), (0x0301, 0), (0x0903, 1),
        (0x0600, 1), (0x061C, 0), (0x1100, 2), (0x1160, 0), (0x11FF, 0), (0xD7B0, 0),
        (0x200B, 0), (0x200D, 0), (0x2060, 0), (0xFEFF, 0), (0xFE0F, 0), (0xE0020, 0),
        (0x231A, 2), (0x2764, 1), (0x3000, 2), (0x3042, 2), (0x3099, 0), (0x302A, 0),
        (0x4E2D, 2), (0x4DC0, 2), (0x3248, 2), (0xAC00, 2), (0xD7A3, 2), (0xE000, 1),
        (0xFF21, 2), (0xFF61, 1), (0xFFE0, 2), (0x1F1E6, 1), (0x1F3FD, 2), (0x1F44D, 2),
        (0x1F4A9, 2), (0x1F600, 2), (0x20000, 2), (0x2F800, 2), (0x30000, 2),
    ]

    @Test func scalarsMatchGlibcSample() {
        for (value, expected) in Self.glibcSample {
            guard let scalar = Unicode.Scalar(value) else {
                Issue.record("U+\(String(value, radix: 16)) is not a scalar")
                continue
            }
            #expect(DisplayWidth.of(scalar) == expected, "U+\(String(value, radix: 16, uppercase: true))")
        }
    }

    @Test func controlsAreZeroWide() {
        #expect(DisplayWidth.of("\u{7}") == 0)
        #expect(DisplayWidth.of("\u{1B}") == 0)
        #expect(DisplayWidth.of("\u{7F}") == 0)
        #expect(DisplayWidth.of("\u{85}") == 0)
        #expect(DisplayWidth.of("\r\n" as Character) == 0)
    }

    @Test func asciiAndLatin() {
        #expect("attention".displayWidth == 9)
        #expect("".displayWidth == 0)
        #expect("naïve café".displayWidth == 10)
    }

    @Test func combiningAndPrecomposedAccentsAgree() {
        let precomposed = "caf\u{E9}"
        let combining = "cafe\u{301}"
        #expect(precomposed.displayWidth == 4)
        #expect(combining.displayWidth == 4)
        #expect(DisplayWidth.of("e\u{301}\u{323}" as Character) == 1)
    }

    @Test func cjkHangulAndFullwidthAreTwoColumns() {
        #expect("注意力".displayWidth == 6)
        #expect("日本語テキスト".displayWidth == 14)
        #expect("한국어".displayWidth == 6)
        #expect("ＢＥＲＴ".displayWidth == 8)
        #expect("ｶﾀｶﾅ".displayWidth == 4, "halfwidth katakana is narrow")
        #expect("mask 掩码".displayWidth == 9)
    }

    @Test func conjoiningHangulJamoFormOneWideSyllable() {
        let syllable: Character = "\u{1100}\u{1161}\u{11A8}"
        #expect(syllable.unicodeScalars.count == 3)
        #expect(DisplayWidth.of(syllable) == 2)
    }

    @Test func emojiSequencesAreTwoColumns() {
        #expect(DisplayWidth.of("😀" as Character) == 2)
        #expect(DisplayWidth.of("👍🏽" as Character) == 2, "skin tone modifier")
        #expect(DisplayWidth.of("👨‍👩‍👧" as Character) == 2, "ZWJ family")
        #expect(DisplayWidth.of("🏳️‍🌈" as Character) == 2, "ZWJ with VS16")
        #expect(DisplayWidth.of("❤️" as Character) == 2, "text-default emoji with VS16")
        #expect(DisplayWidth.of("❤" as Character) == 1, "text-default emoji alone")
        #expect(DisplayWidth.of("1️⃣" as Character) == 2, "keycap")
        #expect(DisplayWidth.of("🇫🇷" as Character) == 2, "flag")
        #expect("I ❤️ 🤗 transformers".displayWidth == 20)
    }

    @Test func clustersWiderThanTwoSumTheirScalars() {
        // क्षि: KA, VIRAMA, SSA, VOWEL SIGN I (spacing) — one cluster since Unicode 15.1,
        // drawn by terminals in 3 columns, as wcswidth counts it.
        let conjunct = "\u{915}\u{94D}\u{937}\u{93F}"
        #expect(conjunct.displayWidth == 3)
    }

    @Test func truncateAddsEllipsisWithinWidth() {
        #expect(DisplayWidth.truncate("attention", toWidth: 20) == "attention")
        #expect(DisplayWidth.truncate("attention", toWidth: 9) == "attention")
        #expect(DisplayWidth.truncate("attention", toWidth: 6) == "atten…")
        #expect(DisplayWidth.truncate("attention", toWidth: 1) == "…")
        #expect(DisplayWidth.truncate("attention", toWidth: 0) == "")
        #expect(DisplayWidth.truncate("attention", toWidth: 4, ellipsis: "...") == "a...")
        #expect(DisplayWidth.truncate("attention", toWidth: 2, ellipsis: "...") == "at")
    }

    @Test func truncateNeverSplitsAWideCharacter() {
        // 注意力机制 is 10 columns; 6 leaves 5 for text: two wide chars (4), not half a third.
        let cut = DisplayWidth.truncate("注意力机制", toWidth: 6)
        #expect(cut == "注意…")
        #expect(cut.displayWidth == 5)
        #expect(DisplayWidth.truncate("a👨‍👩‍👧b😀", toWidth: 4) == "a👨‍👩‍👧…")
        #expect(DisplayWidth.truncate("cafe\u{301}s", toWidth: 4) == "caf…")
    }

    @Test func padAndFit() {
        #expect(DisplayWidth.pad("ab", toWidth: 5) == "ab   ")
        #expect(DisplayWidth.pad("ab", toWidth: 5, alignment: .right) == "   ab")
        #expect(DisplayWidth.pad("ab", toWidth: 5, alignment: .center) == " ab  ")
        #expect(DisplayWidth.pad("注意", toWidth: 6) == "注意  ")
        #expect(DisplayWidth.pad("toolong", toWidth: 3) == "toolong")
        #expect(DisplayWidth.fit("注意力机制", toWidth: 6) == "注意… ")
        #expect(DisplayWidth.fit("注意力机制", toWidth: 6).displayWidth == 6)
        #expect(DisplayWidth.fit("[CLS]", toWidth: 7, alignment: .right) == "  [CLS]")
    }
}
