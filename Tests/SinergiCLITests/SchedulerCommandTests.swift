import Foundation
import Testing

/// `sinergi scheduler` end to end on the real binary: fires run in child processes, as the
/// system actor, once — across two racing processes and a worker killed with SIGKILL.
@Suite struct SchedulerCommandTests {
    /// A workspace whose clock may be set, with a counter agreement the jobs append to.
    final class Workspace {
        let folder: URL
        var environment: [String: String] { ["SINERGI_WORKSPACE": folder.path] }

        init(schedule: String) throws {
            folder = try CLI.temporaryFolder().appendingPathComponent("ws")
            let created = try CLI.run(["init", folder.path])
            guard created.status == 0 else { throw CLIError(message: created.stderr) }
            try append("testing = { clock_override = true }\n" + schedule)
            _ = try CLI.write(Self.countScript, to: "scripts/count.lua", in: folder)
        }

        deinit { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }

        /// Appends its first argument (default "x") to the counter agreement's title.
        static let countScript = """
            local a = agreements.get("HITUNG/1") or agreements.create{ number = "HITUNG/1", title = "hitung:", kind = "ksdpk",
                lead_agency = "Bagian Pemerintahan", parties = { { name = "Mitra", kind = "badan_usaha" } } }
            a:update{ title = a.title .. (... or "x") }
            """

        func append(_ text: String) throws {
            let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("sinergi.lua"))
            handle.seekToEndOfFile()
            handle.write(Data(("\n" + text + "\n").utf8))
            try handle.close()
        }

        func run(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments, environment: environment) }

        /// The counter agreement's title: one mark per run of the counting jobs.
        func count() throws -> String {
            let result = try run(["eval", "local a = agreements.get('HITUNG/1'); return a and a.title or ''"])
            let title = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return title.hasPrefix("hitung:") ? String(title.dropFirst(7)) : title
        }

        func list() throws -> [[String: String]] {
            let result = try run(["scheduler", "list", "--format", "json"])
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]] ?? []
        }
    }

    struct CLIError: Error { var message: String }

    @Test func aTickRunsTheDueJobAsTheSystemActorOnceAndListShowsIt() throws {
        let workspace = try Workspace(schedule: """
            schedule { name = "hitung", cron = "0 8 * * *", run = "scripts/count.lua", args = { "a" } }
            """)
        #expect(try workspace.run(["scheduler", "tick", "--now", "2027-01-04T07:00:00+07:00"]).status == 0)
        let tick = try workspace.run(["scheduler", "tick", "--now", "2027-01-04T08:00:00+07:00", "--format", "csv"])
        #expect(tick.status == 0, "\(tick.stderr)")
        #expect(tick.stdout == "job,scheduled,outcome,message\nhitung,2027-01-04T08:00:00+07:00,done,\n")
        let again = try workspace.run(["scheduler", "tick", "--now", "2027-01-04T08:00:00+07:00", "--format", "csv"])
        #expect(again.stdout == "job,scheduled,outcome,message\n")
        #expect(try workspace.count() == "a")
        let audit = try workspace.run(["audit", "log", "--format", "csv", "--actor", "system"])
        #expect(audit.stdout.contains(",system,update,HITUNG/1,"))
        let list = try workspace.list()
        #expect(list.first?["job"] == "hitung" && list.first?["last_outcome"] == "done")
        #expect(list.first?["last_fire"] == "2027-01-04T08:00:00+07:00")
    }

    /// Two `tick` processes race on one workspace at each instant of a simulated day: every
    /// fire runs, none twice.
    @Test func twoTickProcessesRacingThroughADayRunEachFireOnce() throws {
        let workspace = try Workspace(schedule: """
            schedule { name = "hitung", cron = "0 */3 * * *", run = "scripts/count.lua" }
            """)
        #expect(try workspace.run(["scheduler", "tick", "--now", "2027-01-03T23:59:00+07:00"]).status == 0)
        for hour in stride(from: 0, to: 24, by: 3) {
            let now = String(format: "2027-01-04T%02d:00:00+07:00", hour)
            let results = TickResults()
            let group = DispatchGroup()
            let environment = workspace.environment
            for _ in 0..<2 {
                DispatchQueue.global().async(group: group) {
                    results.add(try? CLI.run(["scheduler", "tick", "--now", now], environment: environment))
                }
            }
            group.wait()
            #expect(results.all.map(\.status) == [0, 0], "\(results.all.map(\.stderr))")
        }
        #expect(try workspace.count() == String(repeating: "x", count: 8))
    }

    /// A worker killed with SIGKILL between claim and finish keeps nothing; its fire is claimed
    /// again once its lease has expired and runs exactly once.
    @Test func aWorkerKilledMidFireIsRunOnceAfterItsLease() throws {
        let workspace = try Workspace(schedule: """
            schedule { name = "lambat", cron = "0 8 * * *", run = "scripts/slow.lua", timeout = "1h" }
            """)
        _ = try CLI.write("""
            local a = agreements.create{ number = "HITUNG/1", title = "killed", kind = "ksdpk",
                lead_agency = "Bagian Pemerintahan", parties = { { name = "Mitra", kind = "badan_usaha" } } }
            while true do end
            """, to: "scripts/slow.lua", in: workspace.folder)
        #expect(try workspace.run(["scheduler", "tick", "--now", "2027-01-04T07:00:00+07:00"]).status == 0)
        let tick = Process()
        tick.executableURL = CLI.binary
        tick.arguments = ["scheduler", "tick", "--now", "2027-01-04T08:00:00+07:00", "--workspace", workspace.folder.path, "--format", "csv"]
        let output = Pipe()
        tick.standardOutput = output
        tick.standardError = FileHandle.nullDevice
        try tick.run()
        // The worker is started by one of tick's threads: look through every thread's children
        // (a guard of a minute, so a broken tick fails the test instead of hanging it).
        var worker: Int32?
        for _ in 0..<1200 where worker == nil {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(tick.processIdentifier)/task")) ?? []
            worker = tasks.lazy.compactMap { task in
                (try? String(contentsOfFile: "/proc/\(tick.processIdentifier)/task/\(task)/children", encoding: .utf8))?
                    .split(separator: " ").first.flatMap { Int32($0) }
            }.first
            if worker == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let pid = try #require(worker, "tick started no worker")
        // The worker is inside its loop once the fire is claimed and it has had time to start.
        Thread.sleep(forTimeInterval: 0.5)
        kill(pid, SIGKILL)
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tick.waitUntilExit()
        #expect(report.contains("lambat,2027-01-04T08:00:00+07:00,claimed,the worker died of signal 9; re-claimable when its lease expires"))
        #expect(try workspace.count() == "")
        try Workspace.countScript.write(to: workspace.folder.appendingPathComponent("scripts/slow.lua"), atomically: true, encoding: .utf8)
        // The lease covers the job's kill deadline (1h × 1.25 + 3 s) plus a margin: still held at 09:00.
        #expect(try workspace.run(["scheduler", "tick", "--now", "2027-01-04T09:00:00+07:00", "--format", "csv"]).stdout == "job,scheduled,outcome,message\n")
        let rerun = try workspace.run(["scheduler", "tick", "--now", "2027-01-04T10:00:00+07:00", "--format", "csv"])
        #expect(rerun.stdout == "job,scheduled,outcome,message\nlambat,2027-01-04T08:00:00+07:00,done,\n")
        _ = try workspace.run(["scheduler", "tick", "--now", "2027-01-04T11:00:00+07:00"])
        #expect(try workspace.count() == "x")
    }

    /// A job stuck in a loop beside a healthy job at the same instant: the healthy one completes
    /// and the stuck one fails with its timeout, each in its own process.
    @Test func aStuckJobDoesNotHoldUpAHealthyOne() throws {
        let workspace = try Workspace(schedule: """
            schedule { name = "macet", cron = "0 8 * * *", run = "scripts/stuck.lua", timeout = "1s" }
            schedule { name = "sehat", cron = "0 8 * * *", run = "scripts/count.lua" }
            """)
        _ = try CLI.write("while true do end\n", to: "scripts/stuck.lua", in: workspace.folder)
        #expect(try workspace.run(["scheduler", "tick", "--now", "2027-01-04T07:00:00+07:00"]).status == 0)
        let tick = try workspace.run(["scheduler", "tick", "--now", "2027-01-04T08:00:00+07:00", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(tick.stdout.utf8)) as? [[String: String]] ?? []
        let outcomes = Dictionary(uniqueKeysWithValues: rows.map { ($0["job"] ?? "", $0["outcome"] ?? "") })
        #expect(outcomes == ["macet": "failed", "sehat": "done"])
        #expect(rows.first { $0["job"] == "macet" }?["message"]?.hasPrefix("error[timeout]:") == true)
        #expect(try workspace.count() == "x")
    }

    /// `as = USER` runs the job as that declared user (recorded so in the audit trail); an
    /// undeclared one is refused; a worker shown a token that holds no claim runs nothing.
    @Test func aJobActsAsItsDeclaredUserAndAWorkerNeedsItsClaim() throws {
        let admin = try #require(try Workspace(schedule: "").run(["user", "list", "--format", "csv"]).stdout
            .split(separator: "\n").dropFirst().first?.split(separator: ",").first.map(String.init))
        let workspace = try Workspace(schedule: """
            schedule { name = "hitung", cron = "0 8 * * *", run = "scripts/count.lua", as = "\(admin)" }
            """)
        #expect(try workspace.run(["scheduler", "tick", "--now", "2027-01-04T07:00:00+07:00"]).status == 0)
        #expect(try workspace.run(["scheduler", "tick", "--now", "2027-01-04T08:00:00+07:00"]).status == 0)
        let audit = try workspace.run(["audit", "log", "--format", "csv", "--actor", admin])
        #expect(audit.stdout.contains(",\(admin),update,HITUNG/1,"))
        let forged = try workspace.run(["scheduler", "fire", "--job", "hitung", "--fire", "1", "--token", "forged"])
        #expect(forged.status == 8)
        #expect(try workspace.count() == "x")
        try workspace.append("schedule { name = \"lain\", cron = \"0 9 * * *\", run = \"scripts/count.lua\", as = \"nobody\" }")
        let refused = try workspace.run(["scheduler", "list"])
        #expect(refused.status == 7 && refused.firstErrorLine.contains("schedule \"lain\": as = \"nobody\" is not a user"))
    }

    @Test func aBadScheduleIsRefusedNamingTheJob() throws {
        let workspace = try Workspace(schedule: """
            schedule { name = "rekap", cron = "0 8 * * *", run = "scripts/count.lua", misfire = "twice" }
            """)
        let result = try workspace.run(["scheduler", "list"])
        #expect(result.status == 7)
        #expect(result.firstErrorLine.contains("schedule \"rekap\": misfire = \"twice\" is not one of \"skip\", \"once\", \"all\""))
    }

    /// `scheduler run` stops cleanly on SIGTERM.
    @Test func runStopsCleanlyOnSigterm() throws {
        let workspace = try Workspace(schedule: """
            schedule { name = "hitung", cron = "0 8 1 1 *", run = "scripts/count.lua" }
            """)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["scheduler", "run", "--workspace", workspace.folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("scheduler: running") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}

final class TickResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [CLI.Result] = []
    func add(_ result: CLI.Result?) { lock.lock(); if let result { results.append(result) }; lock.unlock() }
    var all: [CLI.Result] { lock.lock(); defer { lock.unlock() }; return results }
}
