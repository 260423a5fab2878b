import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store
import Testing
import Workflow

/// Guards and actions that yield, allocate, flood the outbox or the timers, or throw odd error
/// objects: each transition fails with its class and keeps nothing, and the engine's own state
/// (its transition depth, its frames) is whole for the next fire in the same session.
@Suite struct HostileWorkflowBudgetTests {
    let hostile = HostileWorkflowTests()
    static let small = "workflows = { limits = { timeout = \"300ms\", memory = \"8MB\" } }"

    func errorClass(_ error: any Error) -> String { FailureReport(error, fallbackLocation: nil).errorClass }

    /// After a failed fire the same engine fires cleanly: nothing of the failure stuck to it.
    func firesCleanlyAfterwards(_ fixture: WorkflowFixture, _ engine: WorkflowEngine) throws {
        let other = try fixture.agreement(number: "T/9/2027")
        try fixture.write(engine) { try engine.start(agreementId: other, at: "pelaksanaan", actor: try actor(engine), in: $0) }
        try hostile.fire(engine, fixture, other, "selesai")
        #expect(try fixture.instance(other)?.state == "pelaporan")
    }

    @Test(arguments: [
        ("coroutine.yield()", "runtime"),
        ("error(setmetatable({}, { __tostring = function() while true do end end }))", "runtime"),
        ("local t = {} for i = 1, math.maxinteger do t[i] = string.rep('m', 1024) .. i end", "memory"),
        ("string.rep('m', 1 << 30)", "memory"),
        ("while true do end", "timeout"),
        ("for i = 1, math.maxinteger do ctx.notify{ to = 'role:sekretariat', subject = 's', key = tostring(i) } end", "timeout"),
        ("for i = 1, math.maxinteger do ctx.timer{ name = 't' .. i, days = 1, fire = 'selesai' } end", "timeout"),
    ])
    func anActionPastItsBudgetFailsWithItsClassAndKeepsNothing(onEnter: String, expected: String) throws {
        let (fixture, id, engine) = try hostile.started(onEnter: onEnter, configuration: HostileWorkflowBudgetTests.small)
        #expect { try hostile.fire(engine, fixture, id) } throws: { errorClass($0) == expected }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try fixture.history(id).map(\.kind) == [.adopt])
        #expect(try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.isEmpty)
        #expect(try fixture.workspace.database.read { try WorkflowStore().timers(of: id, in: $0) }.isEmpty)
        // The on_enter above runs on every entry of pelaksanaan: the clean fire needs its own.
        try fixture.write("workflows/mini.lua", WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: ""))
        try firesCleanlyAfterwards(fixture, try fixture.engine(as: "sari"))
    }

    @Test func aGuardThatYieldsInsideAScriptsCoroutineLeavesTheEngineWhole() throws {
        let (fixture, id, engine) = try hostile.started(edit: {
            $0.replacingOccurrences(of: "roles = { \"sekretariat\" },\n", with: "roles = { \"sekretariat\" }, guard = function(a) coroutine.yield('x') return true end,\n")
        })
        let result = try engine.session.run(source: """
            local a = agreements.get("T/1/2027")
            local co = coroutine.create(function() return a:fire("kb_ditandatangani") end)
            local ok, why = coroutine.resume(co)
            return ok, coroutine.status(co), tostring(why)
            """, chunkName: "korutin.lua")
        #expect(result.first == .boolean(false))
        #expect(result.dropFirst().first == .text("dead"))
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try fixture.history(id).map(\.kind) == [.adopt])
        try firesCleanlyAfterwards(fixture, engine)
    }

    @Test func aScriptFiringInALoopUnderPcallKeepsOnlyWhatSucceeded() throws {
        // Every third note makes on_enter fail; the script catches each and goes on.
        let (fixture, id, engine) = try hostile.started(onEnter: "if ctx.note == 'gagal' then ctx.notify{ to = 'role:sekretariat', subject = 'x' } error('gagal') end",
                                                        edit: { $0.replacingOccurrences(of: "selesai = { to = \"pelaporan\"", with: "selesai = { to = \"pelaksanaan\"") })
        try hostile.fire(engine, fixture, id)
        let result = try engine.session.run(source: """
            local a, kept = agreements.get("T/1/2027"), 0
            for i = 1, 30 do
              if pcall(a.fire, a, "selesai", { note = i % 3 == 0 and "gagal" or "baik" }) then kept = kept + 1 end
            end
            return kept
            """, chunkName: "ulang.lua")
        #expect(result.first == .integer(20))
        #expect(try fixture.history(id).filter { $0.kind == .transition }.count == 21)
        #expect(try fixture.history(id).allSatisfy { $0.note != "gagal" })
        #expect(try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.isEmpty)
    }

    @Test func whatAFailedTransitionDidToItsDefinitionsLuaStateIsNotSeenByTheNext() throws {
        // The guard counts its calls in an upvalue; T/1/2027's call fails after counting.
        let (fixture, id, engine) = try hostile.started(edit: {
            "local tries = 0\n" + $0.replacingOccurrences(of: "roles = { \"sekretariat\" },\n", with: """
                roles = { "sekretariat" }, guard = function(a) tries = tries + 1
                  if a.number == "T/1/2027" then error("gagal") end return tries == 1, "percobaan " .. tries end,\n
                """)
        })
        #expect(throws: (any Error).self) { try hostile.fire(engine, fixture, id) }
        let other = try fixture.agreement(number: "T/2/2027")
        try fixture.write(engine) { try engine.start(agreementId: other, at: "penyusunan_kb", actor: try actor(engine), in: $0) }
        try hostile.fire(engine, fixture, other)
        #expect(try fixture.instance(other)?.state == "pelaksanaan")
    }

    final class Printed { var lines: [String] = [] }

    @Test func aDefinitionThatLoopsWhenLoadedCostsAnAutoStartPassItsBudgetOncePerKind() throws {
        let fixture = try WorkflowFixture()
        try fixture.write("workflows/rusak.lua", "print('dievaluasi') while true do end")
        for number in ["T/1/2027", "T/2/2027", "T/3/2027"] { _ = try fixture.agreement(number: number) }
        let printed = Printed()
        let session = try ScriptSession(workspace: fixture.workspace, actor: User.system, clock: FixedClock(Date(timeIntervalSince1970: 1_800_000_000)),
                                        limits: LuaLimits(timeout: 0.3, memory: 32 << 20),
                                        output: { printed.lines.append($0) }, log: { _, _ in })
        let engine = WorkflowEngine(workspace: fixture.workspace, session: session)
        #expect(try engine.startWaiting(actor: User.system).started == 3)
        #expect(printed.lines.filter { $0.contains("dievaluasi") }.count == 1)
    }

    @Test func aPinnedVersionThatLoopsWhenLoadedCostsATickItsBudgetOnce() throws {
        let fixture = try WorkflowFixture()
        // A top level that takes 0.6 s of CPU: it loads within the 10 s the agreements start
        // under, and runs past the 0.3 s of the tick (its top level reads neither the data nor
        // the clock, so it is the same every time it loads).
        try fixture.write("workflows/mini.lua", "print('dievaluasi') local t = os.clock() while os.clock() - t < 0.6 do end\n"
                          + WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: ""))
        let start = try fixture.engine(as: "sari", at: "2027-03-01T10:00:00+07:00", limits: LuaLimits(timeout: 10, memory: 32 << 20))
        for number in ["T/1/2027", "T/2/2027", "T/3/2027"] {
            let id = try fixture.agreement(number: number, needsDPRD: true)
            try fixture.write(start) { try start.start(agreementId: id, at: "persetujuan_dprd", actor: try actor(start), in: $0) }
        }
        let printed = Printed()
        guard let instant = ISO8601DateFormatter().date(from: "2027-04-20T08:00:00+07:00") else { throw Missing("date") }
        let session = try ScriptSession(workspace: fixture.workspace, actor: User.system, clock: FixedClock(instant),
                                        limits: LuaLimits(timeout: 0.3, memory: 32 << 20),
                                        output: { printed.lines.append($0) }, log: { _, _ in })
        let report = try WorkflowEngine(workspace: fixture.workspace, session: session).tick()
        #expect(report.failed.count == 3)
        #expect(report.failed.allSatisfy { $0.detail.contains("time budget") })
        #expect(printed.lines.filter { $0.contains("dievaluasi") }.count == 1)
    }
}
