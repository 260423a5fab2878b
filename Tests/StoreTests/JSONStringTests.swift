import Foundation
import Testing
@testable import Store

/// The one JSON string escaper: each form writes valid JSON that reads back as the text, the
/// stored form keeps the bytes audit rows have always held, and the short form equals what
/// `JSONEncoder` writes (the configuration summary is compared against text it wrote).
@Suite struct JSONStringTests {
    static let texts: [String] = {
        var texts = ["", "plain", "kutip \"ganda\" dan \\ garis", "baris\nbaru\r\ttab", "/ tetap /", "Probolinggo – ü 😀 ẞ",
                     "\u{0}\u{1}\u{7}\u{8}\u{B}\u{C}\u{1F}\u{7F}", "é\u{301}\"\u{8}x", "\\\\\"\"", "\u{200B}"]
        texts.append(String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }))
        return texts
    }()

    @Test(arguments: texts) func bothFormsReadBackAsTheText(_ text: String) throws {
        for controls in [JSONString.ControlEscapes.unicode, .short] {
            let literal = JSONString.literal(text, controls: controls)
            let decoded = try JSONDecoder().decode(String.self, from: Data(literal.utf8))
            #expect(decoded == text, "\(controls): \(literal)")
        }
    }

    @Test(arguments: texts) func theShortFormIsWhatJSONEncoderWrites(_ text: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(text), as: UTF8.self)
        #expect(JSONString.literal(text, controls: .short) == expected)
    }

    @Test func theStoredFormKeepsItsBytes() {
        #expect(JSONString.literal("a\u{8}b\u{C}c\u{1}\"\\\n") == #""a\u0008b\u000cc\u0001\"\\\n""#)
        #expect(JSONString.literal("a\u{8}b\u{C}", controls: .short) == #""a\bb\f""#)
        var out = Array("[".utf8)
        JSONString.append("x", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[\"x\"")
    }
}
