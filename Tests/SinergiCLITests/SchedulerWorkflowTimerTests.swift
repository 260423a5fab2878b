import Foundation
import Testing

/// The scheduler drives the workflow timers through the same loop as its jobs.
@Suite struct SchedulerWorkflowTimerTests {
    @Test func aSchedulerTickFiresTheDueWorkflowTimersAsTheSystemActorOnce() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        #expect(try CLI.run(["init", "--sample", workspace.path]).status == 0)
        let configuration = workspace.appendingPathComponent("sinergi.lua")
        try (try String(contentsOf: configuration, encoding: .utf8) + "\ntesting = { clock_override = true }\n")
            .write(to: configuration, atomically: true, encoding: .utf8)
        // CONTOH/001/KSDD/2025 ends 45 days after the sample was made: its kedaluwarsa timer is
        // due from the day after (the dates are read, not written here: the sample follows today).
        func date(_ expression: String) throws -> String {
            try CLI.run(["eval", "return tostring(agreements.get('CONTOH/001/KSDD/2025').ends_on\(expression))"], in: workspace)
                .stdout.trimmingCharacters(in: .newlines)
        }
        let endsOn = try date(""), dayAfter = try date(" + 1")
        let before = try CLI.run(["scheduler", "tick", "--now", "\(endsOn)T23:00:00+07:00", "--format", "csv"], in: workspace)
        #expect(before.status == 0, "\(before.stderr)")
        let untouched = try CLI.run(["workflow", "history", "CONTOH/001/KSDD/2025", "--format", "csv"], in: workspace)
        #expect(!untouched.stdout.contains(",kedaluwarsa,"))
        let tick = try CLI.run(["scheduler", "tick", "--now", "\(dayAfter)T08:30:00+07:00", "--format", "csv"], in: workspace)
        #expect(tick.status == 0, "\(tick.stderr)")
        #expect(tick.stdout.contains("workflow timers,\(dayAfter)T08:30:00+07:00,ran "), "\(tick.stdout)")
        let history = try CLI.run(["workflow", "history", "CONTOH/001/KSDD/2025", "--format", "csv"], in: workspace)
        #expect(history.stdout.contains(",system,transition,kedaluwarsa,pelaksanaan,kedaluwarsa,"), "\(history.stdout)")
        let again = try CLI.run(["scheduler", "tick", "--now", "\(dayAfter)T08:31:00+07:00", "--format", "csv"], in: workspace)
        #expect(!again.stdout.contains("workflow timers"))
        let show = try CLI.run(["agreement", "show", "CONTOH/001/KSDD/2025"], in: workspace)
        #expect(show.stdout.split(separator: "\n").contains { $0.hasPrefix("status ") && $0.contains(" expired") })
    }
}
