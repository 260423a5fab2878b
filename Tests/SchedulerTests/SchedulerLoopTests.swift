import Agreements
import Cron
import Foundation
import Store
import Testing
@testable import Scheduler

/// A waiter that sleeps by moving the manual clock, and stops the loop at a given instant.
final class SimulatedWaiter: LoopWaiting, @unchecked Sendable {
    let clock: ManualClock
    let scheduler: Scheduler
    let stopAt: Date
    private(set) var waits: [TimeInterval] = []
    private var stopped = false
    var onWait: (Date) -> Void = { _ in }

    init(clock: ManualClock, scheduler: Scheduler, stopAt: Date) {
        self.clock = clock
        self.scheduler = scheduler
        self.stopAt = stopAt
    }

    func wait(seconds: TimeInterval) -> Bool {
        // The workers started by the pass end before simulated time moves on.
        scheduler.waitUntilIdle()
        waits.append(seconds)
        clock.advance(seconds)
        onWait(clock.now())
        if clock.now() >= stopAt { stopped = true }
        return stopped
    }

    func poke() {}
    func stop() { stopped = true }
    var isStopped: Bool { stopped }
}

@Suite struct SchedulerLoopTests {
    /// From 07:00 to 08:00:05 the loop wakes once a second for its cheap check and runs the
    /// 08:00 fire once: no wait is shorter than needed (no busy polling) or longer than a second.
    @Test func theLoopSleepsUntilTheNextFireCheckingOnceASecond() throws {
        let fixture = try SchedulerFixture(jobs: [try job("daily", "0 8 * * *")], now: at("2027-01-01 07:00"))
        let waiter = SimulatedWaiter(clock: fixture.clock, scheduler: fixture.scheduler, stopAt: at("2027-01-01 08:00:05"))
        var checks = 0
        let loop = SchedulerLoop(scheduler: fixture.scheduler, waiter: waiter, changeToken: { checks += 1; return 0 },
                                 reload: {}, log: { Issue.record("unexpected log: \($0)") })
        loop.run()
        #expect(fixture.handler.runKeys == ["daily@2027-01-01T08:00:00+07:00"])
        #expect(waiter.waits.allSatisfy { $0 > 0.5 && $0 <= 1 }, "waits: \(Set(waiter.waits))")
        #expect(waiter.waits.count <= 3_606)
        #expect(checks >= 3_600)
    }

    /// An edit of sinergi.lua (a changed token) reloads the jobs within one check: a job added
    /// at 07:30 for 07:31 runs at 07:31.
    @Test func aChangedConfigurationIsSeenWithinASecond() throws {
        let fixture = try SchedulerFixture(jobs: [], now: at("2027-01-01 07:30"))
        let waiter = SimulatedWaiter(clock: fixture.clock, scheduler: fixture.scheduler, stopAt: at("2027-01-01 07:32"))
        var edited = false
        waiter.onWait = { now in if now >= at("2027-01-01 07:30:10") { edited = true } }
        let added = try job("added", "31 7 * * *")
        let loop = SchedulerLoop(scheduler: fixture.scheduler, waiter: waiter, changeToken: { edited ? 1 : 0 },
                                 reload: { fixture.scheduler.reload(jobs: [added]) }, log: { _ in })
        loop.run()
        #expect(fixture.handler.runKeys == ["added@2027-01-01T07:31:00+07:00"])
    }

    /// A source of other due work (workflow timers) is run by the same loop when it is due.
    @Test func aDueWorkSourceRunsWhenItsWorkIsDue() throws {
        final class Timers: DueWorkSource, @unchecked Sendable {
            let name = "workflow timers"
            var due: Date? = at("2027-01-01 07:00:30")
            var ran: [Date] = []
            func nextDue() throws -> Date? { due }
            func runDue(now: Date) throws -> Int { ran.append(now); due = nil; return 1 }
        }
        let timers = Timers()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-loop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try SinergiDatabase(path: folder.appendingPathComponent("s.db").path)
        let clock = ManualClock(at("2027-01-01 07:00"))
        let scheduler = Scheduler(database: database, jobs: [], timeZone: jakarta, clock: clock,
                                  handler: RecordingHandler(database: database, clock: clock), sources: [timers])
        let waiter = SimulatedWaiter(clock: clock, scheduler: scheduler, stopAt: at("2027-01-01 07:01"))
        SchedulerLoop(scheduler: scheduler, waiter: waiter, changeToken: { 0 }, reload: {}, log: { _ in }).run()
        #expect(timers.ran == [at("2027-01-01 07:00:30")])
    }
}

@Suite struct WorkerProcessTests {
    /// A worker that does not end by its deadline (stuck in C, say) is killed and the fire fails.
    @Test func aWorkerPastItsDeadlineIsKilledAndTheFireFails() throws {
        let ending = try WorkerProcess.run(executable: URL(fileURLWithPath: "/bin/sleep"), arguments: ["30"], killAfter: 0.2)
        #expect(ending.killed)
        guard case let .failed(message) = WorkerProcess.outcome(of: ending, killAfter: 0.2, stopping: false) else {
            Issue.record("expected a failure")
            return
        }
        #expect(message.hasPrefix("error[timeout]: the worker did not end within 1 s and was killed"))
    }

    @Test func aWorkerThatFailsReportsItsFirstErrorLine() throws {
        let ending = try WorkerProcess.run(executable: URL(fileURLWithPath: "/bin/sh"),
                                           arguments: ["-c", "echo 'error[runtime]: x.lua:2: boom' >&2; echo more >&2; exit 1"], killAfter: 30)
        #expect(WorkerProcess.outcome(of: ending, killAfter: 30, stopping: false) == .failed("error[runtime]: x.lua:2: boom"))
        #expect(WorkerProcess.outcome(of: ending, killAfter: 30, stopping: true) == .interrupted)
    }

    @Test func aWorkerKilledFromOutsideIsACrashLeftToItsLease() throws {
        let ending = try WorkerProcess.run(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "kill -9 $$"], killAfter: 30)
        #expect(WorkerProcess.outcome(of: ending, killAfter: 30, stopping: false) == .crashed("the worker died of signal 9"))
    }
}

@Suite struct ScheduledJobTests {
    func parse(_ fields: [String: String], _ arguments: [String] = []) throws -> ScheduledJob {
        try ScheduledJob.parse(fields: fields, arguments: arguments, parseDuration: { $0 == "2m" ? 120 : nil })
    }

    @Test func aDeclarationBecomesATypedJob() throws {
        let parsed = try parse(["name": "pengingat", "cron": "0 8 * * 1-5", "run": "scripts/pengingat.lua", "misfire": "all",
                                "overlap": "queue", "timeout": "2m", "as": "sari"], ["30", "7"])
        #expect(parsed == ScheduledJob(name: "pengingat", cron: try CronExpression("0 8 * * 1-5"), run: "scripts/pengingat.lua",
                                       arguments: ["30", "7"], misfire: .all, overlap: .queue, timeout: 120, actor: "sari"))
        #expect(try parse(["name": "x", "cron": "@daily", "run": "scripts/x.lua"]).misfire == .once)
    }

    @Test func mistakesAreRefusedNamingTheJob() throws {
        let base = ["name": "rekap", "cron": "0 8 * * *", "run": "scripts/rekap.lua"]
        func message(_ change: [String: String]) -> String {
            do {
                _ = try parse(base.merging(change) { $1 })
                return ""
            } catch { return "\(error)" }
        }
        #expect(message(["misfire": "twice"]) == "schedule \"rekap\": misfire = \"twice\" is not one of \"skip\", \"once\", \"all\"")
        #expect(message(["misfir": "once"]).hasPrefix("schedule \"rekap\": unknown field 'misfir'"))
        #expect(message(["timeout": "soon"]) == "schedule \"rekap\": timeout = \"soon\" is not a duration (500ms, 2s, 5m, 1h)")
        #expect(message(["run": "../etc/x.lua"]).hasPrefix("schedule \"rekap\": run = \"../etc/x.lua\" must be a .lua file inside the workspace"))
        #expect(message(["run": "../\u{301}x.lua"]).contains("must be a .lua file inside the workspace"))
        #expect(message(["cron": "61 * * * *"]).hasPrefix("schedule \"rekap\": cron \"61 * * * *\": "))
        #expect(throws: DomainError.self) {
            _ = try ScheduledJob.parseAll([(base, []), (base, [])], parseDuration: { _ in nil })
        }
    }
}
