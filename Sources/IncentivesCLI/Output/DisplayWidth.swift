/// How many terminal columns text occupies, so tables of Chinese company names line up with
/// ASCII columns.
///
/// Widths are counted per Unicode scalar and summed, as `wcswidth` and most terminals do, rather
/// than per grapheme cluster: the result is predictable and needs no segmentation. Ledger text
/// (CJK, Latin, digits, combining accents, Hangul) comes out the same either way; only emoji
/// sequences (joiners, skin tones, flags, U+FE0F) may differ from what a particular terminal
/// draws, because terminals themselves disagree on them.
public enum DisplayWidth {
    /// The total number of columns of `text`.
    public static func of(_ text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars {
            total += of(scalar)
        }
        return total
    }

    /// Columns of one scalar: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        // ASCII first: it is most of what a ledger prints.
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        // DEL and the C1 controls move nothing on screen that a table could rely on.
        if value < 0xA0 { return 0 }
        // Han ideographs next, most of a Chinese name: wide, and none of them a mark, so the
        // general category (a table lookup, the slow part) is not asked (`DisplayWidthTests`).
        if commonHan.contains(value) { return 2 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(value) { return 2 }
        return 1
    }

    /// CJK extension A and the CJK unified ideographs: letters (or unassigned), all wide.
    static let commonHan: ClosedRange<UInt32> = 0x3400...0x9FFF

    /// Marks that draw on the previous character, and format characters that draw nothing.
    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark:
            return true
        default:
            break
        }
        switch scalar.value {
        case 0x1160...0x11FF, 0xD7B0...0xD7FF:
            // Hangul medial vowels and final consonants join the preceding initial into one
            // two-column syllable block.
            return true
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F:
            // Zero-width space and joiners, direction marks, line separators, invisible operators.
            return true
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF:
            // Variation selectors choose a glyph; they do not add one.
            return true
        case 0xFEFF, 0xE0000...0xE007F:
            // Byte order mark and tag characters.
            return true
        default:
            return false
        }
    }

    private static func isWide(_ value: UInt32) -> Bool {
        // Everything below the first range is narrow; skip the search for Latin, Greek, Cyrillic.
        guard value >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// East Asian Wide (W) and Fullwidth (F) scalars, sorted and disjoint for binary search.
    /// U+303F (ideographic half fill space) is left out on purpose: it is narrow by definition.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,    // Hangul Jamo initial consonants
        0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693,
        0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE,
        0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA,
        0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728, 0x274C...0x274C,
        0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797, 0x27B0...0x27B0,
        0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,  // emoji presentation
        0x2E80...0x303E,    // CJK radicals, Kangxi radicals, CJK symbols and punctuation
        0x3041...0x33FF,    // Hiragana, Katakana, Bopomofo, Hangul compatibility, enclosed CJK, CJK compatibility
        0x3400...0xA4CF,    // CJK extension A, Yijing, CJK unified ideographs, Yi
        0xA960...0xA97F,    // Hangul Jamo extended A
        0xAC00...0xD7A3,    // Hangul syllables
        0xF900...0xFAFF,    // CJK compatibility ideographs
        0xFE10...0xFE19,    // vertical forms
        0xFE30...0xFE6F,    // CJK compatibility forms, small form variants
        0xFF00...0xFF60,    // fullwidth ASCII variants
        0xFFE0...0xFFE6,    // fullwidth signs such as ￥
        0x16FE0...0x16FE4, 0x16FF0...0x16FF1,
        0x17000...0x18D08,  // Tangut, Khitan
        0x1AFF0...0x1B2FF,  // Kana supplements, Nüshu
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
        0x1F260...0x1F265,  // enclosed ideographic supplement
        0x1F300...0x1F64F,  // pictographs and emoticons
        0x1F680...0x1F6FF,  // transport and map symbols
        0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0,
        0x1F900...0x1F9FF,  // supplemental symbols and pictographs
        0x1FA70...0x1FAFF,  // symbols and pictographs extended A
        0x20000...0x2FFFD,  // CJK extensions B to F, compatibility supplement
        0x30000...0x3FFFD,  // CJK extensions G and H
    ]
}
