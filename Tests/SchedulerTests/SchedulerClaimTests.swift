import Agreements
import Foundation
import Store
import Testing
@testable import Scheduler

/// Fires are run once: two schedulers on one database, a worker that died, overlapping fires.
@Suite struct SchedulerClaimTests {
    /// Two schedulers, each with its own connection, tick at every five minutes of a simulated
    /// day — mostly at the same time, on two threads; at two steps in four one of them ticks
    /// alone, by turns, so both surely take part whatever the threads' timing: every fire runs, and
    /// none twice.
    @Test func twoSchedulersThroughADayRunEveryFireOnce() throws {
        let jobs = [try job("quarter", "*/15 * * * *"), try job("hourly", "0 * * * *"), try job("morning", "0 8 * * 1-5")]
        let fixture = try SchedulerFixture(jobs: jobs, now: at("2027-01-04 00:00"))
        let otherClock = ManualClock(at("2027-01-04 00:00"))
        let (other, otherHandler) = try fixture.secondScheduler(jobs: jobs, clock: otherClock)
        var instant = at("2027-01-04 00:00")
        var step = 0
        while instant <= at("2027-01-04 23:59") {
            fixture.clock.set(instant)
            otherClock.set(instant.addingTimeInterval(1))
            let group = DispatchGroup()
            let failures = Failures()
            let ticking = switch step % 4 {  // alone at :00, :20, :40 and at :15, :35, :55
            case 0: [fixture.scheduler]
            case 3: [other]
            default: [fixture.scheduler, other]
            }
            step += 1
            for scheduler in ticking {
                DispatchQueue.global().async(group: group) {
                    do { _ = try scheduler.tick() } catch { failures.add("\(error)") }
                }
            }
            group.wait()
            #expect(failures.all.isEmpty)
            instant += 300
        }
        let runs = fixture.handler.runKeys + otherHandler.runKeys
        #expect(runs.count == Set(runs).count, "a fire ran twice")
        #expect(runs.filter { $0.hasPrefix("quarter@") }.count == 96)
        #expect(runs.filter { $0.hasPrefix("hourly@") }.count == 24)
        #expect(runs.filter { $0.hasPrefix("morning@") } == ["morning@2027-01-04T08:00:00+07:00"])
        #expect(try fixture.fires("quarter").allSatisfy { $0.state == .done })
        #expect(!fixture.handler.runKeys.isEmpty && !otherHandler.runKeys.isEmpty, "both schedulers took part")
    }

    /// A worker that died between claim and finish leaves its fire claimed: nobody takes it
    /// before the lease expires, then it is claimed again and runs — once in the end.
    @Test func aFireWhoseWorkerDiedIsReclaimedAfterItsLeaseAndRunsOnce() throws {
        let fixture = try SchedulerFixture(jobs: [try job("daily", "0 8 * * *")], now: at("2027-01-01 07:00"))
        try fixture.tick(at: at("2027-01-01 07:00"))
        let crashes = Counter()
        fixture.handler.script = { _ in crashes.next() == 0 ? .crashed("the worker died of signal 9") : .completed }
        let report = try fixture.tick(at: at("2027-01-01 08:00"))
        #expect(report.fires.map(\.state) == [.claimed])
        let lease = try #require(try fixture.fires("daily").first?.leaseExpiresAt)
        try fixture.tick(at: lease.addingTimeInterval(-1))
        #expect(fixture.handler.runKeys.isEmpty)
        try fixture.tick(at: lease)
        try fixture.tick(at: lease.addingTimeInterval(600))
        #expect(fixture.handler.runKeys == ["daily@2027-01-01T08:00:00+07:00"])
        let fire = try #require(try fixture.fires("daily").first)
        #expect(fire.state == .done && fire.attempts == 2)
    }

    @Test func aFireWhoseWorkerDiesEveryTimeIsGivenUpAfterMaxAttempts() throws {
        let fixture = try SchedulerFixture(jobs: [try job("daily", "0 8 * * *")], now: at("2027-01-01 07:00"))
        try fixture.tick(at: at("2027-01-01 07:00"))
        fixture.handler.script = { _ in .crashed("the worker died of signal 9") }
        var now = at("2027-01-01 08:00")
        for _ in 0..<5 {
            try fixture.tick(at: now)
            now += 3600
        }
        let fire = try #require(try fixture.fires("daily").first)
        #expect(fire.state == .failed)
        #expect(fire.message == "given up after 3 attempts: its worker died each time")
    }

    @Test func aLateCompletionWithALostLeaseKeepsNothing() throws {
        let fixture = try SchedulerFixture(jobs: [], now: at("2027-01-01 08:00"))
        let store = FireStore()
        let now = at("2027-01-01 08:00")
        let first = try fixture.database.write { unit -> ScheduledFire in
            try store.record(job: "j", at: now, now: now, in: unit)
            return try store.claim(limit: 1, owner: "a", now: now, lease: 60, in: unit)[0]
        }
        let second = try fixture.database.write { try store.claim(limit: 1, owner: "b", now: now + 61, lease: 60, in: $0) }
        #expect(second.map(\.id) == [first.id])
        #expect(throws: DomainError.self) {
            try fixture.database.write { unit in
                try store.record(job: "effect-of-the-late-run", at: now, now: now, in: unit)
                try store.complete(fireID: first.id, token: first.leaseToken ?? "", state: .done, at: now + 62, in: unit)
            }
        }
        #expect(try fixture.fires("effect-of-the-late-run").isEmpty)
        #expect(try fixture.fires("j").first?.state == .claimed)
    }

    @Test func overlapSkipRecordsAFireDueWhileThePreviousRunsAsSkipped() throws {
        let fixture = try SchedulerFixture(jobs: [try job("minutely", "* * * * *", overlap: .skip)], now: at("2027-01-01 08:00"))
        try fixture.scheduler.recordDueFires(now: at("2027-01-01 08:00"))
        // Another scheduler runs the 08:00 fire (claimed, lease alive) while 08:01 comes due.
        _ = try fixture.database.write { try FireStore().claim(limit: 1, owner: "other", now: at("2027-01-01 08:00"), lease: 300, in: $0) }
        try fixture.tick(at: at("2027-01-01 08:01"))
        let fires = try fixture.fires("minutely")
        #expect(fires.map(\.state) == [.claimed, .skipped])
        #expect(fires.last?.message == "the previous fire was still running (overlap = skip)")
        #expect(fixture.handler.runKeys.isEmpty)
    }

    @Test func overlapQueueRunsTheWaitingFireAfterThePreviousOne() throws {
        let fixture = try SchedulerFixture(jobs: [try job("minutely", "* * * * *", overlap: .queue)], now: at("2027-01-01 08:00"))
        try fixture.scheduler.recordDueFires(now: at("2027-01-01 08:00"))
        let running = try fixture.database.write { try FireStore().claim(limit: 1, owner: "other", now: at("2027-01-01 08:00"), lease: 300, in: $0) }
        try fixture.tick(at: at("2027-01-01 08:01"))
        #expect(try fixture.fires("minutely").map(\.state) == [.claimed, .pending])
        #expect(fixture.handler.runKeys.isEmpty)
        try fixture.database.write { try FireStore().complete(fireID: running[0].id, token: running[0].leaseToken ?? "", state: .done, at: at("2027-01-01 08:01"), in: $0) }
        try fixture.tick(at: at("2027-01-01 08:01:30"))
        #expect(fixture.handler.runKeys == ["minutely@2027-01-01T08:01:00+07:00"])
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ text: String) { lock.lock(); list.append(text); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
