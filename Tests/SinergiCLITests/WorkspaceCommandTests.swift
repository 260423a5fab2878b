import Foundation
import Testing

/// `init`, `agreement`, `audit` end to end on the real binary, in a real workspace.
@Suite struct WorkspaceCommandTests {
    /// A sample workspace in a temporary folder; `SINERGI_WORKSPACE` points at it.
    final class Sample {
        let folder: URL
        var environment: [String: String] { ["SINERGI_WORKSPACE": folder.path] }

        init(sample: Bool = true) throws {
            folder = try CLI.temporaryFolder().appendingPathComponent("demo")
            let created = try CLI.run(["init"] + (sample ? ["--sample"] : []) + [folder.path])
            guard created.status == 0 else { throw CLIError(message: created.stderr) }
        }

        deinit { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }

        func run(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments, environment: environment) }
    }

    struct CLIError: Error { var message: String }

    @Test func initWithSampleThenListShowsTheSampleSet() throws {
        let sample = try Sample()
        let list = try CLI.run(["agreement", "list"], in: sample.folder)
        #expect(list.status == 0)
        #expect(list.stdout.hasPrefix("id  number"))
        #expect(list.stdout.contains("CONTOH/001/KSDD/2025"))
        #expect(list.stdout.hasSuffix("(12 agreements)\n"))
        let count = try CLI.run(["eval", "return agreements.count{kind=\"ksdd\"}"], in: sample.folder)
        #expect(count.stdout == "4\n")
        let again = try CLI.run(["init", sample.folder.path])
        #expect(again.status == 7)
        #expect(again.firstErrorLine.contains("already a Sinergi workspace"))
    }

    @Test func listFiltersAndFormats() throws {
        let sample = try Sample()
        let json = try sample.run(["agreement", "list", "--kind", "sinergi", "--format", "json"])
        let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(array?.count == 2)
        #expect(array?.first?["kind"] as? String == "sinergi")
        let csv = try sample.run(["agreement", "list", "--party", "Pemerintah Kabupaten Probolinggo", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").count == 3)
        #expect(csv.stdout.hasPrefix("number,title,kind,"))
        let bad = try sample.run(["agreement", "list", "--kind", "ksdx"])
        #expect(bad.status == 7)
        #expect(bad.firstErrorLine == "error[validation]: kind: 'ksdx' is not one of: ksdd, ksdpk, sinergi, ksdpl, ksdll")
    }

    @Test func importWithABadDateOnLineSevenImportsNothing() throws {
        let sample = try Sample()
        let empty = try Sample(sample: false)
        let export = try sample.run(["agreement", "export"])
        var lines = export.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Line 7 is the sixth agreement; give it an impossible end date.
        lines[6] = lines[6].replacingOccurrences(of: "persetujuan_dprd", with: "persetujuan_dprd")
        var cells = lines[6].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        cells[header.firstIndex(of: "ends_on")!] = "2027-02-30"
        lines[6] = cells.joined(separator: ",")
        let file = empty.folder.appendingPathComponent("bad.csv")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try empty.run(["agreement", "import", file.path])
        #expect(result.status == 7)
        #expect(result.firstErrorLine == "error[validation]: \(file.path):7: ends_on: '2027-02-30' is not a date (31/12/2027, 31-12-2027, 2027-12-31 or 31 Desember 2027)")
        #expect(result.stderr.contains("nothing was imported"))
        #expect(try empty.run(["eval", "return agreements.count{}"]).stdout == "0\n")
    }

    @Test func exportImportRoundTripsUnchangedInBothFormats() throws {
        let sample = try Sample()
        for format in ["csv", "json"] {
            let target = try Sample(sample: false)
            let file = target.folder.appendingPathComponent("all.\(format)")
            let exported = try sample.run(["agreement", "export", "--output", file.path])
            #expect(exported.status == 0)
            let imported = try target.run(["agreement", "import", file.path])
            #expect(imported.stdout == "imported 12 agreements from \(file.path)\n")
            let original = try sample.run(["agreement", "export", "--format", format])
            let copy = try target.run(["agreement", "export", "--format", format])
            if format == "csv" {
                #expect(copy.stdout == original.stdout)
            } else {
                // ids may differ between workspaces; everything else must not.
                func withoutIds(_ text: String) throws -> [NSDictionary] {
                    let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
                    return array.map { var object = $0; object["id"] = nil; return object as NSDictionary }
                }
                #expect(try withoutIds(copy.stdout) == withoutIds(original.stdout))
            }
        }
    }

    @Test func editingTheDatabaseByHandMakesAuditVerifyNameTheRow() throws {
        let sample = try Sample()
        let intact = try sample.run(["audit", "verify"])
        #expect(intact.status == 0)
        // The sample data set's changes (with its workflow starts and the one step of data/sample_steps.lua), after the first load of sinergi.lua's grants.
        #expect(intact.stdout.hasPrefix("audit trail intact: 37 rows"))
        let database = sample.folder.appendingPathComponent(".sinergi/sinergi.db").path
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", """
            import sqlite3; c = sqlite3.connect('\(database)'); c.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 6"); c.commit()
            """]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        let broken = try sample.run(["audit", "verify"])
        #expect(broken.status == 7)
        #expect(broken.firstErrorLine == "error[validation]: audit_log row 6: its contents do not match its hash (the row was edited)")
    }

    @Test func addShowEditAndAuditLog() throws {
        let sample = try Sample(sample: false)
        let added = try sample.run(["agreement", "add", "--number", "180/1/2027", "--title", "Sampah", "--kind", "ksdd",
                                    "--subkind", "sukarela", "--lead-agency", "Dinas Lingkungan Hidup",
                                    "--party", "kabupaten:Pemerintah Kabupaten Probolinggo",
                                    "--set", "starts_on=2027-01-01", "--set", "ends_on=2031-12-31", "--set", "membebani_masyarakat=true"])
        #expect(added.status == 0)
        #expect(added.stdout.contains("needs DPRD    yes (membebani masyarakat)"))
        let tooLong = try sample.run(["agreement", "edit", "180/1/2027", "--set", "ends_on=2033-01-01"])
        #expect(tooLong.status == 7)
        #expect(tooLong.firstErrorLine.contains("(Permendagri 22/2020 Pasal 9(3))"))
        let edited = try sample.run(["agreement", "edit", "180/1/2027", "--set", "stage=penawaran", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(edited.stdout.utf8)) as? [String: Any]
        #expect(object?["stage"] as? String == "penawaran")
        let log = try sample.run(["audit", "log", "--agreement", "180/1/2027"])
        #expect(log.stdout.contains("update  180/1/2027  stage: persiapan → penawaran"), "\(log.stdout)")
        let missing = try sample.run(["agreement", "show", "nope"])
        #expect(missing.status == 8)
        #expect(missing.firstErrorLine == "error[not-found]: no agreement with number or id 'nope'")
    }

    @Test func actingAsAnotherUserAndTheirPermissions() throws {
        let sample = try Sample()
        let denied = try sample.run(["agreement", "edit", "CONTOH/003/KSDPK/2024", "--set", "stage=pelaporan", "--as", "komisi1"])
        #expect(denied.status == 6)
        #expect(denied.firstErrorLine.hasPrefix("error[permission]: komisi1 may not change agreements"))
        let unknown = try sample.run(["agreement", "list", "--as", "ghost"])
        #expect(unknown.status == 8)
        let clock = try sample.run(["eval", "return tostring(today())", "--now", "2027-01-01"])
        #expect(clock.status == 7)
        #expect(clock.firstErrorLine.contains("testing = { clock_override = true }"))
    }

    @Test func evalIsReadOnlyUnlessWriteAndAWriteIsOneTransaction() throws {
        let sample = try Sample()
        let failing = try sample.run(["eval", "--write", "agreements.get('CONTOH/003/KSDPK/2024'):update{ ends_on = date('2028-06-30') }; error('stop')"])
        #expect(failing.status == 1)
        let readOnly = try sample.run(["eval", "agreements.get('CONTOH/003/KSDPK/2024'):update{ ends_on = date('2028-06-30') }"])
        #expect(readOnly.status == 6)
        #expect(readOnly.firstErrorLine.contains("sinergi eval --write"))
        let end = try sample.run(["eval", "return tostring(agreements.get('CONTOH/003/KSDPK/2024').ends_on)"])
        #expect(end.stdout != "2028-06-30\n")
        let written = try sample.run(["eval", "--write", "agreements.get('CONTOH/003/KSDPK/2024'):update{ ends_on = date('2028-06-30') }"])
        #expect(written.status == 0)
        #expect(try sample.run(["eval", "return tostring(agreements.get('CONTOH/003/KSDPK/2024').ends_on)"]).stdout == "2028-06-30\n")
        // While a workflow runs it, its stage changes only through a transition.
        let stage = try sample.run(["eval", "--write", "agreements.get('CONTOH/003/KSDPK/2024'):update{ stage = 'pelaporan' }"])
        #expect(stage.status == 7)
        #expect(stage.firstErrorLine.contains("a:fire"))
    }

    @Test func evalPrintsAnyValueInAnyFormat() throws {
        let sample = try Sample()
        #expect(try sample.run(["eval", "--format", "json", "agreements.count{}"]).stdout == "12\n")
        #expect(try sample.run(["eval", "--format", "csv", "return {{1, 'a'}, {2, 'b,c'}}"]).stdout == "1,a\n2,\"b,c\"\n")
        let repl = try CLI.run(["repl", "--format", "json"], environment: sample.environment, input: "agreements.count{}\n'x'\n")
        #expect(repl.status == 0)
        #expect(repl.stdout == "12\n\"x\"\n")
    }

    @Test func outsideAWorkspaceAgreementCommandsSayWhatToDo() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["agreement", "list"], in: folder)
        #expect(result.status == 8)
        #expect(result.firstErrorLine.contains("sinergi init"))
    }
}
