import Foundation
import Testing

/// Registers as offices keep them in Excel (issue #9 §1, §2): imported from a CSV saved by Excel
/// and from an .xlsx, exported for Excel and read back by an independent reader (Python's `csv`,
/// `zipfile` and `xml` modules), end to end on the real binary.
@Suite struct OfficeRegisterTests {
    typealias Sample = WorkspaceCommandTests.Sample

    /// The 30 rows of a register as an office types them: several partners in one cell, the
    /// office's date and money forms, `Aktif`/`Berakhir`, a `No` column and a blank last one.
    static let header = ["No", "Nomor Perjanjian", "Perihal", "Jenis", "Mitra", "Jenis Mitra", "OPD", "Tanggal Mulai",
                         "Tanggal Berakhir", "Nilai (Rp)", "Sumber Dana", "Status", "Tahap", "Keterangan", ""]
    static var rows: [[String]] {
        let dates = ["01/02/2025", "1-3-2025", "2025-04-01", "2025-05-02 00:00:00", "3 Juni 2025"]
        return (1...30).map { index in
            let expired = index % 5 == 0
            let partners = index % 3 == 0 ? "PT Air Jaya Abadi\nUniversitas Negeri Jember" : "Koperasi Tani Makmur #\(index)"
            let kinds = index % 3 == 0 ? "Badan Usaha Swasta; Perguruan Tinggi" : "Koperasi"
            return [String(index), "180/\(index)/425.012/2025", "Kerja sama pengelolaan nomor \(index)", index % 2 == 0 ? "KSDPK" : "ksdpk",
                    partners, kinds, index % 4 == 0 ? "Dinas PUPR" : "Dinas Koperasi dan UMKM",
                    expired ? "01/01/2020" : dates[index % dates.count], expired ? "31 Desember 2022" : "31/12/2027",
                    index % 2 == 0 ? "Rp 1.250.000.000" : "1.250.000.\(String(format: "%03d", index)),00", "APBD",
                    expired ? "Berakhir" : "Aktif", "pelaksanaan", index % 7 == 0 ? "Perlu diperpanjang; lihat adendum" : "", ""]
        }
    }

    /// The register as Excel saves "CSV UTF-8" in an Indonesian locale.
    static var excelCSV: String {
        let lines = [header] + rows + [Array(repeating: "", count: header.count)]
        return "\u{FEFF}" + lines.map(line).joined(separator: "\r\n") + "\r\n"
    }

    /// One line of `;`-separated cells, quoted as Excel quotes them.
    static func line(_ cells: [String]) -> String {
        cells.map { text in
            text.contains(where: { $0 == ";" || $0 == "\n" || $0 == "\"" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }.joined(separator: ";")
    }

    /// Runs Python with `script` and `arguments`; returns its standard output.
    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw WorkspaceCommandTests.CLIError(message: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `rows` (JSON, first row the header) as an .xlsx the way Excel does: shared strings,
    /// and dates in the date columns as serial numbers. Python's zipfile, not Sinergi's writer.
    static let writeXLSX = """
        import json, sys, zipfile, datetime
        from xml.sax.saxutils import escape
        rows = json.loads(open(sys.argv[1]).read())
        strings, index = [], {}
        def col(i):
            s = ''
            i += 1
            while i: i, r = divmod(i - 1, 26); s = chr(65 + r) + s
            return s
        def serial(text):
            for fmt in ('%d/%m/%Y', '%d-%m-%Y', '%Y-%m-%d', '%Y-%m-%d %H:%M:%S'):
                try: return (datetime.datetime.strptime(text, fmt) - datetime.datetime(1899, 12, 30)).days
                except ValueError: pass
            return None
        out = []
        for r, row in enumerate(rows, 1):
            cells = []
            for c, text in enumerate(row):
                if text == '': continue
                ref = col(c) + str(r)
                if r > 1 and rows[0][c].startswith('Tanggal') and serial(text) is not None:
                    cells.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, serial(text)))
                else:
                    if text not in index: index[text] = len(strings); strings.append(text)
                    cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[text]))
            out.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
        ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
        rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
        with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
            z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
            z.writestr('xl/workbook.xml', '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="Daftar KSD" sheetId="1" r:id="rId7"/></sheets></workbook>' % (ns, rel))
            z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="%s/worksheet" Target="worksheets/daftar.xml"/></Relationships>' % rel)
            z.writestr('xl/sharedStrings.xml', '<sst xmlns="%s">%s</sst>' % (ns, ''.join('<si><t xml:space="preserve">%s</t></si>' % escape(s) for s in strings)))
            z.writestr('xl/worksheets/daftar.xml', '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (ns, ''.join(out)))
        """

    @Test func aThirtyRowRegisterSavedByExcelImportsInOneCommandAsCSVAndAsXLSX() throws {
        let fromCSV = try Sample(sample: false)
        let csv = fromCSV.folder.appendingPathComponent("register.csv")
        try Data(Self.excelCSV.utf8).write(to: csv)
        let imported = try fromCSV.run(["agreement", "import", csv.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "imported 30 agreements from \(csv.path)\n")
        #expect(imported.stderr.contains("note: \(csv.path): column 'No' is not a field: left out"))
        #expect(imported.stderr.contains("note: \(csv.path): column 15 has no header: left out"))

        let json = try fromCSV.run(["agreement", "export", "--format", "json"])
        let agreements = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(agreements.count == 30)
        let third = agreements.first { $0["number"] as? String == "180/3/425.012/2025" }
        #expect(third?["starts_on"] as? String == "2025-05-02")
        #expect(third?["ends_on"] as? String == "2027-12-31")
        #expect(third?["value"] as? Int == 1_250_000_003)
        #expect(third?["status"] as? String == "active")
        #expect(third?["stage"] as? String == "pelaksanaan")
        let parties = third?["parties"] as? [[String: String]] ?? []
        #expect(parties == [["name": "PT Air Jaya Abadi", "kind": "badan_usaha", "form": "swasta"],
                            ["name": "Universitas Negeri Jember", "kind": "perguruan_tinggi"]])
        let fifth = agreements.first { $0["number"] as? String == "180/5/425.012/2025" }
        #expect(fifth?["status"] as? String == "expired")
        #expect((agreements.first { $0["number"] as? String == "180/7/425.012/2025" })?["notes"] as? String == "Perlu diperpanjang; lihat adendum")
        #expect(try fromCSV.run(["agreement", "show", "180/7/425.012/2025"]).stdout
            .contains(/\nnotes +Perlu diperpanjang; lihat adendum\n/))
        #expect(fifth?["ends_on"] as? String == "2022-12-31")
        #expect((agreements.first { $0["number"] as? String == "180/2/425.012/2025" })?["value"] as? Int == 1_250_000_000)

        let fromXLSX = try Sample(sample: false)
        let rowsFile = fromXLSX.folder.appendingPathComponent("rows.json")
        try JSONSerialization.data(withJSONObject: [Self.header] + Self.rows).write(to: rowsFile)
        let xlsx = fromXLSX.folder.appendingPathComponent("register.xlsx")
        _ = try Self.python(Self.writeXLSX, [rowsFile.path, xlsx.path])
        let importedXLSX = try fromXLSX.run(["agreement", "import", xlsx.path])
        #expect(importedXLSX.status == 0, "\(importedXLSX.stderr)")
        #expect(importedXLSX.stdout == "imported 30 agreements from \(xlsx.path)\n")
        #expect(try fromXLSX.run(["agreement", "export"]).stdout == fromCSV.run(["agreement", "export"]).stdout)
    }

    /// A sheet whose XML names an element with a byte that is not UTF-8 — Foundation's XMLParser,
    /// which read workbooks before, stopped the whole process on it — is a validation error.
    @Test func aWorkbookPartThatIsNotUTF8IsRefusedNotACrash() throws {
        let empty = try Sample(sample: false)
        let xlsx = empty.folder.appendingPathComponent("broken.xlsx")
        _ = try Self.python("""
            import sys, zipfile
            ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
            rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
            with zipfile.ZipFile(sys.argv[1], 'w') as z:
                z.writestr('xl/workbook.xml', '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
                z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="x" Target="worksheets/s.xml"/></Relationships>')
                z.writestr('xl/worksheets/s.xml', b'<worksheet><sheetData><row r="1"><\\xffc r="A1"/></row></sheetData></worksheet>')
            """, [xlsx.path])
        let result = try empty.run(["agreement", "import", xlsx.path])
        #expect(result.status == 7)
        #expect(result.stderr.contains("a part of the workbook is not well-formed XML (line 1: bytes that are not UTF-8)"), "\(result.stderr)")
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
    }

    @Test func everyErrorOfEveryRowIsReportedWithLineColumnAndAllowedValues() throws {
        let empty = try Sample(sample: false)
        var rows = Self.rows
        rows[1][8] = "31/02/2027"          // line 3: no such date
        rows[1][11] = "Aktip"              // line 3: no such status
        // Rows 3 and 6 hold a line break in their Mitra cell: the lines after them move down one each.
        rows[3][9] = "Rp 1.250.000,50"     // line 6: a fraction of a rupiah
        rows[6][5] = "Yayasan"             // line 10: no such kind of partner
        let text = ([Self.header] + rows).map(Self.line).joined(separator: "\n") + "\n"
        let file = try CLI.write(text, to: "bad.csv", in: empty.folder)
        let result = try empty.run(["agreement", "import", file])
        #expect(result.status == 7)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error[validation]") }
        #expect(errors == [
            "error[validation]: \(file):3: column 'Tanggal Berakhir': ends_on: '31/02/2027' is not a date (31/12/2027, 31-12-2027, 2027-12-31 or 31 Desember 2027)",
            "error[validation]: \(file):3: column 'Status': status: 'Aktip' is not one of: draft, active, expired, terminated, Draft, Draf, Konsep, Proses, Aktif, Berlaku, Berakhir, Kedaluwarsa, Habis, Diakhiri, Dihentikan, Diputus, Batal",
            "error[validation]: \(file):6: column 'Nilai (Rp)': value: 'Rp 1.250.000,50' is not a whole number of rupiah (1250000000, 1.250.000.000, Rp 1.250.000.000,00)",
            "error[validation]: \(file):10: column 'Mitra': parties: 'Yayasan' in Jenis Mitra is not a kind of partner (\(["Provinsi", "Pemerintah Provinsi", "Pemprov", "Kabupaten", "Pemerintah Kabupaten", "Pemkab", "Kota", "Pemerintah Kota", "Pemkot", "Kementerian", "Lembaga", "Lembaga Pemerintah Nonkementerian", "Perseorangan", "Perorangan", "Badan Usaha", "BUMN", "BUMD", "Koperasi", "Badan Usaha Swasta", "Swasta", "Perusahaan Swasta", "Ormas", "Organisasi Kemasyarakatan", "Perguruan Tinggi", "Universitas", "Luar Negeri"].joined(separator: ", ")))",
        ])
        #expect(result.stderr.contains("nothing was imported: 3 bad rows, 4 errors"))
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")

        let dry = try empty.run(["agreement", "import", "--dry-run", "--skip-invalid", file])
        #expect(dry.status == 7)
        #expect(dry.stdout.hasPrefix("line 2: create 180/1/425.012/2025 (Kerja sama pengelolaan nomor 1)\nline 4: create"))
        #expect(dry.stdout.hasSuffix("dry run: would import 27 and update 0 of 30 rows; 3 bad rows, 4 errors; nothing changed\n"))
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
    }

    @Test func errorsPastAHundredAreCountedNotPrinted() throws {
        let empty = try Sample(sample: false)
        let rows = (1...150).map { "180/\($0)/2025;ksdpk;31/13/2027" }
        let file = try CLI.write((["Nomor Perjanjian;Jenis;Tanggal Berakhir"] + rows).joined(separator: "\n") + "\n", to: "many.csv", in: empty.folder)
        let result = try empty.run(["agreement", "import", file])
        #expect(result.status == 7)
        #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("error[validation]") }.count == 100)
        #expect(result.stderr.contains("… and 50 more (150 errors in all)"))
        #expect(result.stderr.contains("nothing was imported: 150 bad rows, 150 errors"))
    }

    @Test func mapNamesAFieldForAnyHeaderAndUpdateUpsertsByNumberWithAudit() throws {
        let workspace = try Sample(sample: false)
        let first = try CLI.write("Nomor;Judul;Jenis;Nama OPD;Mitra;Jenis Mitra\n180/1/2025;Air bersih;ksdpk;Dinas PUPR;PT Tirta;BUMD\n",
                                  to: "a.csv", in: workspace.folder)
        let unmapped = try workspace.run(["agreement", "import", "--dry-run", first])
        #expect(unmapped.stderr.contains("column 'Nama OPD' is not a field: left out (--map 'Nama OPD=FIELD' reads it)"))
        let mapped = try workspace.run(["agreement", "import", "--map", "Nama OPD=lead_agency", first])
        #expect(mapped.status == 0, "\(mapped.stderr)")
        let again = try workspace.run(["agreement", "import", "--map", "Nama OPD=lead_agency", first])
        #expect(again.status == 7)
        let second = try CLI.write("Nomor;Judul;Nama OPD;Status;Tahap\n180/1/2025;Air bersih dan sanitasi;Dinas PUPR;Aktif;pelaksanaan\n",
                                   to: "b.csv", in: workspace.folder)
        let preview = try workspace.run(["agreement", "import", "--dry-run", "--update", "--map", "Nama OPD=lead_agency", second])
        #expect(preview.stdout == "line 2: update 180/1/2025: title, status, stage\n"
                + "dry run: would import 0 and update 1 of 1 rows; nothing changed\n", "\(preview.stderr)")
        let updated = try workspace.run(["agreement", "import", "--update", "--map", "Nama OPD=lead_agency", second])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stdout == "imported 1 agreement from \(second) (1 updated)\n")
        let shown = try workspace.run(["agreement", "show", "180/1/2025", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        #expect(object?["title"] as? String == "Air bersih dan sanitasi")
        #expect(object?["lead_agency"] as? String == "Dinas PUPR")
        #expect(object?["status"] as? String == "active")
        #expect((object?["parties"] as? [[String: String]])?.first?["form"] == "bumd")
        let audit = try workspace.run(["audit", "log"])
        // The audit log names each changed field with its before and after.
        let update = audit.stdout.split(separator: "\n").first { $0.contains(" update ") && $0.contains("180/1/2025") }
        #expect(update?.contains("stage: ") == true && update?.contains("status: ") == true && update?.contains("title: ") == true,
                "\(audit.stdout)")
    }

    @Test func excelCSVAndXLSXExportsReadBackThroughPythonAndImportUnchanged() throws {
        let sample = try Sample()
        let csv = sample.folder.appendingPathComponent("register.csv")
        let xlsx = sample.folder.appendingPathComponent("register.xlsx")
        #expect(try sample.run(["agreement", "export", "--excel", "--output", csv.path]).status == 0)
        #expect(try sample.run(["agreement", "export", "--format", "xlsx", "--output", xlsx.path]).status == 0)
        let bytes = try Data(contentsOf: csv)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        // Python's csv module and zipfile + xml.etree: the same rows from both files.
        let fromCSV = try Self.python("""
            import csv, json, sys
            print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''), delimiter=';'))))
            """, [csv.path])
        let fromXLSX = try Self.python("""
            import datetime, json, re, sys, zipfile, xml.etree.ElementTree as ET
            ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
            z = zipfile.ZipFile(sys.argv[1])
            # A cell whose style's number format is a date shows its serial number as a date.
            styles = ET.fromstring(z.read('xl/styles.xml'))
            formats = {f.get('numFmtId'): f.get('formatCode') for f in styles.iter('{%s}numFmt' % ns['m'])}
            dated = [('yy' in formats.get(xf.get('numFmtId'), '')) for xf in styles.find('m:cellXfs', ns).findall('m:xf', ns)]
            rows = []
            for row in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter('{%s}row' % ns['m']):
                cells = {}
                for c in row.findall('m:c', ns):
                    col = 0
                    for ch in re.match('[A-Z]+', c.get('r')).group(0): col = col * 26 + ord(ch) - 64
                    text = ''.join(t.text or '' for t in c.iter('{%s}t' % ns['m'])) if c.get('t') == 'inlineStr' else c.find('m:v', ns).text
                    if c.get('s') and dated[int(c.get('s'))]:
                        text = (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(text))).strftime('%d/%m/%Y')
                    cells[col - 1] = text
                rows.append([cells.get(i, '') for i in range(max(cells) + 1 if cells else 0)])
            print(json.dumps(rows))
            """, [xlsx.path])
        let csvRows = try JSONSerialization.jsonObject(with: Data(fromCSV.utf8)) as? [[String]] ?? []
        let xlsxRows = try JSONSerialization.jsonObject(with: Data(fromXLSX.utf8)) as? [[String]] ?? []
        #expect(csvRows.count == 13)
        #expect(csvRows.first?.prefix(3) == ["Nomor Perjanjian", "Judul", "Jenis"])
        #expect(xlsxRows.map { Array($0.prefix(csvRows.first?.count ?? 0)) }
                == csvRows.map { row in Array(row.reversed().drop { $0.isEmpty }.reversed()) })
        let first = csvRows.dropFirst().first { $0.first == "CONTOH/001/KSDD/2025" } ?? []
        let header = csvRows.first ?? []
        #expect(first[header.firstIndex(of: "Status") ?? 0] == "Aktif")
        #expect(first[header.firstIndex(of: "Tanggal Berakhir") ?? 0].range(of: #"^\d\d/\d\d/\d{4}$"#, options: .regularExpression) != nil)
        // Each export imports back unchanged.
        for file in [csv, xlsx] {
            let copy = try Sample(sample: false)
            let imported = try copy.run(["agreement", "import", file.path])
            #expect(imported.stdout == "imported 12 agreements from \(file.path)\n", "\(imported.stderr)")
            #expect(try copy.run(["agreement", "export"]).stdout == sample.run(["agreement", "export"]).stdout)
        }
    }

    @Test func templateWritesTheIndonesianHeadersAndASheetOfAllowedValues() throws {
        let workspace = try Sample(sample: false)
        let file = workspace.folder.appendingPathComponent("template.xlsx")
        #expect(try workspace.run(["agreement", "template", "--output", file.path]).status == 0)
        let sheets = try Self.python("""
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            w = z.read('xl/workbook.xml').decode()
            print(w.count('<sheet '), 'Pilihan' in w, 'Nomor Perjanjian' in z.read('xl/worksheets/sheet1.xml').decode(),
                  'Aktif' in z.read('xl/worksheets/sheet2.xml').decode())
            """, [file.path])
        #expect(sheets == "2 True True True\n")
        let imported = try workspace.run(["agreement", "import", file.path])
        #expect(imported.stdout == "imported 0 agreements from \(file.path)\n")
        let refused = try workspace.run(["agreement", "list", "--format", "xlsx"])
        #expect(refused.status == 7)
        #expect(refused.firstErrorLine == "error[validation]: --format xlsx: this command writes table, json, csv")
    }
}
