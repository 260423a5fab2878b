import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store
import Testing
import Workflow

/// Hostile arguments to what actions and scripts call — `ctx.timer`, `a:fire`, `tasks.pending`,
/// `workflows.get` — and the loops a script or a clock drives: each refused with its class,
/// nothing of the failed unit kept, what a script makes the host keep bounded.
@Suite struct HostileWorkflowInputTests {
    let hostile = HostileWorkflowTests()

    func timers(_ fixture: WorkflowFixture, _ id: Int64) throws -> [WorkflowTimerRecord] {
        try fixture.workspace.database.read { try WorkflowStore().timers(of: id, in: $0) }
    }

    @Test(arguments: [
        "ctx.timer{ name = 'x', days = math.mininteger, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = math.maxinteger, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = 0/0, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = 1/0, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = -0.0, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = 2^63, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = 3, workdays = 3, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = 36500, from = '9999-12-31', fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = 3, from = setmetatable({}, { __tostring = function() return '2027-01-01' end }), fire = 'selesai' }",
        "ctx.timer{ name = 'baris\\nbaru', days = 3, fire = 'selesai' }",
        "ctx.timer{ name = '\\27[2J', days = 3, fire = 'selesai' }",
        "ctx.timer{ name = string.rep('n', 1 << 20), days = 3, fire = 'selesai' }",
        "ctx.timer{ name = 'deadline:pelaksanaan', days = 3, fire = 'selesai' }",
        "ctx.timer{ name = 'x', days = 3, fire = 'tidak_ada' }",
        "ctx.timer{ name = 'x', days = 3, fire = string.rep('e', 1 << 20) }",
        "ctx.timer{ name = 'x', after_field = 'title', fire = 'selesai' }",
        "ctx.timer(setmetatable({}, { __index = { name = 'x', days = 3, fire = 'selesai' } }))",
    ])
    func ctxTimerRefusesHostileArgumentsAndTheTransitionKeepsNothing(call: String) throws {
        let (fixture, id, engine) = try hostile.started(onEnter: call)
        #expect { try hostile.fire(engine, fixture, id) } throws: { error in
            let report = FailureReport(error, fallbackLocation: nil)
            return report.errorClass == "validation" && (report.message.hasPrefix("ctx.timer") || report.message.hasPrefix("timer x"))
                && report.text.utf8.count < 2000
        }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try timers(fixture, id).isEmpty)
    }

    @Test(arguments: [
        ("ctx.timer('x')", "runtime"),
        ("ctx.cancel(nil)", "runtime"),
        ("ctx.cancel(string.rep('c', 1 << 20)); error('sesudah cancel')", "runtime"),
        ("ctx.notify(setmetatable({}, { __index = { to = 'role:sekretariat', subject = 's' } }))", "validation"),
        ("ctx.notify{ to = 'role:sekretariat', subject = 's', agreement = math.mininteger }", "not-found"),
    ])
    func ctxFunctionsMisusedFailWithTheirClass(call: String, errorClass: String) throws {
        let (fixture, id, engine) = try hostile.started(onEnter: call)
        #expect { try hostile.fire(engine, fixture, id) } throws: { FailureReport($0, fallbackLocation: nil).errorClass == errorClass }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.isEmpty)
    }

    @Test(arguments: [
        ("a:fire('kb_ditandatangani\\0')", "validation"),
        ("a:fire('x\\27[31m')", "validation"),
        ("a:fire(string.rep('e', 1 << 20))", "validation"),
        ("a:fire(math.mininteger)", "validation"),
        ("a:fire('kb_ditandatangani', { note = string.rep('n', 5000) })", "validation"),
        ("a:fire('kb_ditandatangani', { note = 'a\\27[2Jb' })", "validation"),
        ("a:fire('kb_ditandatangani', { note = {} })", "validation"),
        ("a:fire('kb_ditandatangani', 'catatan')", "runtime"),
        ("a:fire('kb_ditandatangani', { notes = 'salah eja' })", "validation"),
        ("a:fire('kb_ditandatangani', { note = 'x', [1] = true })", "validation"),
        ("tasks.pending{ role = 5 }", "validation"),
        ("tasks.pending{ user = string.rep('u', 1 << 20) }", "not-found"),
        ("tasks.pending{ user = 'x\\27[2J' }", "not-found"),
        ("tasks.pending{ role = 'sekretariat\\0x' }", "validation"),
        ("workflows.get(string.rep('w', 1 << 20))", "not-found"),
        ("workflows.get('../sinergi')", "not-found"),
        ("workflows.get(setmetatable({}, { __tostring = function() return 'mini' end }))", "runtime"),
    ])
    func scriptCallsWithHostileArgumentsFailWithTheirClassAndAShortMessage(call: String, errorClass: String) throws {
        let (fixture, id, engine) = try hostile.started()
        #expect { _ = try engine.session.run(source: "local a = agreements.get('T/1/2027')\n\(call)", chunkName: "serang.lua") }
            throws: { error in
                let report = FailureReport(error, fallbackLocation: nil)
                return report.errorClass == errorClass && report.location == "serang.lua:2" && report.text.utf8.count < 2000
                    && !report.text.contains("\u{1B}")
            }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
    }

    @Test func aScriptThatCatchesRefusalsInALoopLeavesOneRecordOfThem() throws {
        let (fixture, id, _) = try hostile.started()
        let komisi = try fixture.engine(as: "komisi")
        _ = try komisi.session.run(source: """
            local a = agreements.get("T/1/2027")
            for i = 1, 3000 do assert(not pcall(a.fire, a, "kb_ditandatangani")) end
            """, chunkName: "banjir.lua")
        let refused = try fixture.history(id).filter { $0.kind == .refused }
        #expect(refused.count == 1)
        #expect(refused.first?.actor == "komisi")
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
    }

    @Test func aScriptFiringWithoutEndIsStoppedByItsTimeCapAndKeepsNothing() throws {
        let fixture = try WorkflowFixture()
        try fixture.write("workflows/mini.lua", WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: "")
            .replacingOccurrences(of: "selesai = { to = \"pelaporan\"", with: "selesai = { to = \"pelaksanaan\""))
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari", limits: LuaLimits(timeout: 1, memory: 32 << 20))
        try fixture.write(engine) { try engine.start(agreementId: id, at: "pelaksanaan", actor: try actor(engine), in: $0) }
        // Enough in 50 fires; without end, the script's cap.
        _ = try engine.session.run(source: "local a = agreements.get('T/1/2027') for i = 1, 50 do a:fire('selesai') end",
                                   chunkName: "banyak.lua")
        #expect(try fixture.history(id).count == 51)
        #expect { _ = try engine.session.run(source: "local a = agreements.get('T/1/2027') while true do a:fire('selesai') end",
                                             chunkName: "tanpa_akhir.lua") }
            throws: { FailureReport($0, fallbackLocation: nil).errorClass == "timeout" }
        #expect(try fixture.history(id).count == 51)
    }

    /// Two agreements waiting on the DPRD; the guard of the deemed approval runs `guardBody`
    /// for T/1/2027 alone. The tick on day 46 fires both timers.
    func tickWithAGuard(_ guardBody: String, batchSeconds: TimeInterval = 60) throws -> (WorkflowFixture, TickReport, Int64, Int64) {
        let fixture = try WorkflowFixture(configuration: "workflows = { limits = { timeout = \"300ms\" } }")
        try fixture.write("workflows/lib/mini_dprd.lua", WorkflowFixture.dprdLibrary.replacingOccurrences(
            of: "dianggap_disetujui = { to = next_state,",
            with: "dianggap_disetujui = { to = next_state, guard = function(a) if a.number == 'T/1/2027' then \(guardBody) end return true end,"))
        let first = try fixture.agreement(number: "T/1/2027", needsDPRD: true)
        let second = try fixture.agreement(number: "T/2/2027", needsDPRD: true)
        let start = try fixture.engine(as: "sari", at: "2027-03-01T10:00:00+07:00")
        for id in [first, second] {
            try fixture.write(start) { try start.start(agreementId: id, at: "persetujuan_dprd", actor: try actor(start), in: $0) }
        }
        return (fixture, try fixture.engine(at: "2027-04-20T08:00:00+07:00").tick(batchSeconds: batchSeconds), first, second)
    }

    /// With `batchSeconds: 0` each batch commits after one timer (as a batch of transitions that
    /// each ran to their budget would after its time): the same outcome, nothing lost.
    @Test(arguments: [60.0, 0.0])
    func aTickWhoseGuardLoopsFailsThatTimerAloneAsATimeoutAndRetriesIt(batchSeconds: Double) throws {
        let (fixture, report, first, second) = try tickWithAGuard("while true do end", batchSeconds: batchSeconds)
        #expect(report.fired.map(\.number) == ["T/2/2027"])
        #expect(report.failed.map(\.number) == ["T/1/2027"])
        #expect(report.failed.first?.detail.contains("time budget") == true)
        #expect(try fixture.instance(second)?.state == "pelaksanaan")
        #expect(try fixture.instance(first)?.state == "persetujuan_dprd")
        #expect(try fixture.history(first).last?.kind == .failed)
        #expect(try timers(fixture, first).map(\.name) == ["dprd_45"])
    }

    @Test func aTickFailureRecordsABoundedNote() throws {
        let (fixture, report, first, _) = try tickWithAGuard("error(string.rep('x', 1 << 20))")
        #expect(report.failed.count == 1)
        let note = try fixture.history(first).last?.note ?? ""
        #expect(note.hasPrefix("timer dprd_45"))
        #expect(note.utf8.count <= 4096)
        #expect((report.failed.first?.detail.utf8.count ?? 0) <= 4096)
    }

    /// A script's error message may hold NUL, which SQLite's text binding would end the note at
    /// (the audited text keeping all of it): the history keeps the whole message, NUL shown as ␀,
    /// and its audit row the same text.
    @Test func aFailureMessageWithNULIsKeptWholeInTheHistoryAndItsAudit() throws {
        let (fixture, report, first, _) = try tickWithAGuard("error('vor\\0nach')")
        #expect(report.failed.count == 1)
        let note = try #require(try fixture.history(first).last?.note)
        #expect(note.hasSuffix("vor\u{2400}nach"), "\(note)")
        let audited = try fixture.workspace.database.read { try AuditLog.entries(entity: "workflow", entityId: first, in: $0) }
        #expect(audited.first?.after?.contains("vor\u{2400}nach") == true, "\(audited.first?.after ?? "")")
    }

    @Test func aTimerItsOwnTransitionSetsDueAgainWaitsForTheNextTick() throws {
        // selesai leads back into pelaksanaan, whose on_enter sets a timer already due (from a
        // past date) that fires selesai: without a bound, one tick would fire it forever.
        let fixture = try WorkflowFixture(onEnter: "ctx.timer{ name = 'lagi', days = 0, from = '2000-01-01', fire = 'selesai' }")
        try fixture.write("workflows/mini.lua", WorkflowFixture.mini
            .replacingOccurrences(of: "ON_ENTER", with: "ctx.timer{ name = 'lagi', days = 0, from = '2000-01-01', fire = 'selesai' }")
            .replacingOccurrences(of: "selesai = { to = \"pelaporan\"", with: "selesai = { to = \"pelaksanaan\""))
        let engine = try fixture.engine(as: "sari")
        var ids: [Int64] = []
        for number in ["T/1/2027", "T/2/2027", "T/3/2027"] {
            let id = try fixture.agreement(number: number)
            try fixture.write(engine) { try engine.start(agreementId: id, at: "pelaksanaan", actor: try actor(engine), in: $0) }
            ids.append(id)
        }
        let first = try fixture.engine().tick(batchSize: 2)
        #expect(first.fired.count == 3)
        for id in ids {
            #expect(try fixture.history(id).filter { $0.kind == .transition }.count == 1)
            #expect(try timers(fixture, id).map(\.name) == ["lagi"])
        }
        #expect(try fixture.engine().tick(batchSize: 2).fired.count == 3)
    }
}
