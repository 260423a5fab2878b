import Foundation
import Testing
import ZIPFoundation
@testable import ScriptHost

/// Workbooks and CSV files made to make the reader hold far more than they weigh: references
/// that skip to column XFD, millions of tiny rows, cells or shared strings, deep nesting, many
/// attributes. Each is refused by the budget (`CSVTable.maximumCells`, given small here) or by
/// the scanner's caps, naming the part and the place; and a sheet that contradicts itself (a
/// shared string it does not have, cells out of order) is refused rather than read askew.
@Suite struct HostileWorkbookTests {
    static let header = #"<row r="1"><c r="A1" t="inlineStr"><is><t>number</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c></row>"#

    /// A workbook of the given sheet rows (and shared strings part), deflated by ZIPFoundation.
    static func workbook(rows: String, shared: String? = nil) throws -> Data {
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        var parts = [
            ("xl/workbook.xml", #"<workbook xmlns="\#(ns)" xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships><Relationship Id="rId1" Target="worksheets/s.xml"/></Relationships>"#),
            ("xl/worksheets/s.xml", #"<worksheet xmlns="\#(ns)"><sheetData>\#(rows)</sheetData></worksheet>"#),
        ]
        if let shared { parts.append(("xl/sharedStrings.xml", #"<sst xmlns="\#(ns)">\#(shared)</sst>"#)) }
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    /// The message `firstSheet` refuses `data` with.
    static func refusal(_ data: Data, cellLimit: Int = CSVTable.maximumCells) -> String? {
        do {
            _ = try XLSXWorkbook.firstSheet(of: data, cellLimit: cellLimit)
            return nil
        } catch {
            return (error as? XLSXWorkbook.ReadError)?.description ?? "not a ReadError: \(error)"
        }
    }

    @Test func cellsAtColumnXFDCountEveryCellTheySkip() throws {
        let rows = (2...40).map { #"<row r="\#($0)"><c r="A\#($0)"><v>1</v></c><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined()
        let data = try Self.workbook(rows: Self.header + rows)
        #expect(data.count < 4_000)
        // 39 rows of 16,384 cells: 639,000 cells from a few kilobytes.
        let message = try #require(Self.refusal(data, cellLimit: 100_000))
        #expect(message.hasPrefix("xl/worksheets/s.xml: more than 100000 shared strings, rows and cells (at cell XFD"), "\(message)")
        #expect(message.contains("delete the rows and columns past its data"))
        #expect(Self.refusal(data, cellLimit: 700_000) == nil)
    }

    @Test func emptyCellsFarToTheRightAddNothing() throws {
        // Formatted but empty cells, as Excel writes a styled row: no value, so no field.
        let rows = (2...2_000).map { #"<row r="\#($0)"><c r="A\#($0)"><v>7</v></c><c r="XFD\#($0)" s="1"/></row>"# }.joined()
        let records = try XLSXWorkbook.firstSheet(of: try Self.workbook(rows: Self.header + rows), cellLimit: 10_000)
        #expect(records.count == 2_000)
        #expect(records[1].fields == ["7"])
    }

    @Test func millionsOfTinyRowsOrSharedStringsAreRefusedAtTheBudget() throws {
        let rows = try #require(Self.refusal(try Self.workbook(rows: Self.header + String(repeating: "<row/>", count: 200_000)), cellLimit: 100_000))
        #expect(rows.hasPrefix("xl/worksheets/s.xml: more than 100000 shared strings, rows and cells (at row "), "\(rows)")
        let shared = try Self.workbook(rows: Self.header, shared: String(repeating: "<si/>", count: 200_000))
        let strings = try #require(Self.refusal(shared, cellLimit: 100_000))
        #expect(strings.hasPrefix("xl/sharedStrings.xml: more than 100000 shared strings, rows and cells (at shared string 100000)"), "\(strings)")
    }

    @Test func deepNestingAndManyAttributesAreRefusedByTheScanner() throws {
        let deep = try #require(Self.refusal(try Self.workbook(rows: Self.header + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000))))
        #expect(deep.hasPrefix("xl/worksheets/s.xml: a part of the workbook is not well-formed XML (line 1: elements nested more than 256 deep"), "\(deep)")
        let attributes = (0..<100_000).map { " a\($0)=\"\"" }.joined()
        let wide = try #require(Self.refusal(try Self.workbook(rows: Self.header + "<row\(attributes)/>")))
        #expect(wide.contains("<row> has more than 256 attributes"), "\(wide)")
        // Depth up to the cap is read as before.
        let nested = String(repeating: "<x>", count: 250) + String(repeating: "</x>", count: 250)
        #expect(Self.refusal(try Self.workbook(rows: Self.header + nested)) == nil)
    }

    @Test func aSharedStringPastTheTableIsRefusedNotReadAsEmpty() throws {
        let rows = #"<row r="2"><c r="A2" t="s"><v>7</v></c></row>"#
        let past = Self.refusal(try Self.workbook(rows: Self.header + rows, shared: "<si><t>a</t></si>"))
        #expect(past == "xl/worksheets/s.xml: cell A2 names shared string '7'; the workbook has 1 (0 to 0)")
        let negative = Self.refusal(try Self.workbook(rows: Self.header + #"<row r="2"><c r="B2" t="s"><v>-1</v></c></row>"#, shared: "<si><t>a</t></si>"))
        #expect(negative == "xl/worksheets/s.xml: cell B2 names shared string '-1'; the workbook has 1 (0 to 0)")
        let records = try XLSXWorkbook.firstSheet(of: try Self.workbook(rows: Self.header + #"<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#, shared: "<si><t>a</t></si>"))
        #expect(records.last?.fields == ["a"])
    }

    @Test func cellsAndRowsOutOfOrderOrOutOfRangeAreRefused() throws {
        let swapped = #"<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>2</v></c></row>"#
        #expect(Self.refusal(try Self.workbook(rows: Self.header + swapped))
                == "xl/worksheets/s.xml: cell A2 comes after B2; the cells of a row are in order, each once")
        #expect(Self.refusal(try Self.workbook(rows: Self.header + #"<row r="1"/>"#))
                == "xl/worksheets/s.xml: row 1 comes after row 1; rows are in order, each once")
        #expect(Self.refusal(try Self.workbook(rows: Self.header + #"<row r="1048577"/>"#))
                == "xl/worksheets/s.xml: row '1048577' is not a row number (1 to 1048576)")
        #expect(Self.refusal(try Self.workbook(rows: Self.header + #"<row r="2"><c r="XFE2"><v>1</v></c></row>"#))
                == "xl/worksheets/s.xml: row 2: 'XFE2' is not a cell reference (A1 to XFD1048576)")
        // Numbers at the extremes are text, never a trap.
        let extremes = #"<row r="2"><c r="A2"><v>1e400</v></c><c r="B2"><v>-0</v></c><c r="C2"><v>NaN</v></c><c r="D2"><v>-1e15</v></c></row>"#
        #expect(try XLSXWorkbook.firstSheet(of: try Self.workbook(rows: Self.header + extremes)).last?.fields == ["1e400", "0", "NaN", "-1e15"])
    }

    @Test func csvOfTinyFieldsIsRefusedAtTheBudgetAndLoneCREndsALine() throws {
        #expect(throws: CSVTable.ParseError.tooManyCells(line: 2, limit: 1_000)) {
            try CSVTable.parse("a,b\n" + String(repeating: ",", count: 5_000), cellLimit: 1_000)
        }
        // Blank lines keep nothing and count for nothing: 500 records of one field are 1,000.
        #expect(try CSVTable.parse(String(repeating: "\n", count: 5_000) + String(repeating: "a\n", count: 500), cellLimit: 1_000).count == 500)
        #expect(throws: CSVTable.ParseError.tooManyCells(line: 5_501, limit: 1_000)) {
            try CSVTable.parse(String(repeating: "\n", count: 5_000) + String(repeating: "a\n", count: 501), cellLimit: 1_000)
        }
        let plan = AgreementExchange.readCSV("number,title\n" + String(repeating: ",", count: CSVTable.maximumCells + 10))
        #expect(plan.errors.first?.line == 2)
        #expect(plan.errors.first?.message.hasPrefix("more than 10000000 fields and rows by this line") == true)
        let mac = try CSVTable.parse("number,title\r1,\"two\rlines\"\r3,c\r")
        #expect(mac.map(\.fields) == [["number", "title"], ["1", "two\rlines"], ["3", "c"]])
        #expect(mac.map(\.line) == [1, 2, 4])
        #expect(CSVTable.detectSeparator("a;b\rc,d,e,f\r") == ";")
    }

    @Test func importTextNamesTheFirstLineThatIsNotUTF8() throws {
        #expect(try AgreementExchange.importText(Data("a,b\nc,d\n".utf8)) == "a,b\nc,d\n")
        #expect(throws: AgreementExchange.RowError(line: 3, message: "holds bytes that are not UTF-8 text; save the file as UTF-8 "
                                                      + "(Excel: Save As, \"CSV UTF-8\") and import it again")) {
            try AgreementExchange.importText(Data("a,b\nc,d\n".utf8 + [0x65, 0xE9, 0x0A]))
        }
    }

    @Test func aMessageQuotesAtMostEightyCharactersOfACell() throws {
        let cell = String(repeating: "\u{1B}[31m", count: 100_000)
        do {
            _ = try OfficeCells.canonical(cell, type: .date, field: "starts_on")
            Issue.record("a date was read")
        } catch {
            let message = String(describing: error)
            #expect(message.count < 300, "\(message.count) characters")
            #expect(message.contains("…' is not a date"))
        }
    }

    @Test func anArchiveThatNamesAPartTwiceIsRefused() throws {
        let archive = try Archive(data: try Self.workbook(rows: Self.header), accessMode: .update)
        let other = Data(#"<worksheet><sheetData><row r="1"><c r="A1"><v>9</v></c></row></sheetData></worksheet>"#.utf8)
        try archive.addEntry(with: "xl/worksheets/s.xml", type: .file, uncompressedSize: Int64(other.count), compressionMethod: .none) { position, size in
            other.subdata(in: Int(position)..<Int(position) + size)
        }
        #expect(Self.refusal(try #require(archive.data)) == "the workbook's ZIP container is damaged: it holds xl/worksheets/s.xml twice")
    }

    @Test func readingStopsAfterTenThousandErrorsAndJSONIsCountedBeforeItIsParsed() throws {
        let plan = AgreementExchange.readCSV("number,title\n" + String(repeating: "x\n", count: 20_000))
        #expect(plan.errors.count == AgreementExchange.ImportPlan.maximumErrors + 1)
        #expect(plan.errors.last == AgreementExchange.RowError(line: 10_002, message: "more than 10000 errors: the rest of the file is not read; "
                                                                + "fix these, or check that it is the register you meant"))
        let records = "[" + String(repeating: "1,", count: 20_000) + "1]"
        #expect(AgreementExchange.readJSON(records).errors.count == AgreementExchange.ImportPlan.maximumErrors + 1)
        #expect(AgreementExchange.jsonValueCount(#"[1,"a,b\",[{",{"k":[2,3]}]"#) == 6)
        let values = AgreementExchange.readJSON("[" + String(repeating: "0,", count: CSVTable.maximumCells) + "0]")
        #expect(values.errors == [AgreementExchange.RowError(line: 1, message: "more than 10000000 JSON values, far more than a register holds: "
                                                             + "split the file and import the parts")])
    }
}
