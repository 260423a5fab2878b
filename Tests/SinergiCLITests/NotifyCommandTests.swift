import Foundation
import Testing

/// `notify list / deliver / retry` end to end on the real binary: a script queues, a pass
/// delivers to a file channel, a failing channel leads to the dead state and back.
@Suite struct NotifyCommandTests {
    static let channels = """

        users { { id = "sari", name = "Sari", roles = { "sekretariat" }, contact = { email = "sari@example.org" } } }
        channels { { name = "arsip", type = "file", path = "outbox/messages.jsonl" } }
        """

    static let script = """
        local queued = notify{ to = "role:sekretariat", subject = "KB berakhir 30 hari lagi",
                               body = "Mohon ditindaklanjuti.", key = "expiry:" .. (arg[1] or "x") }
        print(queued)
        """

    func workspace(_ configuration: String) throws -> WorkspaceCommandTests.Sample {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let file = sample.folder.appendingPathComponent("sinergi.lua")
        try (try String(contentsOf: file, encoding: .utf8) + configuration).write(to: file, atomically: true, encoding: .utf8)
        _ = try CLI.write(Self.script, to: "scripts/remind.lua", in: sample.folder)
        return sample
    }

    func remind(_ sample: WorkspaceCommandTests.Sample, _ arguments: [String] = []) throws -> CLI.Result {
        try sample.run(["run", sample.folder.appendingPathComponent("scripts/remind.lua").path] + arguments)
    }

    @Test func aQueuedMessageIsDeliveredOnceToTheFileChannel() throws {
        let sample = try workspace(Self.channels)
        #expect(try remind(sample, ["1"]).stdout == "true\n")
        #expect(try remind(sample, ["1"]).stdout == "false\n")
        let pending = try sample.run(["notify", "list", "--status", "pending", "--format", "csv"])
        #expect(pending.stdout.hasPrefix("id,status,attempts,to,subject,key,due,last_error\n1,pending,0,role:sekretariat,"))

        let deliver = try sample.run(["notify", "deliver"])
        #expect(deliver.status == 0)
        #expect(deliver.stdout == "delivered 1, retrying 0, dead 0\n")
        #expect(try sample.run(["notify", "deliver"]).stdout == "delivered 0, retrying 0, dead 0\n")

        let lines = try String(contentsOf: sample.folder.appendingPathComponent("outbox/messages.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["idempotency_key"] as? String == "expiry:1/sari")
        #expect(object?["subject"] as? String == "KB berakhir 30 hari lagi")

        let sent = try sample.run(["notify", "list", "--format", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(sent.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.count == 1)
        #expect(entries?.first?["status"] as? String == "sent")
        #expect(entries?.first?["delivered"] as? [String] == ["arsip/sari"])
    }

    @Test func aFailingChannelLeadsToDeadAndRetryPutsItBack() throws {
        let sample = try workspace("""

            users { { id = "sari", name = "Sari", roles = { "sekretariat" } }, { id = "budi", name = "Budi", roles = { "pd" } } }
            channels { { name = "gagal", type = "command", command = { "sh", "-c", "echo relay down >&2; exit 1" } } }
            notifications = { max_attempts = 1 }
            """)
        #expect(try remind(sample).status == 0)
        let deliver = try sample.run(["notify", "deliver"])
        #expect(deliver.status == 0)
        #expect(deliver.stdout == "delivered 0, retrying 0, dead 1\n  #1: gagal/sari: gagal: sh exited with status 1: relay down\n")
        let dead = try sample.run(["notify", "list", "--status", "dead"])
        #expect(dead.stdout.contains("1   dead    1         role:sekretariat"))
        let refused = try sample.run(["notify", "retry", "--dead", "--as", "budi"])
        #expect(refused.status == 6)
        #expect(refused.firstErrorLine == "error[permission]: budi may not retry notifications (needs role admin or sekretariat)")
        #expect(try sample.run(["notify", "retry", "--dead", "--as", "sari"]).stdout == "1 message due again; deliver with `sinergi notify deliver`\n")
        #expect(try sample.run(["notify", "list", "--status", "dead"]).stdout == "no dead messages\n(outbox: 1 pending, 0 sent, 0 dead)\n")
        let audit = try sample.run(["audit", "log", "--limit", "1", "--format", "csv"])
        #expect(audit.stdout.hasSuffix(",sari,retry,outbox 1,attempts: 1 → 0; status: dead → pending\n"))
        let usage = try sample.run(["notify", "retry"])
        #expect(usage.status == 64)
        let missing = try sample.run(["notify", "retry", "7"])
        #expect(missing.firstErrorLine == "error[not-found]: no outbox message 7 (see `sinergi notify list --status all`)")
    }

    @Test func aBadChannelStopsTheConfigurationLoading() throws {
        let sample = try workspace("""

            channels { { name = "arsip", type = "file", path = "../luar.jsonl" } }
            """)
        let result = try sample.run(["notify", "list"])
        #expect(result.status == 7)
        #expect(result.firstErrorLine.contains("channels: arsip: path '../luar.jsonl' must be a file inside the workspace"))
    }

    /// Whoever edits sinergi.lua decides where every message's text goes: a changed channel is
    /// audited at the next load, without its header values (tokens).
    @Test func aChangedChannelIsAudited() throws {
        let sample = try workspace(Self.channels)
        #expect(try sample.run(["notify", "list"]).status == 0)
        let file = sample.folder.appendingPathComponent("sinergi.lua")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
            of: #"{ name = "arsip", type = "file", path = "outbox/messages.jsonl" }"#,
            with: #"{ name = "arsip", type = "webhook", url = "http://127.0.0.1:9/x", headers = { Authorization = "Bearer rahasia" } }"#)
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try sample.run(["notify", "list"]).status == 0)
        let log = try sample.run(["audit", "log", "--limit", "1", "--format", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.first?["changes"] as? [String]
                == ["channel arsip: file outbox/messages.jsonl → webhook http://127.0.0.1:9/… (headers Authorization)"])
        #expect(!log.stdout.contains("rahasia"))
    }

    @Test func withoutChannelsMessagesGoToTheConsole() throws {
        let sample = try workspace("""

            users { { id = "sari", name = "Sari", roles = { "sekretariat" } } }
            """)
        #expect(try remind(sample).status == 0)
        let deliver = try sample.run(["notify", "deliver"])
        #expect(deliver.stdout == """
            notify #1 to sari (Sari) [role:sekretariat]: KB berakhir 30 hari lagi
                Mohon ditindaklanjuti.
            delivered 1, retrying 0, dead 0

            """)
    }
}
