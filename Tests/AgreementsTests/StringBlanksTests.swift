import Foundation
import Testing
@testable import Agreements

/// Blanks checked and trimmed on scalars agree with Foundation's character sets (which bridge
/// to NSString on Linux), over every blank Unicode knows and text around them.
@Suite struct StringBlanksTests {
    /// Every scalar the sets hold, and some that look blank but are not (BOM, Mongolian vowel separator).
    static let candidates: [Unicode.Scalar] = (UInt32(0)...0x3000).compactMap { value in
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return CharacterSet.whitespacesAndNewlines.contains(scalar) ? scalar : nil
    } + ["\u{FEFF}", "\u{180E}", "\u{2060}", "a", "é", "-", "0"]

    @Test func blanksAreFoundationsWhitespacesAndNewlines() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(String.isBlank(scalar, newlines: true) == CharacterSet.whitespacesAndNewlines.contains(scalar), "U+\(String(scalar.value, radix: 16))")
            #expect(String.isBlank(scalar, newlines: false) == CharacterSet.whitespaces.contains(scalar), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func trimmingAgreesWithFoundation() {
        var texts = ["", " ", "\t\n", "a", " a ", "\u{3000}Kerja Sama\u{00A0}Daerah\u{2029}", "\r\n 415/PEM/2027 \r\n", "a b\tc", "é\u{85}"]
        for scalar in Self.candidates { texts += [String(scalar) + "x" + String(scalar), "x" + String(scalar), String(scalar)] }
        for text in texts {
            #expect(text.trimmingBlanks() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            #expect(text.trimmingBlanks(newlines: false) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            #expect(text.isBlank == text.trimmingCharacters(in: .whitespaces).isEmpty, "\(text.debugDescription)")
        }
    }
}
