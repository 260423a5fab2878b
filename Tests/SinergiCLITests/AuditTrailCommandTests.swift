import Foundation
import Testing

/// `audit log` and `audit verify` as people use them (issue #9 §4): register numbers and
/// field-level changes, filters, and a hand edit of the database file caught and named.
@Suite struct AuditTrailCommandTests {
    /// Runs one statement on the workspace's database with Python's sqlite3, as a hand edit would.
    static func handEdit(_ sample: WorkspaceCommandTests.Sample, _ sql: String) throws {
        let database = sample.folder.appendingPathComponent(".sinergi/sinergi.db").path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()",
                            database, sql]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
    }

    @Test func aHandEditOfALiveRowMakesVerifyNameTheRecordAndField() throws {
        let sample = try WorkspaceCommandTests.Sample()
        #expect(try sample.run(["audit", "verify"]).status == 0)
        try Self.handEdit(sample, "UPDATE agreement SET ends_on = '2029-01-31' WHERE number = 'CONTOH/003/KSDPK/2024'")
        let broken = try sample.run(["audit", "verify"])
        #expect(broken.status == 7)
        #expect(broken.firstErrorLine.hasPrefix("error[validation]: agreement CONTOH/003/KSDPK/2024 (id 3): ends_on is \"2029-01-31\""),
                "\(broken.stderr)")
        #expect(broken.firstErrorLine.hasSuffix("the record was changed outside Sinergi"))
    }

    @Test func aRowInsertedOrDeletedByHandIsNamed() throws {
        let sample = try WorkspaceCommandTests.Sample()
        try Self.handEdit(sample, "DELETE FROM agreement WHERE number = 'CONTOH/012/KSDPK/2024'")
        let deleted = try sample.run(["audit", "verify"])
        #expect(deleted.status == 7)
        #expect(deleted.firstErrorLine.contains("not in the database (it was deleted outside Sinergi)"), "\(deleted.stderr)")

        let other = try WorkspaceCommandTests.Sample()
        try Self.handEdit(other, """
            INSERT INTO agreement (number, title, kind, lead_agency, status, stage, created_at, updated_at)
            VALUES ('X/1', 'Siluman', 'ksdpk', 'Bappeda', 'draft', 'persiapan', 'now', 'now')
            """)
        let inserted = try other.run(["audit", "verify"])
        #expect(inserted.status == 7)
        #expect(inserted.firstErrorLine.hasPrefix("error[validation]: agreement X/1 (id 13): it has no audit entry"), "\(inserted.stderr)")
    }

    @Test func aHandEditOfADocumentOrAVoidIsNamed() throws {
        let sample = try WorkspaceCommandTests.Sample()
        try Self.handEdit(sample, """
            UPDATE document SET sha256 = 'ff' WHERE id = (SELECT MIN(id) FROM document
              WHERE agreement_id = (SELECT id FROM agreement WHERE number = 'CONTOH/001/KSDD/2025'))
            """)
        let document = try sample.run(["audit", "verify"])
        #expect(document.status == 7)
        #expect(document.firstErrorLine.hasPrefix("error[validation]: agreement CONTOH/001/KSDD/2025 (id 1): document kesepakatan_bersama "),
                "\(document.stderr)")
        #expect(document.firstErrorLine.contains(#"sha256 is "ff" but audit_log row"#))

        let other = try WorkspaceCommandTests.Sample()
        #expect(try other.run(["agreement", "void", "CONTOH/012/KSDPK/2024", "--reason", "ganda"]).status == 0)
        try Self.handEdit(other, "DELETE FROM voided")
        let restored = try other.run(["audit", "verify"])
        #expect(restored.status == 7)
        #expect(restored.firstErrorLine.hasSuffix("(id 12): it is not void despite an audited void: its void was changed outside Sinergi"),
                "\(restored.stderr)")
    }

    /// A workflow move's one audit row holds the agreement's fields it changed (the sample adopts
    /// CONTOH/008 into pelaporan from stage pelaksanaan): verify lays them over the agreement's
    /// last whole snapshot, so setting the stage back by hand is named, and so is any other field.
    @Test(arguments: [
        ("stage = 'pelaksanaan'", #"stage is "pelaksanaan" but its latest audited state (audit_log row "#),
        ("title = 'Lain'", #"title is "Lain" but its latest audited state (audit_log row "#),
    ])
    func aHandEditAfterAWorkflowMoveIsNamed(_ change: String, _ named: String) throws {
        let sample = try WorkspaceCommandTests.Sample()
        let log = try sample.run(["audit", "log", "--agreement", "CONTOH/008/KSDPK/2023", "--limit", "1"])
        #expect(log.stdout.hasSuffix("workflow.adopt  CONTOH/008/KSDPK/2023  diakhiri; stage: pelaksanaan → pelaporan\n"), "\(log.stdout)")
        #expect(try sample.run(["audit", "verify"]).status == 0)
        try Self.handEdit(sample, "UPDATE agreement SET \(change) WHERE number = 'CONTOH/008/KSDPK/2023'")
        let broken = try sample.run(["audit", "verify"])
        #expect(broken.status == 7)
        #expect(broken.firstErrorLine.contains(named), "\(broken.stderr)")
    }

    /// The workflow tables were never compared with the trail: moving an agreement past its DPRD
    /// step, or rewriting who fired what, left `audit verify` reporting all intact.
    @Test(arguments: [
        ("UPDATE workflow_instance SET state = 'pelaksanaan' WHERE agreement_id = 2",
         "(id 2): its state is pelaksanaan but its latest audited move"),
        ("UPDATE workflow_instance SET version = 'x' WHERE agreement_id = 2", "(id 2): its version is x but its latest audited move"),
        ("DELETE FROM workflow_instance WHERE agreement_id = 2", "(id 2): it is in the audit trail but has no instance"),
        ("INSERT INTO workflow_instance SELECT 99, workflow, version, state, since, started_at, revision FROM workflow_instance LIMIT 1",
         "agreement id 99: it stands in"),
        ("DELETE FROM workflow_history WHERE id = (SELECT MAX(id) FROM workflow_history)", "a line was added or deleted outside Sinergi"),
        ("UPDATE workflow_history SET actor = 'sekda' WHERE id = (SELECT MAX(id) FROM workflow_history)", ": actor is sekda but audit_log row"),
        ("UPDATE workflow_history SET outcome = 'approved' WHERE id = (SELECT MAX(id) FROM workflow_history)",
         #": outcome is "approved" but audit_log row"#),
    ])
    func aHandEditOfAWorkflowIsNamed(_ sql: String, _ named: String) throws {
        let sample = try WorkspaceCommandTests.Sample()
        #expect(try sample.run(["audit", "verify"]).status == 0)
        try Self.handEdit(sample, sql)
        let broken = try sample.run(["audit", "verify"])
        #expect(broken.status == 7)
        #expect(broken.firstErrorLine.hasPrefix("error[validation]: the workflow of agreement "), "\(broken.stderr)")
        #expect(broken.firstErrorLine.contains(named), "\(broken.stderr)")
    }

    /// A hash chain cannot tell its newest rows were cut off; SQLite's AUTOINCREMENT counter for
    /// audit_log remembers the highest id it gave.
    @Test func deletingTheNewestAuditRowsIsNamed() throws {
        let sample = try WorkspaceCommandTests.Sample()
        try Self.handEdit(sample, "DELETE FROM audit_log WHERE id >= (SELECT MAX(id) - 2 FROM audit_log)")
        let cut = try sample.run(["audit", "verify"])
        #expect(cut.status == 7)
        #expect(cut.firstErrorLine.contains("are missing: the newest rows were deleted"), "\(cut.stderr)")
    }

    /// A backup of a hand-edited database looked like any other; it is kept (it is evidence) and
    /// said not to verify. A clean one says nothing more.
    @Test func aBackupOfAHandEditedDatabaseSaysItDoesNotVerify() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clean = try sample.run(["backup", folder.appendingPathComponent("clean.db").path])
        #expect(clean.status == 0 && clean.stderr.isEmpty, "\(clean.stderr)")
        try Self.handEdit(sample, "UPDATE agreement SET ends_on = '2029-01-31' WHERE number = 'CONTOH/003/KSDPK/2024'")
        let tampered = folder.appendingPathComponent("tampered.db")
        let copied = try sample.run(["backup", tampered.path])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(FileManager.default.fileExists(atPath: tampered.path))
        #expect(copied.firstErrorLine.hasPrefix("warning: the backup does not verify against its audit trail (agreement CONTOH/003/KSDPK/2024"),
                "\(copied.stderr)")
    }

    @Test func theLogShowsNumbersAndFieldChangesAndFilters() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let edited = try sample.run(["agreement", "edit", "CONTOH/003/KSDPK/2024", "--set", "scope=Penelitian dan magang",
                                     "--set", "value=250000000"])
        #expect(edited.status == 0, "\(edited.stderr)")
        let log = try sample.run(["audit", "log", "--agreement", "CONTOH/003/KSDPK/2024", "--limit", "1"])
        #expect(log.stdout.split(separator: "\n").last.map(String.init)?
                    .hasSuffix("update  CONTOH/003/KSDPK/2024  scope: Penelitian terapan, KKN, magang → Penelitian dan magang; value: null → 250000000") == true,
                "\(log.stdout)")
        let json = try sample.run(["audit", "log", "--limit", "1", "--format", "json"])
        let entry = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first
        #expect(entry?["record"] as? String == "CONTOH/003/KSDPK/2024")
        #expect((entry?["changes"] as? [String])?.last == "value: null → 250000000")
        // init --sample put the sample set on its tracks: each start is in the trail, under its number.
        let adopted = try sample.run(["audit", "log", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(adopted.contains { $0.contains(",workflow.start,CONTOH/009/KSDD/2026,persiapan") })

        let nobody = try sample.run(["audit", "log", "--actor", "komisi1"])
        #expect(nobody.stdout.split(separator: "\n").count == 1, "\(nobody.stdout)")
        let future = try sample.run(["audit", "log", "--since", "2999-01-01"])
        #expect(future.stdout.split(separator: "\n").count == 1)
        let today = try sample.run(["audit", "log", "--since", "2000-01-01", "--limit", "100", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(today.stdout.utf8)) as? [Any])?.count == 38)
        let bad = try sample.run(["audit", "log", "--since", "yesterday"])
        #expect(bad.status == 7)
    }
}
