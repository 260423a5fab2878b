import Foundation
import Testing

/// Correcting mistakes without losing history (issue #9 §3), end to end: `agreement void`,
/// `agreement attach --file`, `sinergi backup` and its restore.
@Suite struct CorrectionCommandTests {
    @Test func aVoidedAgreementLeavesListsButKeepsItsRecordAndHistory() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let denied = try sample.run(["agreement", "void", "CONTOH/012/KSDPK/2024", "--reason", "ganda", "--as", "budi"])
        #expect(denied.status == 6)
        #expect(denied.firstErrorLine.contains("needs role admin or sekretariat"), "\(denied.stderr)")
        let noReason = try sample.run(["agreement", "void", "CONTOH/012/KSDPK/2024", "--reason", " "])
        #expect(noReason.status == 7)
        let voided = try sample.run(["agreement", "void", "CONTOH/012/KSDPK/2024", "--reason", "dicatat ganda", "--as", "sari"])
        #expect(voided.status == 0, "\(voided.stderr)")
        #expect(voided.stdout == "voided CONTOH/012/KSDPK/2024\n")
        #expect(try sample.run(["agreement", "list"]).stdout.hasSuffix("(11 agreements)\n"))
        let all = try sample.run(["agreement", "list", "--all"])
        #expect(all.stdout.hasSuffix("(12 agreements)\n"))
        #expect(all.stdout.contains(" ksdpk    void  "), "\(all.stdout)")
        let json = try sample.run(["agreement", "show", "CONTOH/012/KSDPK/2024", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["voided"] as? [String: Any])?["reason"] as? String == "dicatat ganda")
        let edit = try sample.run(["agreement", "edit", "CONTOH/012/KSDPK/2024", "--set", "stage=pelaporan"])
        #expect(edit.status == 7)
        #expect(edit.firstErrorLine.contains("is void: it is kept as it was"), "\(edit.stderr)")
        #expect(try sample.run(["eval", "return agreements.count{}"]).stdout == "11\n")
        let shown = try sample.run(["agreement", "show", "CONTOH/012/KSDPK/2024"])
        #expect(shown.stdout.contains("by sari: dicatat ganda"), "\(shown.stdout)")
        let log = try sample.run(["audit", "log", "--limit", "1"])
        #expect(log.stdout.contains("void    CONTOH/012/KSDPK/2024  agreement voided: dicatat ganda"), "\(log.stdout)")
        let again = try sample.run(["agreement", "void", "CONTOH/012/KSDPK/2024", "--reason", "lagi"])
        #expect(again.status == 7)
        #expect(try sample.run(["audit", "verify"]).status == 0)
    }

    @Test func attachCopiesTheFileSetsTheTermAndADocumentCanBeVoided() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let outside = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outside) }
        let scan = try CLI.write("PKS hasil pindai\n", to: "pks 07.pdf", in: outside)
        let refused = try sample.run(["agreement", "attach", "CONTOH/003/KSDPK/2024", "--kind", "pks", "--file", scan, "--as", "komisi1"])
        #expect(refused.status == 6)
        #expect(!FileManager.default.fileExists(atPath: sample.folder.appendingPathComponent("documents").path))
        let attached = try sample.run(["agreement", "attach", "CONTOH/003/KSDPK/2024", "--kind", "pks", "--number", "PKS/07/2024",
                                       "--date", "2024-07-01", "--file", scan, "--set-dates", "--ends-on", "2027-06-30"])
        #expect(attached.status == 0, "\(attached.stderr)")
        #expect(attached.stdout.contains("– 2027-06-30"), "\(attached.stdout)")
        let json = try sample.run(["eval", "--format", "json",
                                   "local d = agreements.get('CONTOH/003/KSDPK/2024'):document('pks'); return { d.file, d.sha256 }"])
        let pair = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String]
        // printf 'PKS hasil pindai\n' | sha256sum
        let sha = "9b8215419aa50eaf360d8f8b4b2c823a0d447e89a3223bd68b79e522b7f54b8b"
        #expect(pair?.first?.hasPrefix("documents/\(sha.prefix(12))-") == true && pair?.first?.hasSuffix("-pks_07.pdf") == true, "\(json.stdout)")
        let copy = sample.folder.appendingPathComponent(pair?.first ?? "missing")
        #expect(try String(contentsOf: copy, encoding: .utf8) == "PKS hasil pindai\n")
        #expect(pair?.last == sha)
        #expect(try sample.run(["eval", "return tostring(agreements.get('CONTOH/003/KSDPK/2024').pks_starts_on)"]).stdout == "2024-07-01\n")

        let wrongKind = try sample.run(["agreement", "attach", "CONTOH/003/KSDPK/2024", "--kind", "kak", "--set-dates", "--date", "2024-01-01"])
        #expect(wrongKind.status == 7)
        let voided = try sample.run(["agreement", "void", "CONTOH/003/KSDPK/2024", "--document", "PKS/07/2024", "--reason", "salah pindai"])
        #expect(voided.status == 0, "\(voided.stderr)")
        #expect(!(try sample.run(["agreement", "show", "CONTOH/003/KSDPK/2024"]).stdout.contains("PKS/07/2024")))
        #expect(try sample.run(["audit", "verify"]).status == 0)
    }

    /// Stored text reaches a terminal escaped: a title with an escape sequence, a bell and a line
    /// break (a script or an import chose it) cannot clear the screen or forge a row.
    @Test func listAndShowEscapeControlCharactersInStoredText() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let set = try sample.run(["eval", "--write", #"agreements.get('CONTOH/003/KSDPK/2024'):update{ title = "A\27[2J\27]0;pwn\7B\r\nC" }"#])
        #expect(set.status == 0, "\(set.stderr)")
        for arguments in [["agreement", "list"], ["agreement", "show", "CONTOH/003/KSDPK/2024"]] {
            let shown = try sample.run(arguments)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(!shown.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\r" }, "\(arguments)")
            #expect(shown.stdout.contains("[2J"), "\(shown.stdout)")
        }
    }

    @Test func aBackupRestoresToTheSameVerifiedState() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let outside = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outside) }
        let scan = try CLI.write("KB\n", to: "kb.pdf", in: outside)
        #expect(try sample.run(["agreement", "attach", "CONTOH/003/KSDPK/2024", "--kind", "berita_acara", "--file", scan]).status == 0)
        let file = outside.appendingPathComponent("backup.db").path
        let backup = try sample.run(["backup", file])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout == "backed up the database to \(file) and 1 documents to \(file).documents\n")
        #expect(try sample.run(["backup", file]).status == 7)
        let before = try sample.run(["agreement", "export"]).stdout

        // The documented restore, into a fresh workspace.
        let target = try WorkspaceCommandTests.Sample(sample: false)
        let database = target.folder.appendingPathComponent(".sinergi/sinergi.db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        try FileManager.default.copyItem(atPath: file, toPath: database.path)
        try FileManager.default.copyItem(atPath: file + ".documents", toPath: target.folder.appendingPathComponent("documents").path)
        try FileManager.default.removeItem(at: target.folder.appendingPathComponent("sinergi.lua"))
        try FileManager.default.copyItem(at: sample.folder.appendingPathComponent("sinergi.lua"),
                                         to: target.folder.appendingPathComponent("sinergi.lua"))
        #expect(try target.run(["agreement", "export"]).stdout == before)
        let verified = try target.run(["audit", "verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
