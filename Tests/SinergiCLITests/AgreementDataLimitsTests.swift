import Foundation
import Testing

/// What agreement data may hold, on every way in (CLI, import, Lua) and out (CSV): dates within
/// Sinergi's range, a bounded number of parties, and CSV cells no spreadsheet runs as formulas
/// (issue #7, findings 9, 10 and 11).
@Suite struct AgreementDataLimitsTests {
    static let range = "is outside the dates Sinergi accepts (1900-01-01 to 2999-12-31)"

    @Test func datesOutsideTheRangeAreValidationErrorsOnEveryPath() throws {
        let sample = try WorkspaceCommandTests.Sample()
        // The sample's dates follow the day it is made: the stored one is read, to be kept.
        let pksEndsOn = try sample.run(["eval", "return tostring(agreements.get('CONTOH/003/KSDPK/2024').pks_ends_on)"]).stdout
        #expect(pksEndsOn.hasPrefix("20"))
        let edit = try sample.run(["agreement", "edit", "CONTOH/003/KSDPK/2024", "--set", "pks_ends_on=3000-01-01"])
        #expect(edit.status == 7)
        #expect(edit.firstErrorLine == "error[validation]: pks_ends_on: 3000-01-01 \(Self.range)")
        let add = try sample.run(["agreement", "add", "--number", "X/1", "--title", "t", "--kind", "ksdpk", "--lead-agency", "Bappeda",
                                  "--set", "starts_on=1899-12-31"])
        #expect(add.status == 7)
        #expect(add.firstErrorLine == "error[validation]: starts_on: 1899-12-31 \(Self.range)")

        let file = try CLI.write("""
            number,title,kind,lead_agency,starts_on,ends_on
            Y/1,Baik,ksdpk,Bappeda,2027-01-01,2028-01-01
            Y/2,Jauh,ksdpk,Bappeda,2027-01-01,9999-12-31
            """, to: "far.csv", in: sample.folder)
        let imported = try sample.run(["agreement", "import", file])
        #expect(imported.status == 7)
        #expect(imported.firstErrorLine == "error[validation]: \(file):3: ends_on: 9999-12-31 \(Self.range)")

        // Through a script: refused with the script's line; nothing kept, and a later unrelated
        // update keeps the stored date.
        let script = try CLI.write("""
            local a = agreements.get("CONTOH/003/KSDPK/2024")
            a:update{ pks_ends_on = today() + 400000 }
            """, to: "scripts/far.lua", in: sample.folder)
        let run = try sample.run(["run", script])
        #expect(run.status == 7)
        #expect(run.firstErrorLine.hasPrefix("error[validation]: \(script):2: pks_ends_on: 3"))
        #expect(run.firstErrorLine.hasSuffix(Self.range))
        let attach = try sample.run(["eval", "--write", "agreements.get('CONTOH/003/KSDPK/2024'):attach{ kind = 'kak', date = date('2999-12-31') + 1 }"])
        #expect(attach.status == 7)
        #expect(attach.firstErrorLine == "error[validation]: eval:1: date: 3000-01-01 \(Self.range)")
        #expect(try sample.run(["agreement", "edit", "CONTOH/003/KSDPK/2024", "--set", "title=Baru"]).status == 0)
        let stored = try sample.run(["eval", "return tostring(agreements.get('CONTOH/003/KSDPK/2024').pks_ends_on)"])
        #expect(stored.stdout == pksEndsOn)
        #expect(try sample.run(["audit", "verify"]).status == 0)
    }

    @Test func csvExportNeutralisesFormulasAndImportReadsBackExactly() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let hostile: [(String, String)] = [("title", "=HYPERLINK(\"http://evil.invalid\",\"klik\")"), ("object", "+cmd|' /C calc'!A0"),
                                           ("scope", "-2+3"), ("funding", "@SUM(1)"), ("lead_agency", "'Bappeda")]
        let edited = try sample.run(["agreement", "edit", "CONTOH/003/KSDPK/2024"] + hostile.flatMap { ["--set", "\($0.0)=\($0.1)"] })
        #expect(edited.status == 0, "\(edited.stderr)")
        let tabbed = try sample.run(["agreement", "edit", "CONTOH/004/KSDPK/2025", "--set", "object=\tindented", "--set", "scope=\rreturn"])
        #expect(tabbed.status == 0, "\(tabbed.stderr)")

        let export = try sample.run(["agreement", "export"])
        let line = try #require(export.stdout.split(separator: "\n").first { $0.hasPrefix("CONTOH/003/KSDPK/2024,") })
        #expect(line.contains(#""'=HYPERLINK(""http://evil.invalid"",""klik"")""#))
        #expect(line.contains(",'+cmd|' /C calc'!A0,"))
        #expect(line.contains(",'-2+3,"))
        #expect(line.contains(",'@SUM(1),"))
        #expect(line.contains(",''Bappeda,"))
        #expect(export.stdout.contains(",'\tindented,"))
        #expect(export.stdout.contains("\"'\rreturn\""))
        #expect(try sample.run(["agreement", "list", "--format", "csv"]).stdout.contains(",'-2+3,"))

        let target = try WorkspaceCommandTests.Sample(sample: false)
        let file = try CLI.write(export.stdout, to: "all.csv", in: target.folder)
        #expect(try target.run(["agreement", "import", file]).status == 0)
        #expect(try target.run(["agreement", "export"]).stdout == export.stdout)
        let shown = try target.run(["agreement", "show", "CONTOH/003/KSDPK/2024", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        for (field, value) in hostile { #expect(object?[field] as? String == value, "\(field)") }
    }

    @Test func aRowWithTooManyPartiesIsRefusedQuicklyNamingLineAndLimit() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let parties = (0..<300_000).map { "kabupaten:Pemerintah Kabupaten Contoh \($0)" }.joined(separator: "; ")
        let file = try CLI.write("""
            number,title,kind,subkind,lead_agency,parties
            A/1,Baik,ksdd,sukarela,DLH,kabupaten:Pemerintah Kabupaten Probolinggo
            X/1,Banyak,ksdd,sukarela,DLH,"\(parties)"
            """, to: "many.csv", in: sample.folder)
        let start = Date()
        let result = try sample.run(["agreement", "import", file])
        let elapsed = Date().timeIntervalSince(start)
        #expect(result.status == 7)
        #expect(result.firstErrorLine == "error[validation]: \(file):3: parties: an agreement has at most 100 parties (a Sinergi limit); this one has 300000")
        #expect(elapsed < 15, "took \(elapsed)s")

        let script = try CLI.write("""
            local parties = {}
            for i = 1, 101 do parties[i] = { name = "Pemerintah Kabupaten Contoh " .. i, kind = "kabupaten" } end
            agreements.create{ number = "B/1", title = "t", kind = "ksdd", subkind = "sukarela", lead_agency = "DLH", parties = parties }
            """, to: "scripts/many.lua", in: sample.folder)
        let run = try sample.run(["run", script])
        #expect(run.status == 7)
        #expect(run.firstErrorLine == "error[validation]: \(script):3: parties: an agreement has at most 100 parties (a Sinergi limit); this one has 101")
    }
}
