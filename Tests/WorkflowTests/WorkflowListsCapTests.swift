import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store
import Testing
import Workflow

/// `a:history()` and `tasks.pending{}` build their lists in the host line by line, each charged
/// against the script's memory cap before it is kept: a history grows with every transition, and
/// open tasks with the register, so neither may hold host memory outside the cap.
@Suite struct WorkflowListsCapTests {
    /// An agreement with `lines` history lines of `noteBytes`-byte notes, and a task per line open.
    func workspace(lines: Int, noteBytes: Int) throws -> (WorkflowFixture, Int64) {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement()
        let engine = try fixture.engine()
        try fixture.write(engine) { unit in
            try engine.start(agreementId: id, actor: try actor(engine), in: unit)
            let store = WorkflowStore()
            let note = String(repeating: "n", count: noteBytes)
            for index in 0..<lines {
                try store.record(WorkflowHistoryRecord(agreementId: id, at: "2027-03-01T09:00:00+07:00", actor: "tester", kind: .transition,
                                                       event: "e\(index)", from: "a", to: "b", note: note, version: "v"), in: unit)
                try store.openTask(agreementId: id, state: "persiapan_\(index)", role: "sekretariat",
                                   events: [String(repeating: "e", count: noteBytes / 20)], at: "2027-03-01T09:00:00+07:00", in: unit)
            }
        }
        return (fixture, id)
    }

    func errorClass(_ error: any Error) -> String { FailureReport(error, fallbackLocation: nil).errorClass }

    @Test func aHistoryLargerThanTheCapIsAMemoryErrorAndASmallerOneIsRead() throws {
        let (fixture, _) = try workspace(lines: 2000, noteBytes: 4000)
        let small = try fixture.engine(limits: LuaLimits(timeout: 30, memory: 4 << 20))
        #expect { _ = try small.session.run(source: "return #agreements.get('T/1/2027'):history()", chunkName: "riwayat.lua") }
            throws: { errorClass($0) == "memory" }
        let roomy = try fixture.engine(limits: LuaLimits(timeout: 30, memory: 256 << 20))
        let count = try roomy.session.run(source: "local h = agreements.get('T/1/2027'):history() return #h, #h[2].note",
                                          chunkName: "riwayat.lua")
        #expect(count == [.integer(2001), .integer(4000)])
    }

    @Test func moreOpenTasksThanTheCapHoldIsAMemoryErrorAndFewerAreListed() throws {
        let (fixture, _) = try workspace(lines: 3000, noteBytes: 4000)
        let small = try fixture.engine(limits: LuaLimits(timeout: 30, memory: 4 << 20))
        #expect { _ = try small.session.run(source: "return #tasks.pending{}", chunkName: "tugas.lua") }
            throws: { errorClass($0) == "memory" }
        let roomy = try fixture.engine(limits: LuaLimits(timeout: 30, memory: 256 << 20))
        let count = try roomy.session.run(source: "local t = tasks.pending{ role = 'sekretariat' } return #t, t[#t].agreement",
                                          chunkName: "tugas.lua")
        #expect(count.first.flatMap { if case let .integer(n) = $0 { n } else { nil } } ?? 0 >= 3000)
        #expect(count.dropFirst().first == .text("T/1/2027"))
    }
}
