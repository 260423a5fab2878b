import Foundation
import Testing
@testable import ScriptHost

/// The .xlsx container and its parts: what is written reads back, and a hostile workbook is
/// refused quickly (a part that inflates too far, an XML entity bomb, a file that is no ZIP).
@Suite struct XLSXWorkbookTests {
    @Test func anXLSXWrittenHereReadsBackCellForCell() throws {
        let rows: [[XLSXWorkbook.Cell]] = [[.text("Judul"), .text(""), .text("Nilai")], [.text("a < b & \"c\""), .text("x"), .number("1250000000")]]
        let data = try XLSXWorkbook.write([XLSXWorkbook.Sheet(name: "Register", rows: rows)])
        let records = try XLSXWorkbook.firstSheet(of: data)
        #expect(records.map(\.fields) == [["Judul", "", "Nilai"], ["a < b & \"c\"", "x", "1250000000"]])
        #expect(records.map(\.line) == [1, 2])
        #expect(throws: XLSXWorkbook.ReadError.self) { try XLSXWorkbook.firstSheet(of: Data("not a zip".utf8)) }
        #expect(XLSXWorkbook.columnName(27) == "AB")
        #expect(XLSXWorkbook.columnIndex("AB12") == 27)
    }

    @Test func aPartThatInflatesPastTheLimitIsRefused() throws {
        let rows = [[XLSXWorkbook.Cell.text(String(repeating: "x", count: 10_000))]]
        let data = try XLSXWorkbook.write([XLSXWorkbook.Sheet(name: "Register", rows: rows)])
        #expect(data.count < 5_000)
        #expect(throws: XLSXWorkbook.ReadError.self) { try XLSXWorkbook.firstSheet(of: data, limit: 4_096) }
        #expect(try XLSXWorkbook.firstSheet(of: data, limit: 65_536).first?.fields.first?.count == 10_000)
    }

    @Test func anEntityBombIsRefusedAsMalformed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bomb.xlsx")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sys, zipfile
            ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
            rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
            dtd = '<!DOCTYPE w [<!ENTITY e0 "lollollollollol">' + ''.join('<!ENTITY e%d "%s">' % (i, ('&e%d;' % (i - 1)) * 10) for i in range(1, 10)) + ']>'
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('xl/workbook.xml', '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
                z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/s.xml"/></Relationships>')
                z.writestr('xl/worksheets/s.xml', '<?xml version="1.0"?>' + dtd + '<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e9;</t></is></c></row></sheetData></worksheet>' % ns)
            """, file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let started = Date()
        #expect(throws: XLSXWorkbook.ReadError.self) { try XLSXWorkbook.firstSheet(of: try Data(contentsOf: file)) }
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
