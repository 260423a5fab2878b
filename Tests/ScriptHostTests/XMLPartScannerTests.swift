import Foundation
import Testing
@testable import ScriptHost

/// Sinergi's reader of workbook parts: what a SpreadsheetML part holds reads as XML says it
/// does, and anything not well-formed — a DTD above all — is one `ReadError` naming the line.
@Suite struct XMLPartScannerTests {
    /// Records the events as lines: `<name k=v>`, `"text"`, `</name>`.
    final class Recorder: XMLPartHandler {
        var events: [String] = []
        func start(_ name: String, attributes: [String: String]) {
            events.append("<\(name)" + attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined() + ">")
        }
        func characters(_ text: String) { events.append("\"\(text)\"") }
        func end(_ name: String) { events.append("</\(name)>") }
    }

    static func scan(_ xml: String) throws -> [String] {
        let recorder = Recorder()
        var scanner = XMLPartScanner(Array(xml.utf8))
        try scanner.scan(into: recorder)
        return recorder.events
    }

    @Test func elementsAttributesAndTextReadAsWritten() throws {
        let xml = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<!-- a comment -->"
            + "<x:sst xmlns:x='urn:x' count = \"2\"><x:si><x:t xml:space=\"preserve\"> a &lt; b &amp;&#32;&#x41;&quot;&apos;&gt; </x:t></x:si>"
            + "<x:si><x:t><![CDATA[<raw & text>]]></x:t><x:e a=\"1&#10;2\ttab\"/></x:si></x:sst>\n"
        #expect(try Self.scan(xml) == [
            "<x:sst count=2 xmlns:x=urn:x>", "<x:si>", "<x:t xml:space=preserve>", "\" a < b & A\"'> \"", "</x:t>", "</x:si>",
            "<x:si>", "<x:t>", "\"<raw & text>\"", "</x:t>", "<x:e a=1\n2 tab>", "</x:e>", "</x:si>", "</x:sst>",
        ])
    }

    @Test func lineEndsReadAsLineFeeds() throws {
        #expect(try Self.scan("<t>a\r\nb\rc\nd</t>") == ["<t>", "\"a\nb\nc\nd\"", "</t>"])
        #expect(try Self.scan("<t>é — 日本</t>") == ["<t>", "\"é — 日本\"", "</t>"])
    }

    @Test func whatIsNotWellFormedIsRefusedWithItsLine() throws {
        let refused: [(xml: String, says: String)] = [
            ("<?xml version=\"1.0\"?>\n<!DOCTYPE w [<!ENTITY e \"x\">]><w>&e;</w>", "line 2: a document type declaration"),
            ("<a><b></a></b>", "</a> does not close the open element"),
            ("<a>\n<b>\n", "line 3: the part ends inside <b>"),
            ("<a>x & y</a>", "'&' that starts no entity"),
            ("<a>&unknown;</a>", "&unknown; is not a reference XML allows here"),
            ("<a>&#0;</a>", "&#0; is not a reference"),
            ("<a k=\"1\" k=\"2\"/>", "the attribute k is repeated"),
            ("<a k=\"1\"j=\"2\"/>", "space expected between the attributes"),
            ("<a k=1/>", "a quoted value expected for the attribute k"),
            ("<a k=\"<\"/>", "'<' in an attribute value"),
            ("<a/><b/>", "a second root element"),
            ("text<a/>", "text outside the root element"),
            ("<a><!-- never closed</a>", "the part ends before '-->'"),
            ("", "no root element"),
        ]
        for (xml, says) in refused {
            #expect {
                try Self.scan(xml)
            } throws: { error in
                let text = (error as? XLSXWorkbook.ReadError)?.description ?? ""
                return text.hasPrefix("a part of the workbook is not well-formed XML (line ") && text.contains(says)
            }
        }
        var scanner = XMLPartScanner([0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E])  // <a>\xFF</a>
        #expect(throws: XLSXWorkbook.ReadError.self) { try scanner.scan(into: Recorder()) }
    }
}
