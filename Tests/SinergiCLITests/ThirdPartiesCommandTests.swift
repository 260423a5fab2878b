import Foundation
import Testing

/// The third parties of a Sinergi end to end: `agreement add/edit/show`, export and import in
/// both formats, and the Lua field.
@Suite struct ThirdPartiesCommandTests {
    static let add = ["agreement", "add", "--number", "S/1/2027", "--title", "Data statistik sektoral", "--kind", "sinergi",
                      "--lead-agency", "Dinas Komunikasi dan Informatika", "--party", "lembaga:Badan Pusat Statistik",
                      "--set", "third_parties=PT Survei Contoh; Universitas Contoh"]

    @Test func aSinergiRecordsThirdPartiesThatShowExportAndImportBack() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let added = try sample.run(Self.add)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("third party   PT Survei Contoh\n"))
        #expect(added.stdout.contains("third party   Universitas Contoh\n"))
        let lua = try sample.run(["eval", "return table.concat(agreements.get('S/1/2027').third_parties, ', ')"])
        #expect(lua.stdout == "PT Survei Contoh, Universitas Contoh\n")
        let csv = try sample.run(["agreement", "export"])
        #expect(csv.stdout.hasPrefix(#"number,title,kind,"#) && csv.stdout.contains(",third_parties\n"))
        #expect(csv.stdout.contains(",PT Survei Contoh; Universitas Contoh\n"))
        let json = try sample.run(["agreement", "show", "S/1/2027", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["third_parties"] as? [String] == ["PT Survei Contoh", "Universitas Contoh"])

        for format in ["csv", "json"] {
            let target = try WorkspaceCommandTests.Sample(sample: false)
            let file = target.folder.appendingPathComponent("all.\(format)")
            #expect(try sample.run(["agreement", "export", "--output", file.path]).status == 0)
            #expect(try target.run(["agreement", "import", file.path]).status == 0)
            #expect(try target.run(["agreement", "export"]).stdout == csv.stdout, "\(format)")
        }
        let cleared = try sample.run(["agreement", "edit", "S/1/2027", "--set", "third_parties=", "--format", "csv"])
        #expect(cleared.stdout.hasSuffix(",\n"), "\(cleared.stdout)")
    }

    @Test func onlyASinergiHasThirdPartiesAndTheyDoNotSign() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let ksdpk = try sample.run(["agreement", "edit", "CONTOH/003/KSDPK/2024", "--set", "third_parties=PT Contoh"])
        #expect(ksdpk.status == 7)
        #expect(ksdpk.firstErrorLine.hasPrefix("error[validation]: third_parties: only a Sinergi records third parties"))
        let signatory = try sample.run(Self.add.dropLast() + ["third_parties=Badan Pusat Statistik"])
        #expect(signatory.status == 7)
        #expect(signatory.firstErrorLine.contains("Badan Pusat Statistik is a party (a signatory)"))
        #expect(try sample.run(["audit", "verify"]).status == 0)
    }
}
