import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Agreements
import ZIPFoundation
@testable import ScriptHost

/// Sinergi's reader of workbook parts against Foundation's `XMLParser` (libxml2), which read them
/// before: the product no longer links it, this test target does. On the parts of a real
/// workbook and on hand-written parts using what XML allows in one, both report the same
/// elements, attributes and text; what libxml2 refuses, the scanner refuses.
@Suite struct XMLPartScannerDifferentialTests {
    /// Events as lines, adjacent text merged (XMLParser hands text over in pieces).
    final class Scanned: XMLPartHandler {
        var events: [String] = []
        func start(_ name: String, attributes: [String: String]) { events.append(Self.start(name, attributes)) }
        func characters(_ text: String) { Self.text(text, into: &events) }
        func end(_ name: String) { events.append("</\(name)>") }

        static func start(_ name: String, _ attributes: [String: String]) -> String {
            "<\(name)" + attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value.debugDescription)" }.joined() + ">"
        }
        static func text(_ text: String, into events: inout [String]) {
            if let last = events.last, last.hasPrefix("text:") { events[events.count - 1] = last + text } else { events.append("text:" + text) }
        }
    }

    final class Parsed: NSObject, XMLParserDelegate {
        var events: [String] = []
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            events.append(Scanned.start(elementName, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { Scanned.text(string, into: &events) }
        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            Scanned.text(String(decoding: CDATABlock, as: UTF8.self), into: &events)
        }
        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            events.append("</\(elementName)>")
        }
    }

    /// The events of both readers, or nil for a reader that refused the part.
    static func both(_ data: Data) -> (scanned: [String]?, parsed: [String]?) {
        let scanned = Scanned()
        var scanner = XMLPartScanner([UInt8](data))
        let scanOK = (try? scanner.scan(into: scanned)) != nil
        let parsed = Parsed()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = parsed
        let parseOK = parser.parse()
        return (scanOK ? scanned.events : nil, parseOK ? parsed.events : nil)
    }

    static let wellFormed: [String] = [
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>12.5</v></c></row></sheetData></worksheet>",
        "<x:sst xmlns:x='urn:x' count = \"2\"><x:si><x:t xml:space=\"preserve\"> a &lt; b &amp;&#32;&#x41;&quot;&apos;&gt; </x:t></x:si></x:sst>",
        "<a><!-- c --><?pi data?><b k=\"1&#10;2\ttab\" j='\"q\"'/><![CDATA[<raw & text>]]>tail</a>",
        "\u{FEFF}<a>\r\nline\rline\n</a>\n",
        "<a b=\"é — 日本 &#x1F600;\">Kerja Sama Daerah — Probolinggo &#233;</a>",
        "<a>  <b>  </b>  </a>",
        "<r><t>x</t><t/><t></t></r>",
    ]

    static let malformed: [String] = [
        "<a><b></a></b>", "<a>x & y</a>", "<a>&unknown;</a>", "<a k=\"1\" k=\"2\"/>", "<a k=1/>", "<a k=\"<\"/>",
        "<a/><b/>", "text<a/>", "<a><!-- never closed</a>", "", "<a>", "<a></b>", "<a>&#0;</a>",
    ]

    @Test func bothReadersAgreeOnWellFormedParts() {
        for xml in Self.wellFormed {
            let (scanned, parsed) = Self.both(Data(xml.utf8))
            #expect(scanned != nil, "refused: \(xml)")
            #expect(scanned == parsed, "\(xml)")
        }
    }

    @Test func bothReadersAgreeOnTheWorkbookSinergiWrites() throws {
        let day = try #require(LocalDate("2027-01-04"))
        let data = try XLSXWorkbook.write([XLSXWorkbook.Sheet(name: "Register <1> & \"2\"", rows: [
            [.text("nomor"), .text("judul"), .text("nilai"), .text("Tanggal")],
            [.text("415/PEM/2027"), .text("Kerja sama <air> & \"sampah\" — é 日本"), .number("1500000"), .date(day)],
            [.text(""), .text("  spasi  \n baris"), .number("-12.5"), .text("'=SUM(A1)")],
        ])])
        let archive = try Archive(data: data, accessMode: .read)
        var read = 0
        for entry in archive where entry.path.hasSuffix(".xml") || entry.path.hasSuffix(".rels") {
            var part = Data()
            _ = try archive.extract(entry) { part.append($0) }
            let (scanned, parsed) = Self.both(part)
            #expect(scanned != nil && scanned == parsed, "\(entry.path)")
            read += 1
        }
        #expect(read >= 6)
    }

    /// Hostile bytes: 5,000 mutations of well-formed parts (bytes flipped, cut, duplicated, markup
    /// spliced in) each end in events or a `ReadError`, never a trap. (Not compared with libxml2
    /// here: Foundation's XMLParser itself traps on some of them — an element name with a byte that
    /// is not UTF-8, `<\u{FF}b/>`, stops the process in `_NSXMLParserStartElementNs` — which any
    /// workbook could do to an import before this reader.)
    @Test func mutatedPartsEndInEventsOrAReadError() {
        var seed: UInt64 = 20261130
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(max(bound, 1)))
        }
        let splices: [[UInt8]] = ["<", ">", "&", "&#x", ";", "]]>", "<![CDATA[", "<!--", "-->", "<?", "?>", "\"", "'", "=", "/", "</a>",
                                  "<!DOCTYPE x>", "\u{FEFF}", "\r"].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x00]]
        var refused = 0
        for round in 0..<5_000 {
            var bytes = Array(Self.wellFormed[round % Self.wellFormed.count].utf8)
            for _ in 0...next(4) {
                let at = next(bytes.count + 1)
                switch next(4) {
                case 0: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: next(256)) }
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + next(8)))
                case 2: bytes.insert(contentsOf: splices[next(splices.count)], at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + next(16))], at: at)
                }
            }
            var scanner = XMLPartScanner(bytes)
            do {
                try scanner.scan(into: Scanned())
            } catch is XLSXWorkbook.ReadError {
                refused += 1
            } catch {
                Issue.record("not a ReadError: \(error)")
            }
        }
        #expect(refused > 1_000)
        var scanner = XMLPartScanner([0x3C, 0xFF, 0x62, 0x2F, 0x3E])  // <\xFFb/>
        #expect(throws: XLSXWorkbook.ReadError.self) { try scanner.scan(into: Scanned()) }
    }

    /// The scanner is at least as strict: what libxml2 refuses it refuses, and it refuses more
    /// (libxml2 recovers from `<a k=1/>`, a `<` in a value, an unclosed root, an empty part).
    @Test func whatXMLParserRefusesTheScannerRefusesToo() {
        for xml in Self.malformed {
            let (scanned, parsed) = Self.both(Data(xml.utf8))
            #expect(scanned == nil, "accepted: \(xml)")
            if parsed == nil { #expect(scanned == nil, "libxml2 refuses, the scanner accepts: \(xml)") }
        }
    }
}
