import Foundation
import Testing

/// The shipped reminder scripts (scripts/pengingat_*.lua) end to end: the real binary, a real
/// sample workspace, a fixed clock (`--now`), and the outbox read back with `notify list`.
///
/// The sample's dates are relative to the day it was made (`t`), so every clock here is `t + n`;
/// `t` is read back from the data (CONTOH/001 ends at t + 45), never from the wall clock.
@Suite struct ReminderScriptTests {
    /// A sample workspace whose clock may be set, and what the tests ask of it.
    final class Workspace {
        let sample: WorkspaceCommandTests.Sample
        let madeOn: Date

        init(appending configuration: String = "") throws {
            sample = try SearchAndUsersCommandTests.sample(appending: "testing = { clock_override = true }\n" + configuration)
            let end = try sample.run(["eval", "return tostring(agreements.get('CONTOH/001/KSDD/2025').ends_on)"])
            guard let date = Self.format.date(from: end.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw WorkspaceCommandTests.CLIError(message: "no sample end date: \(end.stdout)\(end.stderr)")
            }
            madeOn = date.addingTimeInterval(-45 * 86_400)
        }

        static let format: DateFormatter = {
            let format = DateFormatter()
            format.locale = Locale(identifier: "en_US_POSIX")
            format.timeZone = TimeZone(identifier: "UTC")
            format.dateFormat = "yyyy-MM-dd"
            return format
        }()

        /// The sample's day `t + offset`, as `YYYY-MM-DD`.
        func day(_ offset: Int) -> String { Self.format.string(from: madeOn.addingTimeInterval(Double(offset) * 86_400)) }

        /// Runs a script at 08:00 (Asia/Jakarta) on day `t + offset`.
        @discardableResult
        func run(_ script: String, at offset: Int, _ arguments: [String] = []) throws -> CLI.Result {
            try run(script, now: day(offset) + "T08:00:00+07:00", arguments)
        }

        @discardableResult
        func run(_ script: String, now: String, _ arguments: [String] = []) throws -> CLI.Result {
            let result = try sample.run(["run", "--now", now, "scripts/\(script).lua"] + arguments)
            #expect(result.status == 0, "\(script) at \(now): \(result.stderr)")
            return result
        }

        /// The outbox, oldest first: key → message.
        func outbox() throws -> [String: [String: Any]] {
            let list = try sample.run(["notify", "list", "--format", "json", "--limit", "10000"])
            #expect(list.status == 0, "\(list.stderr)")
            let objects = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
            return Dictionary(objects.compactMap { object in (object["key"] as? String).map { ($0, object) } }) { first, _ in first }
        }

        func keys(prefix: String = "") throws -> Set<String> { Set(try outbox().keys.filter { $0.hasPrefix(prefix) }) }
    }

    @Test func expiryRemindersGoOutOncePerDocumentAtTheNearestThreshold() throws {
        let workspace = try Workspace()
        let first = try workspace.run("pengingat_berakhir", at: 1)
        #expect(first.stdout.hasPrefix("pengingat_berakhir: 10 pesan diantrekan"), "\(first.stdout)")
        // CONTOH/001 ends at t + 45 (KB and PKS: 60 only, not 90 as well); CONTOH/010, a Sinergi
        // with no PKS, at t + 20 (30); CONTOH/012 at t + 80 (90); the rest are far off or not active.
        let expected: Set<String> = [
            "berakhir:kb:1:60:\(workspace.day(45))@role:pd:DLH", "berakhir:kb:1:60:\(workspace.day(45))@role:sekretariat",
            "berakhir:pks:1:60:\(workspace.day(45))@role:pd:DLH", "berakhir:pks:1:60:\(workspace.day(45))@role:sekretariat",
            "berakhir:kb:10:30:\(workspace.day(20))@role:pd", "berakhir:kb:10:30:\(workspace.day(20))@role:sekretariat",
            "berakhir:kb:12:90:\(workspace.day(80))@role:pd", "berakhir:kb:12:90:\(workspace.day(80))@role:sekretariat",
            "berakhir:pks:12:90:\(workspace.day(80))@role:pd", "berakhir:pks:12:90:\(workspace.day(80))@role:sekretariat",
        ]
        #expect(try workspace.keys() == expected)
        let message = try #require(try workspace.outbox()["berakhir:pks:1:60:\(workspace.day(45))@role:pd:DLH"])
        #expect(message["to"] as? String == "role:pd:DLH")
        #expect((message["subject"] as? String)?.contains("CONTOH/001/KSDD/2025 berakhir dalam 44 hari") == true, "\(message)")
        #expect(message["agreement_id"] as? Int == 1)

        // The same day again, and the next day: nothing new.
        #expect(try workspace.run("pengingat_berakhir", at: 1).stdout.hasPrefix("pengingat_berakhir: 0 pesan"))
        #expect(try workspace.run("pengingat_berakhir", at: 2).stdout.hasPrefix("pengingat_berakhir: 0 pesan"))
        #expect(try workspace.keys() == expected)
    }

    @Test func aChangedEndDateRearmsTheReminders() throws {
        let workspace = try Workspace()
        try workspace.run("pengingat_berakhir", at: 1)
        let edited = try workspace.sample.run(["agreement", "edit", "CONTOH/010/SINERGI/2024", "--set", "ends_on=\(workspace.day(25))"])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(try workspace.run("pengingat_berakhir", at: 1).stdout.hasPrefix("pengingat_berakhir: 2 pesan"))
        #expect(try workspace.keys(prefix: "berakhir:kb:10:") == [
            "berakhir:kb:10:30:\(workspace.day(20))@role:pd", "berakhir:kb:10:30:\(workspace.day(20))@role:sekretariat",
            "berakhir:kb:10:30:\(workspace.day(25))@role:pd", "berakhir:kb:10:30:\(workspace.day(25))@role:sekretariat",
        ])
    }

    /// CONTOH/010 ends at t + 20: it comes within 7 days on t + 13. With the scheduler down that
    /// day, the run on t + 14 still sends the 7-day reminder, once.
    @Test func aDayOfDowntimeLosesNoReminder() throws {
        let workspace = try Workspace()
        try workspace.run("pengingat_berakhir", at: 12)
        #expect(try workspace.keys(prefix: "berakhir:kb:10:7:").isEmpty)
        try workspace.run("pengingat_berakhir", at: 14)
        #expect(try workspace.keys(prefix: "berakhir:kb:10:7:") == [
            "berakhir:kb:10:7:\(workspace.day(20))@role:pd", "berakhir:kb:10:7:\(workspace.day(20))@role:sekretariat",
        ])
        try workspace.run("pengingat_berakhir", at: 15)
        #expect(try workspace.keys(prefix: "berakhir:kb:10:7:").count == 2)
        // Past its end and still recorded active: once more, at threshold 0, as "telah berakhir".
        try workspace.run("pengingat_berakhir", at: 22)
        let ended = try #require(try workspace.outbox()["berakhir:kb:10:0:\(workspace.day(20))@role:sekretariat"])
        #expect((ended["subject"] as? String)?.contains("telah berakhir") == true, "\(ended)")
    }

    /// CONTOH/007 (expired, ended at t - 100) is already left out of the set above; a voided
    /// agreement is left out too, whatever its dates.
    @Test func voidedAgreementsGetNoReminder() throws {
        let workspace = try Workspace()
        let voided = try workspace.sample.run(["agreement", "void", "CONTOH/012/KSDPK/2024", "--reason", "dicatat ganda"])
        #expect(voided.status == 0, "\(voided.stderr)")
        try workspace.run("pengingat_berakhir", at: 1)
        #expect(try workspace.keys().count == 6)
        #expect(try workspace.keys().allSatisfy { !$0.contains(":12:") })
    }

    @Test func thresholdsComeFromTheJobsArgument() throws {
        let workspace = try Workspace()
        try workspace.run("pengingat_berakhir", at: 1, ["14"])
        #expect(try workspace.keys().isEmpty)
        let refused = try workspace.sample.run(["run", "--now", workspace.day(1), "scripts/pengingat_berakhir.lua", "30,tiga"])
        #expect(refused.status == 1)
        #expect(refused.firstErrorLine.contains("'tiga' bukan jumlah hari"), "\(refused.stderr)")
    }

    /// A Sinergi offered on t - 25 and on no workflow: the kementerian's 30 days, counted from the
    /// letter, end on t + 5 (Permendagri 22/2020 Pasal 54).
    @Test func anOfferReminderGoesOutOnceInTheLastDaysOfItsPeriod() throws {
        let workspace = try Workspace()
        let created = try workspace.sample.run(["eval", "--write", """
            local a = agreements.create{ number = "UJI/1/SINERGI", title = "Uji penawaran", kind = "sinergi",
              lead_agency = "Dinas Perhubungan", parties = { { name = "Kementerian Uji", kind = "kementerian" } },
              stage = "penawaran" }
            a:attach{ kind = "surat_penawaran", number = "PNW/1", date = date("\(workspace.day(-25))") }
            return a.id
            """])
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try workspace.run("pengingat_penawaran", at: -3)
        #expect(try workspace.keys().isEmpty)
        #expect(try workspace.run("pengingat_penawaran", at: 1).stdout.hasPrefix("pengingat_penawaran: 2 pesan"))
        #expect(try workspace.keys() == [
            "penawaran:jawab:\(id):\(workspace.day(5))@role:pd:Dishub", "penawaran:jawab:\(id):\(workspace.day(5))@role:sekretariat",
        ])
        let message = try #require(try workspace.outbox()["penawaran:jawab:\(id):\(workspace.day(5))@role:sekretariat"])
        #expect((message["body"] as? String)?.contains("Pasal 54") == true, "\(message)")
        try workspace.run("pengingat_penawaran", at: 2)
        try workspace.run("pengingat_penawaran", at: 5)
        try workspace.run("pengingat_penawaran", at: 6)
        #expect(try workspace.keys().count == 2)
    }

    /// With a workflow, the period is the current state's deadline, counted from the day the state
    /// was entered (the partner's receipt), so the reminder names the day the workflow's timer acts;
    /// while the track waits for the receipt, no period runs and nothing is sent.
    @Test func anOfferRunningAWorkflowIsCountedFromItsStateLikeItsTimer() throws {
        let workspace = try Workspace()
        // A new Sinergi, put on the shipped track at `penawaran`, signed and received on t + 1.
        let created = try workspace.sample.run(["eval", "--write", """
            local a = agreements.create{ number = "UJI/2/SINERGI", title = "Uji penawaran", kind = "sinergi",
              lead_agency = "Dinas Perhubungan", parties = { { name = "Kementerian Uji", kind = "kementerian" } },
              stage = "penawaran" }
            a:attach{ kind = "kak", number = "KAK/2", date = date("\(workspace.day(-10))") }
            a:attach{ kind = "surat_penawaran", number = "PNW/2", date = date("\(workspace.day(-5))") }
            return a.id
            """])
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let started = try workspace.sample.run(["workflow", "start", "UJI/2/SINERGI", "--workflow", "sinergi_kl",
                                                "--now", workspace.day(1) + "T08:30:00+07:00"])
        #expect(started.status == 0, "\(started.stderr)")
        try workspace.run("pengingat_penawaran", at: 20)
        #expect(try workspace.keys().isEmpty)
        for (event, user, hour) in [("penawaran_ditandatangani", "walikota", "09"), ("penawaran_diterima_mitra", "sari", "10")] {
            let fired = try workspace.sample.run(["workflow", "fire", "UJI/2/SINERGI", event, "--as", user,
                                                  "--now", workspace.day(1) + "T\(hour):00:00+07:00"])
            #expect(fired.status == 0, "\(fired.stderr)")
        }
        // Received on t + 1: day 30 is t + 31, not t + 25 as the letter's date (t - 5) would make it.
        try workspace.run("pengingat_penawaran", at: 20)
        #expect(try workspace.keys().isEmpty)
        try workspace.run("pengingat_penawaran", at: 24)
        #expect(try workspace.keys() == [
            "penawaran:jawab:\(id):\(workspace.day(31))@role:pd:Dishub", "penawaran:jawab:\(id):\(workspace.day(31))@role:sekretariat",
        ])
    }

    /// Received 1 March: day 45 is 15 April, deemed approved at the start of 16 April; warned from 8 April.
    /// (A later year than the sample's dates, so its own request does not come into the window.)
    @Test func theDprdReminderCountsFortyFiveDaysFromTheDayAfterReceipt() throws {
        let workspace = try Workspace()
        try workspace.run("pengingat_dprd", at: 1)
        #expect(try workspace.keys() == ["dprd:2:\(workspace.day(5))@role:sekretariat"])
        let message = try #require(try workspace.outbox()["dprd:2:\(workspace.day(5))@role:sekretariat"])
        #expect((message["body"] as? String)?.contains("Pasal 12 ayat (4)") == true)

        let attached = try workspace.sample.run(["eval", "--write", """
            agreements.get('CONTOH/002/KSDD/2026'):attach{ kind = 'surat_permohonan_dprd', number = 'X/1', date = date('2031-03-01') }
            """])
        #expect(attached.status == 0, "\(attached.stderr)")
        try workspace.run("pengingat_dprd", now: "2031-04-07T08:00:00+07:00")
        #expect(try workspace.keys(prefix: "dprd:2:2031-").isEmpty)
        try workspace.run("pengingat_dprd", now: "2031-04-08T08:00:00+07:00")
        #expect(try workspace.keys(prefix: "dprd:2:2031-") == ["dprd:2:2031-04-15@role:sekretariat"])
        let deemed = try #require(try workspace.outbox()["dprd:2:2031-04-15@role:sekretariat"])
        #expect((deemed["subject"] as? String)?.hasSuffix("dianggap diberikan mulai 16 April 2031") == true, "\(deemed)")
        try workspace.run("pengingat_dprd", now: "2031-04-15T08:00:00+07:00")
        #expect(try workspace.keys(prefix: "dprd:2:2031-").count == 1)
    }

    /// The workspace counts the DPRD's days one way for the workflows and the reminder alike:
    /// with the day of receipt as day 1, a request received on 1 March has 14 April as day 45.
    @Test func theDprdReminderCountsAsTheWorkspacesWorkflowsDo() throws {
        let workspace = try Workspace(appending: #"workflows = { dprd_first_day = "receipt" }"#)
        let attached = try workspace.sample.run(["eval", "--write", """
            agreements.get('CONTOH/002/KSDD/2026'):attach{ kind = 'surat_permohonan_dprd', number = 'X/1', date = date('2031-03-01') }
            """])
        #expect(attached.status == 0, "\(attached.stderr)")
        try workspace.run("pengingat_dprd", now: "2031-04-06T08:00:00+07:00")
        #expect(try workspace.keys(prefix: "dprd:2:2031-").isEmpty)
        try workspace.run("pengingat_dprd", now: "2031-04-07T08:00:00+07:00")
        #expect(try workspace.keys(prefix: "dprd:2:2031-") == ["dprd:2:2031-04-14@role:sekretariat"])
        // An argument overrides the setting for one run (a new key: another last day).
        try workspace.run("pengingat_dprd", now: "2031-04-08T08:00:00+07:00", ["7", "days", "after_receipt"])
        #expect(try workspace.keys(prefix: "dprd:2:2031-").contains("dprd:2:2031-04-15@role:sekretariat"))
    }

    @Test func semesterReportRemindersGoOutOncePerSemesterWithTheTkksdRollUp() throws {
        let workspace = try Workspace()
        try workspace.run("pengingat_laporan", now: "2027-01-01T08:00:00+07:00")
        // The six active sample agreements, each to its lead agency, and one roll-up.
        let january: Set<String> = ["laporan:1:2026-S2@role:pd:DLH", "laporan:3:2026-S2@role:pd", "laporan:4:2026-S2@role:pd",
                                    "laporan:10:2026-S2@role:pd", "laporan:11:2026-S2@role:pd:DLH", "laporan:12:2026-S2@role:pd",
                                    "laporan:tkksd:2026-S2@role:tkksd"]
        #expect(try workspace.keys() == january)
        let rollUp = try #require(try workspace.outbox()["laporan:tkksd:2026-S2@role:tkksd"])
        #expect((rollUp["body"] as? String)?.contains("- KSDD: 4 (1 aktif, 2 dalam proses, 1 berakhir)") == true, "\(rollUp)")
        try workspace.run("pengingat_laporan", now: "2027-01-01T09:00:00+07:00")
        try workspace.run("pengingat_laporan", now: "2027-01-20T08:00:00+07:00")
        #expect(try workspace.keys() == january)
        try workspace.run("pengingat_laporan", now: "2027-07-01T08:00:00+07:00")
        #expect(try workspace.keys(prefix: "laporan:tkksd:") == ["laporan:tkksd:2026-S2@role:tkksd", "laporan:tkksd:2027-S1@role:tkksd"])
        #expect(try workspace.keys().count == 14)
    }

    /// Issue #11's check: in the sample, the first `scheduler tick` at 08:00 tomorrow runs the
    /// shipped daily jobs as the system actor and puts their reminders in the outbox; the same
    /// tick again, or a later one that day, adds nothing.
    @Test func theFirstTickAtEightTomorrowQueuesTheSampleRemindersOnce() throws {
        let workspace = try Workspace()
        let eight = workspace.day(1) + "T08:00:00+07:00"
        let tick = try workspace.sample.run(["scheduler", "tick", "--now", eight, "--format", "csv"])
        #expect(tick.status == 0, "\(tick.stderr)")
        for job in ["pengingat_berakhir", "pengingat_penawaran", "pengingat_dprd"] {
            #expect(tick.stdout.contains("\n\(job),\(eight),done,"), "\(tick.stdout)\(tick.stderr)")
        }
        let outbox = try workspace.outbox()
        #expect(outbox.count == 11)  // 10 on expiry, 1 on a DPRD request
        #expect(outbox.values.allSatisfy { $0["created_by"] as? String == "system" })
        for again in [eight, workspace.day(1) + "T09:00:00+07:00"] {
            #expect(try workspace.sample.run(["scheduler", "tick", "--now", again]).status == 0)
        }
        #expect(try workspace.outbox().count == 11)
    }

    /// Every message the first day's reminders queue reaches someone: each recipient role is held
    /// by a sample user with a contact.
    @Test func everySampleRecipientResolves() throws {
        let workspace = try Workspace()
        for script in ["pengingat_berakhir", "pengingat_penawaran", "pengingat_dprd"] { try workspace.run(script, at: 1) }
        try workspace.run("pengingat_laporan", now: "2027-01-01T08:00:00+07:00")
        let users = try workspace.sample.run(["user", "list", "--format", "json"])
        let objects = try JSONSerialization.jsonObject(with: Data(users.stdout.utf8)) as? [[String: Any]] ?? []
        let held = Set(objects.flatMap { $0["roles"] as? [String] ?? [] })
        let recipients = Set(try workspace.outbox().values.compactMap { $0["to"] as? String })
        #expect(recipients.count >= 4)
        for recipient in recipients {
            #expect(held.contains(String(recipient.dropFirst("role:".count))), "no sample user has \(recipient)")
        }
    }
}
