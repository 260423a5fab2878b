import Foundation
import Testing

/// Hostile files given to `agreement import`, through the real binary: each is refused with
/// exit 7 naming the file and the place, nothing is imported, and the process stays small
/// (peak resident memory measured; before the cell budget a 130 KB workbook of cells at column
/// XFD grew it past 5 GB).
@Suite struct HostileImportTests {
    typealias Sample = WorkspaceCommandTests.Sample
    static let peakLimit = 400 << 20

    func importMeasured(_ file: String, in sample: Sample) throws -> CLI.Measured {
        try CLI.runMeasured(["agreement", "import", file], environment: ["SINERGI_WORKSPACE": sample.folder.path])
    }

    @Test func aSmallWorkbookWhoseCellsSkipToColumnXFDIsRefusedInBoundedMemory() throws {
        let empty = try Sample(sample: false)
        let xlsx = empty.folder.appendingPathComponent("wide.xlsx")
        _ = try OfficeRegisterTests.python("""
            import sys, zipfile
            ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
            head = '<row r="1"><c r="A1" t="inlineStr"><is><t>number</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c></row>'
            rows = ''.join('<row r="%d"><c r="A%d"><v>1</v></c><c r="XFD%d"><v>1</v></c></row>' % (i, i, i) for i in range(2, 20000))
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('xl/workbook.xml', '<workbook xmlns="%s" xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>' % ns)
                z.writestr('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/s.xml"/></Relationships>')
                z.writestr('xl/worksheets/s.xml', '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (ns, head + rows))
            """, [xlsx.path])
        let measured = try importMeasured(xlsx.path, in: empty)
        #expect(!measured.crashed)
        #expect(measured.result.status == 7, "\(measured.result.stderr)")
        #expect(measured.result.stderr.hasPrefix("error[validation]: \(xlsx.path): xl/worksheets/s.xml: more than 10000000 shared strings, rows and cells (at cell XFD"),
                "\(measured.result.stderr)")
        #expect(measured.peakResident < Self.peakLimit, "peak \(measured.peakResident >> 20) MB")
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
    }

    @Test func aCSVOfTinyFieldsIsRefusedInBoundedMemory() throws {
        let empty = try Sample(sample: false)
        let csv = empty.folder.appendingPathComponent("commas.csv")
        try Data(("number,title,kind,subkind,lead_agency\nA/1,t,ksdd,sukarela,DLH\n" + String(repeating: ",", count: 12_000_000)).utf8).write(to: csv)
        let measured = try importMeasured(csv.path, in: empty)
        #expect(measured.result.status == 7)
        #expect(measured.result.stderr.hasPrefix("error[validation]: \(csv.path):3: more than 10000000 fields and rows by this line"), "\(measured.result.stderr)")
        #expect(measured.peakResident < Self.peakLimit, "peak \(measured.peakResident >> 20) MB")
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
    }

    @Test func aFileLargerThanAnImportReadsIsRefusedBeforeItIsRead() throws {
        let empty = try Sample(sample: false)
        let csv = empty.folder.appendingPathComponent("huge.csv")
        #expect(FileManager.default.createFile(atPath: csv.path, contents: nil))
        let handle = try FileHandle(forWritingTo: csv)
        try handle.truncate(atOffset: UInt64(256 << 20) + 1)  // sparse: no disk, no time
        try handle.close()
        let measured = try importMeasured(csv.path, in: empty)
        #expect(measured.result.status == 7)
        #expect(measured.result.stderr == "error[validation]: \(csv.path): \(csv.path) is larger than 256 MB, more than a register holds; split it and import the parts\n")
        #expect(measured.peakResident < 100 << 20, "peak \(measured.peakResident >> 20) MB")
    }

    @Test func textThatIsNotUTF8IsRefusedNamingItsLine() throws {
        let empty = try Sample(sample: false)
        let csv = empty.folder.appendingPathComponent("ansi.csv")
        try Data("number,title,kind,subkind,lead_agency\nA/1,Air,ksdd,sukarela,DLH\nA/2,Caf".utf8 + [0xE9] + Data(",ksdd,sukarela,DLH\n".utf8)).write(to: csv)
        let result = try empty.run(["agreement", "import", csv.path])
        #expect(result.status == 7)
        #expect(result.firstErrorLine == "error[validation]: \(csv.path): line 3 holds bytes that are not UTF-8 text; "
                + "save the file as UTF-8 (Excel: Save As, \"CSV UTF-8\") and import it again")
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
    }

    /// SQLite's text binding ends a string at NUL: before, the register kept `Ju`, the audit
    /// trail `Ju\u0000dul`, and `audit verify` failed on the import's own record.
    @Test func aNULInAnyTextIsRefusedOnEveryWayInAndTheAuditStaysVerifiable() throws {
        let empty = try Sample(sample: false)
        let csv = empty.folder.appendingPathComponent("nul.csv")
        try Data("number,title,kind,subkind,lead_agency\nA/1,Air,ksdd,sukarela,DLH\nA/2,Ju\u{0}dul,ksdd,sukarela,DLH\n".utf8).write(to: csv)
        let imported = try empty.run(["agreement", "import", csv.path])
        #expect(imported.status == 7)
        #expect(imported.firstErrorLine == "error[validation]: \(csv.path):3: title: holds a NUL character (U+0000), which Sinergi cannot store; remove it")
        let json = empty.folder.appendingPathComponent("nul.json")
        try Data(#"[{"number":"J/1","title":"t","kind":"ksdd","subkind":"sukarela","lead_agency":"DLH","notes":"a\u0000b"}]"#.utf8).write(to: json)
        #expect(try empty.run(["agreement", "import", json.path]).firstErrorLine
                == "error[validation]: \(json.path): record 1: notes: holds a NUL character (U+0000), which Sinergi cannot store; remove it")
        let lua = try empty.run(["eval", "--write", #"agreements.create{ number = "L/1", title = "t", kind = "ksdd", subkind = "sukarela", lead_agency = "DLH", parties = { { name = "Kab\0X", kind = "kabupaten" } } }"#])
        #expect(lua.status == 7)
        #expect(lua.firstErrorLine == "error[validation]: eval:1: parties: holds a NUL character (U+0000), which Sinergi cannot store; remove it")
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
        #expect(try empty.run(["agreement", "import", "--skip-invalid", csv.path]).status == 7)
        #expect(try empty.run(["audit", "verify"]).status == 0)
    }

    /// A text value past 64 KB is refused with the row's other errors; from a script, before
    /// the host copies and escapes it (a 20 MB string of control bytes under a 64 MB cap grew
    /// the process to 300 MB writing its audit snapshot).
    @Test func aHugeTextValueIsRefusedFromAFileAndFromAScriptInBoundedMemory() throws {
        let empty = try Sample(sample: false)
        let csv = empty.folder.appendingPathComponent("long.csv")
        try Data(("number,title,kind,subkind,lead_agency\nA/1," + String(repeating: "x", count: 10_000_000) + ",ksdd,sukarela,DLH\n").utf8).write(to: csv)
        let imported = try importMeasured(csv.path, in: empty)
        #expect(imported.result.status == 7)
        #expect(imported.result.stderr.hasPrefix("error[validation]: \(csv.path):2: title: 10000000 bytes of text; a value holds at most 64 KB (a Sinergi limit)"),
                "\(imported.result.stderr.prefix(300))")
        #expect(imported.peakResident < Self.peakLimit, "peak \(imported.peakResident >> 20) MB")
        let script = try CLI.runMeasured(["eval", "--write", "--memory", "64MB", """
            agreements.create{ number = "L/1", title = string.rep("\\1", 20e6), kind = "ksdd", subkind = "sukarela", lead_agency = "DLH" }
            """], environment: ["SINERGI_WORKSPACE": empty.folder.path])
        #expect(script.result.status == 7, "\(script.result.stderr)")
        #expect(script.result.stderr.hasPrefix("error[validation]: eval:1: title: 20000000 bytes of text"), "\(script.result.stderr)")
        #expect(script.peakResident < 256 << 20, "peak \(script.peakResident >> 20) MB")
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
    }
}
