import Agreements
import Foundation
import Store
import Testing
@testable import Scheduler

/// The misfire policies after a simulated outage, a removed job and a changed cron — the clock
/// is moved by hand, nothing waits in real time.
@Suite struct SchedulerMisfireTests {
    /// The job runs on day 1 at 08:00, then no scheduler runs until day 4 at 10:00: the 08:00
    /// fires of days 2, 3 and 4 were missed (day 4's is two hours late, past the grace).
    func outage(_ misfire: ScheduledJob.Misfire, limit: Int = 100) throws -> SchedulerFixture {
        var settings = SchedulerFixture.settings
        settings.catchUpLimit = limit
        let fixture = try SchedulerFixture(jobs: [try job("daily", "0 8 * * *", misfire: misfire)], now: at("2027-01-01 07:59"),
                                           settings: settings)
        try fixture.tick(at: at("2027-01-01 07:59"))
        try fixture.tick(at: at("2027-01-01 08:00:20"))
        try fixture.tick(at: at("2027-01-04 10:00"))
        return fixture
    }

    @Test func skipRunsNothingMissedAndRecordsTheOutageAsOneSkippedFire() throws {
        let fixture = try outage(.skip)
        #expect(fixture.handler.runKeys == ["daily@2027-01-01T08:00:00+07:00"])
        let fires = try fixture.fires("daily")
        #expect(fires.map(\.state) == [.done, .skipped])
        #expect(fires.last?.scheduledAt == at("2027-01-04 08:00"))
        #expect(fires.last?.message == "3 fire(s) missed while no scheduler ran (misfire = skip)")
        // The next fire is the next future instant, and it runs.
        try fixture.tick(at: at("2027-01-05 08:00"))
        #expect(fixture.handler.runKeys.last == "daily@2027-01-05T08:00:00+07:00")
    }

    @Test func onceRunsOneFireForAllTheMissedOnes() throws {
        let fixture = try outage(.once)
        #expect(fixture.handler.runKeys == ["daily@2027-01-01T08:00:00+07:00", "daily@2027-01-04T08:00:00+07:00"])
        #expect(try fixture.fires("daily").last?.message == "late: stands for 3 fire(s) missed while no scheduler ran (misfire = once)")
        try fixture.tick(at: at("2027-01-04 10:01"))
        #expect(fixture.handler.runKeys.count == 2)
    }

    @Test func allRunsEveryMissedInstantOldestFirst() throws {
        let fixture = try outage(.all)
        #expect(fixture.handler.runKeys == ["daily@2027-01-01T08:00:00+07:00", "daily@2027-01-02T08:00:00+07:00",
                                            "daily@2027-01-03T08:00:00+07:00", "daily@2027-01-04T08:00:00+07:00"])
    }

    @Test func allIsBoundedToTheNewestMissedFires() throws {
        let fixture = try outage(.all, limit: 2)
        #expect(fixture.handler.runKeys == ["daily@2027-01-01T08:00:00+07:00", "daily@2027-01-03T08:00:00+07:00",
                                            "daily@2027-01-04T08:00:00+07:00"])
        #expect(try fixture.fires("daily")[1].message?.contains("1 older missed fire(s) dropped") == true)
    }

    @Test func aFireAFewMinutesLateIsOnTimeEvenWithSkip() throws {
        let fixture = try SchedulerFixture(jobs: [try job("daily", "0 8 * * *", misfire: .skip)], now: at("2027-01-01 07:00"))
        try fixture.tick(at: at("2027-01-01 07:00"))
        try fixture.tick(at: at("2027-01-01 08:04"))
        #expect(fixture.handler.runKeys == ["daily@2027-01-01T08:00:00+07:00"])
    }

    @Test func aNewJobStartsAtTheCurrentMinuteWithoutCatchingUp() throws {
        let fixture = try SchedulerFixture(jobs: [try job("hourly", "0 * * * *", misfire: .all)], now: at("2027-01-01 09:00"))
        try fixture.tick(at: at("2027-01-01 09:00:30"))
        #expect(fixture.handler.runKeys == ["hourly@2027-01-01T09:00:00+07:00"])
    }

    @Test func aRemovedJobStopsAndItsWaitingFiresAreNotRun() throws {
        let fixture = try SchedulerFixture(jobs: [try job("a", "0 8 * * *"), try job("b", "0 8 * * *")], now: at("2027-01-01 07:00"))
        try fixture.tick(at: at("2027-01-01 07:00"))
        fixture.clock.set(at("2027-01-01 08:00"))
        try fixture.scheduler.recordDueFires(now: fixture.clock.now())   // b's fire is recorded, not yet run
        fixture.scheduler.reload(jobs: [try job("a", "0 8 * * *")])
        _ = try fixture.scheduler.tick()
        try fixture.tick(at: at("2027-01-02 08:00"))
        #expect(fixture.handler.runKeys == ["a@2027-01-01T08:00:00+07:00", "a@2027-01-02T08:00:00+07:00"])
        #expect(try fixture.fires("b").map(\.state) == [.skipped])
        #expect(try fixture.fires("b").first?.message == "the job was removed from sinergi.lua")
    }

    @Test func aChangedCronTakesEffectAtTheNextFire() throws {
        let fixture = try SchedulerFixture(jobs: [try job("report", "0 8 * * *")], now: at("2027-01-01 07:00"))
        try fixture.tick(at: at("2027-01-01 07:00"))
        try fixture.tick(at: at("2027-01-01 08:00"))
        fixture.scheduler.reload(jobs: [try job("report", "30 9 * * *")])
        try fixture.tick(at: at("2027-01-01 08:30"))
        #expect(try fixture.scheduler.status().first?.nextFire == at("2027-01-01 09:30"))
        try fixture.tick(at: at("2027-01-01 09:30"))
        try fixture.tick(at: at("2027-01-02 08:00"))
        try fixture.tick(at: at("2027-01-02 09:30"))
        #expect(fixture.handler.runKeys == ["report@2027-01-01T08:00:00+07:00", "report@2027-01-01T09:30:00+07:00",
                                            "report@2027-01-02T09:30:00+07:00"])
    }
}
