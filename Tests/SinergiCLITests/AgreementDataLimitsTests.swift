import Foundation
import Testing

/// What agreement data may hold, on every way in (CLI, import, Lua) and out (CSV): CSV cells no
/// spreadsheet runs as formulas (issue #7, finding 10).
@Suite struct AgreementDataLimitsTests {
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
}
