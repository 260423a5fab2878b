import Testing
@testable import ScriptHost

/// CSV cells safe for spreadsheets, read back exactly (issue #7, finding 10).
@Suite struct CSVTableTests {
    static let cells = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'", "''", "'=x", "=", "-", "-5", "-1.5", "-1.", "-.5",
                        "plain", "", "a,b", "say \"hi\"", "two\nlines", "Pemerintah Kota Probolinggo"]

    @Test func formulaCellsAreNeutralisedAndNumbersAreNot() {
        #expect(CSVTable.line(["=1+1", "+1", "-2+3", "@SUM(A1)", "'x", "-5", "-1.5", "ok"]) == "'=1+1,'+1,'-2+3,'@SUM(A1),''x,-5,-1.5,ok")
        #expect(CSVTable.line(["\tx"]) == "'\tx")
        #expect(CSVTable.line(["\rx"]) == "\"'\rx\"")
    }

    @Test func parseReadsBackExactlyWhatLineWrote() throws {
        let text = CSVTable.line(Self.cells) + "\n" + CSVTable.line(Self.cells.reversed()) + "\n"
        let records = try CSVTable.parse(text)
        #expect(records.map(\.fields) == [Self.cells, Self.cells.reversed()])
        for cell in Self.cells where !cell.isEmpty {
            let written = CSVTable.line([cell])
            #expect(!["=", "+", "@", "\t", "\r"].contains(written.first.map(String.init) ?? ""), "\(cell) → \(written)")
        }
    }

    /// Fields whose structural characters a Character comparison misses: CR LF is one Character,
    /// and so is a separator or quote followed by a combining mark.
    @Test func graphemesThatHideALineBreakOrSeparatorAreQuotedAndReadBack() throws {
        let cells = ["ruang\r\nlingkup", "a,\u{301}b", "say \"\u{301}hi", "x;\u{301}y", "end\r\n"]
        for separator: Unicode.Scalar in [",", ";"] {
            let text = CSVTable.line(cells, separator: separator) + "\n" + CSVTable.line(["next"], separator: separator) + "\n"
            #expect(try CSVTable.parse(text, separator: separator).map(\.fields) == [cells, ["next"]])
        }
        #expect(CSVTable.line(["a\r\nb"]) == "\"a\r\nb\"")
    }

    @Test func excelsSemicolonLinesAreNeutralisedAndReadBackWithTheDetectedSeparator() throws {
        let cells = Self.cells + ["a;b"]
        let text = "\u{FEFF}" + CSVTable.line(cells, separator: ";") + "\r\n"
        #expect(CSVTable.line(["=1+1", "x;y"], separator: ";") == "'=1+1;\"x;y\"")
        let plain = CSVTable.withoutByteOrderMark(text)
        #expect(CSVTable.detectSeparator(plain) == ";")
        #expect(try CSVTable.parse(plain, separator: ";").map(\.fields) == [cells])
        #expect(CSVTable.detectSeparator("a\tb\tc\n1,2\t3\n") == "\t")
        #expect(CSVTable.detectSeparator("\"a;b\",c\n") == ",")
        #expect(CSVTable.detectSeparator("title\n") == ",")
    }
}
