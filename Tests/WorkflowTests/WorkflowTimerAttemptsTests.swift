import Agreements
import Foundation
import Store
import Testing
import Workflow

/// The marks a tick leaves on the timers it takes up (`WorkflowStore.markAttempts`): a timer
/// still marked was in a batch whose process ended; the next tick fires it alone, and sets it
/// aside when it ended the process alone too. (The real process ending is in the CLI tests.)
@Suite struct WorkflowTimerAttemptsTests {
    func timers(_ fixture: WorkflowFixture, _ id: Int64) throws -> [WorkflowTimerRecord] {
        try fixture.workspace.database.read { try WorkflowStore().timers(of: id, in: $0) }
    }

    /// T/1 and T/2 wait on the DPRD from 1 March; on 20 April their dprd_45 timers are due.
    func twoWaiting() throws -> (WorkflowFixture, Int64, Int64) {
        let fixture = try WorkflowFixture()
        let first = try fixture.agreement(number: "T/1/2027", needsDPRD: true)
        let second = try fixture.agreement(number: "T/2/2027", needsDPRD: true)
        let start = try fixture.engine(as: "sari", at: "2027-03-01T10:00:00+07:00")
        for id in [first, second] {
            try fixture.write(start) { try start.start(agreementId: id, at: "persetujuan_dprd", actor: try actor(start), in: $0) }
        }
        return (fixture, first, second)
    }

    func mark(_ fixture: WorkflowFixture, _ id: Int64, by count: Int) throws {
        let timer = try #require(try timers(fixture, id).first)
        try fixture.workspace.database.write { try WorkflowStore().markAttempts([timer.id], by: count, in: $0) }
    }

    @Test func aTimerMarkedOnceFiresAndOneMarkedTwiceIsSetAsideAsFailed() throws {
        let (fixture, first, second) = try twoWaiting()
        try mark(fixture, first, by: 2)
        try mark(fixture, second, by: 1)
        let report = try fixture.engine(at: "2027-04-20T08:00:00+07:00").tick()
        #expect(report.fired.map(\.number) == ["T/2/2027"])
        #expect(report.failed.map(\.number) == ["T/1/2027"])
        #expect(report.failed.first?.detail.hasPrefix("the process firing it ended 2 times") == true)
        #expect(try fixture.instance(second)?.state == "pelaksanaan")
        #expect(try fixture.instance(first)?.state == "persetujuan_dprd")
        #expect(try fixture.history(first).last?.kind == .failed)
        // Set aside: retried an hour later, unmarked.
        let kept = try timers(fixture, first)
        #expect(kept.map(\.attempts) == [0])
        #expect(kept.first?.dueAt == "2027-04-20T02:00:00Z")
    }

    /// A tick whose batches are cut after each timer fires them all; a mark never goes below
    /// zero, and a timer set again starts unmarked.
    @Test func cutBatchesFireEveryTimerAndMarksStayInBounds() throws {
        let (fixture, first, second) = try twoWaiting()
        let report = try fixture.engine(at: "2027-04-20T08:00:00+07:00").tick(batchSize: 10, batchSeconds: 0)
        #expect(report.fired.count == 2 && report.failed.isEmpty)
        #expect(try fixture.instance(first)?.state == "pelaksanaan" && fixture.instance(second)?.state == "pelaksanaan")
        let store = WorkflowStore()
        try fixture.workspace.database.write { unit in
            try store.setTimer(WorkflowTimerRecord(agreementId: first, name: "lagi", event: "selesai", dueAt: "2027-05-01T00:00:00Z",
                                                   afterField: nil, state: nil, setAt: "2027-04-20T01:00:00Z"), in: unit)
        }
        let set = try #require(try timers(fixture, first).first { $0.name == "lagi" })
        try fixture.workspace.database.write { try store.markAttempts([set.id], by: 1, in: $0) }
        try fixture.workspace.database.write { try store.markAttempts([set.id], by: -5, in: $0) }
        #expect(try timers(fixture, first).first { $0.name == "lagi" }?.attempts == 0)
        try fixture.workspace.database.write { try store.markAttempts([set.id], by: 1, in: $0) }
        try fixture.workspace.database.write { unit in
            try store.setTimer(WorkflowTimerRecord(agreementId: first, name: "lagi", event: "selesai", dueAt: "2027-05-02T00:00:00Z",
                                                   afterField: nil, state: nil, setAt: "2027-04-20T01:00:00Z"), in: unit)
        }
        #expect(try timers(fixture, first).first { $0.name == "lagi" }?.attempts == 0, "a timer set again starts unmarked")
    }
}
