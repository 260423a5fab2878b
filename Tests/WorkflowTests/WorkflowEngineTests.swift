import Agreements
import Foundation
import LuaKit
import Store
import Testing
import Workflow

@Suite struct WorkflowEngineTests {
    @Test func aTransitionMovesStateStageTasksAndHistoryTogether() throws {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, actor: engine.session.actor ?? User.system, in: $0) }
        let state = try fixture.write(engine) { try engine.fire(agreementId: id, event: "kak_disetujui", note: "rapat", actor: try actor(engine), in: $0) }
        #expect(state == "penyusunan_kb")
        #expect(try fixture.stage(id) == "penyusunan_kb")
        #expect(try fixture.history(id).map(\.kind) == [.start, .transition])
        #expect(try fixture.history(id).last?.outcome == "approved")
        let tasks = try fixture.workspace.database.read { try WorkflowStore().openTasks(agreementId: id, in: $0) }
        #expect(tasks.map(\.role) == ["sekretariat"])
        #expect(tasks.first?.events == ["kb_ditandatangani"])
    }

    @Test(arguments: [
        ("error(\"gagal\")", "gagal"),
        ("ctx.timer{ name = \"x\", days = 3, fire = \"selesai\" }; error(\"sesudah timer\")", "sesudah timer"),
        ("a:update{ title = \"diubah\" }; error(\"sesudah update\")", "sesudah update"),
    ])
    func anOnEnterThatFailsRollsBackTheWholeTransition(onEnter: String, message: String) throws {
        let fixture = try WorkflowFixture(onEnter: onEnter)
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, at: "penyusunan_kb", actor: try actor(engine), in: $0) }
        #expect { try fixture.write(engine) { try engine.fire(agreementId: id, event: "kb_ditandatangani", actor: try actor(engine), in: $0) } }
            throws: { "\($0)".contains(message) }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try fixture.stage(id) == "penyusunan_kb")
        #expect(try fixture.history(id).map(\.kind) == [.adopt])
        let title = try fixture.workspace.database.read { try fixture.workspace.agreements.agreement(id: id, in: $0)?.title }
        #expect(title == "Uji")
        #expect(try fixture.workspace.database.read { try WorkflowStore().timers(of: id, in: $0) }.isEmpty)
    }

    /// A fire returns the state its transition ends in: the one its entry actions moved on to
    /// when they fired again, the one it entered when theirs failed (caught) or none was made.
    @Test(arguments: [
        ("a:fire(\"selesai\")", "pelaporan"),
        ("pcall(function() a:fire(\"tidak_ada\") end)", "pelaksanaan"),
        ("", "pelaksanaan"),
    ])
    func aFireReturnsTheStateItsEntryActionsLeave(onEnter: String, ends: String) throws {
        let fixture = try WorkflowFixture(onEnter: onEnter)
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, at: "penyusunan_kb", actor: try actor(engine), in: $0) }
        let state = try fixture.write(engine) { try engine.fire(agreementId: id, event: "kb_ditandatangani", actor: try actor(engine), in: $0) }
        #expect(state == ends)
        #expect(try fixture.instance(id)?.state == ends)
    }

    @Test func anOnEnterThatNotifiesThenFailsLeavesNoOutboxRow() throws {
        let fixture = try WorkflowFixture(onEnter: """
            ctx.notify{ to = "role:sekretariat", subject = "masuk", body = a.number, key = "k1" }
            if ctx.note == "gagal" then error("sesudah notify") end
            """)
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, at: "penyusunan_kb", actor: try actor(engine), in: $0) }
        #expect(throws: (any Error).self) {
            try fixture.write(engine) { try engine.fire(agreementId: id, event: "kb_ditandatangani", note: "gagal", actor: try actor(engine), in: $0) }
        }
        #expect(try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.isEmpty)
        try fixture.write(engine) { try engine.fire(agreementId: id, event: "kb_ditandatangani", actor: try actor(engine), in: $0) }
        let queued = try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }
        #expect(queued.count == 1)
        #expect(queued.first?.message.agreementId == id)
    }

    @Test func anOnEnterPastItsBudgetIsATimeoutAndKeepsNothing() throws {
        let fixture = try WorkflowFixture(onEnter: "while true do end")
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari", limits: LuaLimits(timeout: 0.3, memory: 64 << 20))
        try fixture.write(engine) { try engine.start(agreementId: id, at: "penyusunan_kb", actor: try actor(engine), in: $0) }
        #expect(throws: LuaError.self) {
            try fixture.write(engine) { try engine.fire(agreementId: id, event: "kb_ditandatangani", actor: try actor(engine), in: $0) }
        }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try fixture.stage(id) == "penyusunan_kb")
    }

    @Test func aRefusalIsRecordedEvenThoughTheRunThatTriedRolledBack() throws {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement()
        let admin = try fixture.engine()
        try fixture.write(admin) { try admin.start(agreementId: id, actor: try actor(admin), in: $0) }
        let komisi = try fixture.engine(as: "komisi")
        // The script catches the refusal and then fails: its unit rolls back, the refusal stays.
        #expect { _ = try komisi.session.run(source: """
                local a = agreements.get("T/1/2027")
                local ok, why = pcall(a.fire, a, "kak_disetujui")
                error("gagal sesudah: " .. tostring(why))
                """, chunkName: "coba.lua") } throws: { "\($0)".contains("gagal sesudah") && "\($0)".contains("may not fire") }
        #expect(try fixture.instance(id)?.state == "persiapan")
        let refused = try fixture.history(id).filter { $0.kind == .refused }
        #expect(refused.map(\.actor) == ["komisi"])
        #expect(refused.first?.event == "kak_disetujui")
    }

    @Test func aFirePreparedAgainstAStateThatMovedChangesNothing() throws {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, actor: try actor(engine), in: $0) }
        try fixture.write(engine) { try engine.fire(agreementId: id, event: "kak_disetujui", actor: try actor(engine), in: $0) }
        #expect { try fixture.write(engine) {
            try engine.fire(agreementId: id, event: "kb_ditandatangani", actor: try actor(engine), expectedState: "persiapan", in: $0)
        } } throws: { "\($0)".contains("the state moved") }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
    }

    @Test func stageAndStatusChangeOnlyThroughTransitionsWhileAWorkflowRuns() throws {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, actor: try actor(engine), in: $0) }
        #expect { _ = try engine.session.run(source: "agreements.get('T/1/2027'):update{ stage = 'pelaksanaan' }", chunkName: "x.lua") }
            throws: { "\($0)".contains("a:fire") }
        #expect(try fixture.stage(id) == "persiapan")
        _ = try engine.session.run(source: "agreements.get('T/1/2027'):update{ title = 'boleh' }", chunkName: "x.lua")
    }

    @Test func theDPRDsSilenceIsDeemedApprovedAtTheStartOfDay46NotBefore() throws {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement(needsDPRD: true)
        let start = try fixture.engine(as: "sari", at: "2027-03-01T10:00:00+07:00")
        try fixture.write(start) { try start.start(agreementId: id, at: "persetujuan_dprd", actor: try actor(start), in: $0) }
        // Received 1 March: day 45 is 15 April; deemed approved at the start of 16 April.
        let lastDay = try fixture.engine(at: "2027-04-15T23:59:59+07:00").tick()
        #expect(lastDay.fired.isEmpty)
        #expect(try fixture.instance(id)?.state == "persetujuan_dprd")
        let nextDay = try fixture.engine(at: "2027-04-16T00:00:00+07:00").tick()
        #expect(nextDay.fired.map(\.event) == ["dianggap_disetujui"])
        #expect(try fixture.instance(id)?.state == "pelaksanaan")
        #expect(try fixture.history(id).last?.outcome == "deemed_approved")
        #expect(try fixture.history(id).last?.actor == "system")
        #expect(try fixture.engine(at: "2027-04-17T00:00:00+07:00").tick().fired.isEmpty)
    }

    /// What a timer's actions write through the API is the system's, whoever ran the tick: the
    /// audit and the outbox name `system`, and the runner's roles neither allow nor refuse it.
    @Test func aTimersActionsActAsTheSystemNotAsWhoeverRanTheTick() throws {
        let fixture = try WorkflowFixture(onEnter: "a:update{ notes = 'dianggap disetujui' } "
                                          + "notify{ to = 'role:sekretariat', subject = 'DPRD', body = a.number, key = 'dprd:' .. a.id }")
        let id = try fixture.agreement(needsDPRD: true)
        let start = try fixture.engine(as: "sari", at: "2027-03-01T10:00:00+07:00")
        try fixture.write(start) { try start.start(agreementId: id, at: "persetujuan_dprd", actor: try actor(start), in: $0) }
        // Pimpinan DPRD may change no agreement: the tick they run still fires, as the system.
        let report = try fixture.engine(as: "pimpinan", at: "2027-04-16T08:00:00+07:00").tick()
        #expect(report.failed.isEmpty)
        #expect(report.fired.map(\.event) == ["dianggap_disetujui"])
        let (audit, outbox) = try fixture.workspace.database.read { unit in
            (try AuditLog.entries(aboutAgreement: id, since: "2027-04-16", in: unit), try Outbox().list(status: nil, in: unit))
        }
        #expect(!audit.isEmpty && audit.allSatisfy { $0.actor == "system" }, "\(audit.map { "\($0.actor) \($0.action)" })")
        #expect(outbox.map(\.createdBy) == ["system"])
    }

    @Test func aTimerWhoseEventIsNoLongerPossibleIsDroppedNotFiredLate() throws {
        let fixture = try WorkflowFixture(onEnter: "ctx.timer{ name = 'pengingat', days = 10, fire = 'disetujui' }")
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, at: "penyusunan_kb", actor: try actor(engine), in: $0) }
        try fixture.write(engine) { try engine.fire(agreementId: id, event: "kb_ditandatangani", actor: try actor(engine), in: $0) }
        let report = try fixture.engine(at: "2027-04-01T09:00:00+07:00").tick()
        #expect(report.fired.isEmpty)
        #expect(report.dropped.map(\.timer) == ["pengingat"])
        #expect(try fixture.instance(id)?.state == "pelaksanaan")
        #expect(try fixture.history(id).last?.kind == .dropped)
    }

    @Test func aFailingTimerTransitionRollsBackAloneInItsBatch() throws {
        let fixture = try WorkflowFixture(onEnter: "if a.number == 'T/2/2027' then error('rusak') end")
        let good = try fixture.agreement(number: "T/1/2027", needsDPRD: true)
        let bad = try fixture.agreement(number: "T/2/2027", needsDPRD: true)
        let start = try fixture.engine(as: "sari", at: "2027-03-01T10:00:00+07:00")
        for id in [good, bad] {
            try fixture.write(start) { try start.start(agreementId: id, at: "persetujuan_dprd", actor: try actor(start), in: $0) }
        }
        let report = try fixture.engine(at: "2027-04-16T08:00:00+07:00").tick()
        #expect(report.fired.map(\.number) == ["T/1/2027"])
        #expect(report.failed.map(\.number) == ["T/2/2027"])
        #expect(try fixture.instance(good)?.state == "pelaksanaan")
        #expect(try fixture.instance(bad)?.state == "persetujuan_dprd")
        #expect(try fixture.history(bad).last?.kind == .failed)
    }

    @Test func anInstanceKeepsItsVersionAfterTheFileIsEditedOrDeleted() throws {
        let fixture = try WorkflowFixture()
        let old = try fixture.agreement(number: "T/1/2027")
        let admin = try fixture.engine()
        try fixture.write(admin) { try admin.start(agreementId: old, actor: try actor(admin), in: $0) }
        // The administrator adds a hukum review between persiapan and penyusunan_kb.
        let edited = WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: "")
            .replacingOccurrences(of: "kak_disetujui = { to = \"penyusunan_kb\"", with: "kak_disetujui = { to = \"kajian_hukum\"")
            .replacingOccurrences(of: "  pelaporan = { final = true },", with: """
                  pelaporan = { final = true },
                  kajian_hukum = { stage = "persiapan", on = { hukum_setuju = { to = "penyusunan_kb", roles = { "hukum" } } } },
                """)
        try fixture.write("workflows/mini.lua", edited)
        try FileManager.default.removeItem(at: fixture.folder.appendingPathComponent("workflows/lib/mini_dprd.lua"))
        try fixture.write("workflows/lib/mini_dprd.lua", WorkflowFixture.dprdLibrary)
        let new = try fixture.agreement(number: "T/2/2027")
        let sari = try fixture.engine(as: "sari")
        try fixture.write(sari) { try sari.start(agreementId: new, actor: try actor(sari), in: $0) }
        #expect(try fixture.write(sari) { try sari.fire(agreementId: new, event: "kak_disetujui", actor: try actor(sari), in: $0) } == "kajian_hukum")
        // The running one stays on its version, even with the file and its lib gone.
        try FileManager.default.removeItem(at: fixture.folder.appendingPathComponent("workflows"))
        let later = try fixture.engine(as: "sari")
        #expect(try fixture.write(later) { try later.fire(agreementId: old, event: "kak_disetujui", actor: try actor(later), in: $0) } == "penyusunan_kb")
        #expect(try fixture.instance(old)?.version != fixture.instance(new)?.version)
        let versions = try fixture.workspace.database.read { try WorkflowStore().versions(named: "mini", in: $0) }
        #expect(versions.map(\.instances).sorted() == [1, 1])
    }

    /// A guard's or action's `require` is answered from the modules its version keeps: one the
    /// definition required at its top level is there; one required only at run time is refused,
    /// not read from today's workflows/lib (or scripts/lib) past the version's pin.
    @Test func requireAtRunTimeAnswersOnlyFromTheModulesTheVersionKeeps() throws {
        let fixture = try WorkflowFixture(onEnter: "assert(require('mini_dprd').states) require('dinamis')")
        try fixture.write("workflows/lib/dinamis.lua", "return true")
        try fixture.write("scripts/lib/dinamis.lua", "return true")
        let id = try fixture.agreement()
        let sari = try fixture.engine(as: "sari")
        try fixture.write(sari) { try sari.start(agreementId: id, actor: try actor(sari), in: $0) }
        try fixture.write(sari) { _ = try sari.fire(agreementId: id, event: "kak_disetujui", actor: try actor(sari), in: $0) }
        #expect {
            try fixture.write(sari) { _ = try sari.fire(agreementId: id, event: "kb_ditandatangani", actor: try actor(sari), in: $0) }
        } throws: { error in
            "\(error)".contains("module 'dinamis' was not required when ") && "\(error)".contains("requires its modules at its top level")
        }
        #expect(try fixture.stage(id) == "penyusunan_kb")
        // Required at the top level, it is kept with the version and answers at run time.
        let kept = try WorkflowFixture(onEnter: "assert(require('dinamis') == true)")
        try kept.write("workflows/mini.lua", "local _ = require('dinamis')\n" + WorkflowFixture.mini.replacingOccurrences(
            of: "ON_ENTER", with: "assert(require('dinamis') == true)"))
        try kept.write("workflows/lib/dinamis.lua", "return true")
        let other = try kept.agreement()
        let engine = try kept.engine(as: "sari")
        try kept.write(engine) { try engine.start(agreementId: other, actor: try actor(engine), in: $0) }
        try FileManager.default.removeItem(at: kept.folder.appendingPathComponent("workflows/lib/dinamis.lua"))
        let later = try kept.engine(as: "sari")
        for event in ["kak_disetujui", "kb_ditandatangani"] {
            try kept.write(later) { _ = try later.fire(agreementId: other, event: event, actor: try actor(later), in: $0) }
        }
        #expect(try kept.stage(other) == "pelaksanaan")
    }

    @Test func autoStartJoinsNewAgreementsWhereTheyStandAndSkipsOnesThatCannot() throws {
        let fixture = try WorkflowFixture(configuration: "workflows = { auto_start = true }")
        let fresh = try fixture.agreement(number: "T/1/2027")
        let underWay = try fixture.agreement(number: "T/2/2027")
        _ = try fixture.engine().session.run(source: "agreements.get('T/2/2027'):update{ stage = 'pelaksanaan', status = 'active' }", chunkName: "x.lua")
        let lost = try fixture.agreement(number: "T/3/2027")
        _ = try fixture.engine().session.run(source: "agreements.get('T/3/2027'):update{ stage = 'penatausahaan' }", chunkName: "x.lua")
        let result = try fixture.engine().autoStart(actor: User.system)
        #expect(result.started == 2)
        #expect(result.skipped.count == 1 && result.skipped[0].hasPrefix("T/3/2027"))
        #expect(try fixture.instance(fresh)?.state == "persiapan")
        #expect(try fixture.instance(underWay)?.state == "pelaksanaan")
        #expect(try fixture.history(underWay).first?.kind == .adopt)
        #expect(try fixture.instance(lost) == nil)
        #expect(try fixture.engine().autoStart(actor: User.system).started == 0)
    }

    @Test(arguments: [
        ("a:fire(string.rep('x', 1000000))", "is not an event name"),
        ("a:fire('kak_disetujui\\n')", "is not an event name"),
        ("a:fire('kak_disetujui', { note = 5 })", "note is text"),
        ("a:fire('kak_disetujui', { note = string.rep('n', 5000) })", "a note is at most"),
        ("a:fire('kak_disetujui', 5)", "bad argument #3"),
        ("a:fire('tidak_ada')", "not an event of state persiapan"),
        ("return tasks.pending{ role = {} }", "role is text"),
        ("return tasks.pending{ rol = 'sekretariat' }", "'rol' is not a filter (it takes role= and user=)"),
        ("return tasks.pending{ [string.rep('k', 100000)] = 1 }", "is not a filter"),
        ("return workflows.get('../../etc/passwd')", "is not a workflow name"),
        ("return workflows.get(string.rep('a', 100000))", "is not a workflow name"),
    ])
    func hostileArgumentsToTheWorkflowAPIAreCleanErrorsThatChangeNothing(chunk: String, message: String) throws {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, actor: try actor(engine), in: $0) }
        #expect { _ = try engine.session.run(source: "local a = agreements.get('T/1/2027')\n" + chunk, chunkName: "x.lua") }
            throws: { "\($0)".contains(message) && "\($0)".utf8.count < 2000 }
        #expect(try fixture.instance(id)?.state == "persiapan")
        #expect(try fixture.history(id).count == 1)
    }

    /// After a migration the state's deadline is the new version's, counted from the day the
    /// agreement entered the state; a version without one leaves none behind.
    @Test func migrateSetsTheNewVersionsDeadlineAndDropsTheOldOne() throws {
        func mini(deadlineDays days: Int?) -> String {
            let deadline = days.map { "deadline = { days = \($0), fire = 'kak_disetujui' }, " } ?? ""
            return WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: "")
                .replacingOccurrences(of: "persiapan = { on = {", with: "persiapan = { \(deadline)on = {")
        }
        let fixture = try WorkflowFixture()
        try fixture.write("workflows/mini.lua", mini(deadlineDays: 3))
        let id = try fixture.agreement()
        let admin = try fixture.engine(at: "2027-03-01T10:00:00+07:00")
        try fixture.write(admin) { try admin.start(agreementId: id, actor: try actor(admin), in: $0) }
        func deadlines() throws -> [String?] {
            try fixture.workspace.database.read { try WorkflowStore().timers(of: id, in: $0) }.map(\.dueAt)
        }
        #expect(try deadlines() == ["2027-03-04T17:00:00Z"])  // 3 days from 1 March: due at the start of 5 March in Jakarta
        try fixture.write("workflows/mini.lua", mini(deadlineDays: 10))
        let later = try fixture.engine(at: "2027-03-02T10:00:00+07:00")
        try fixture.write(later) { try later.migrate(agreementId: id, to: "latest", actor: try actor(later), in: $0) }
        #expect(try deadlines() == ["2027-03-11T17:00:00Z"])  // 10 days from 1 March, not from the migration
        #expect(try fixture.engine(at: "2027-03-05T00:00:00+07:00").tick().fired.isEmpty)
        try fixture.write("workflows/mini.lua", mini(deadlineDays: nil))
        let third = try fixture.engine(at: "2027-03-06T10:00:00+07:00")
        try fixture.write(third) { try third.migrate(agreementId: id, to: "latest", actor: try actor(third), in: $0) }
        #expect(try deadlines().isEmpty)
        #expect(try fixture.engine(at: "2027-03-20T00:00:00+07:00").tick().fired.isEmpty)
        #expect(try fixture.instance(id)?.state == "persiapan")
    }

    @Test func migrateRefusesAVersionWithoutTheStateAndMovesOtherwise() throws {
        let fixture = try WorkflowFixture()
        let id = try fixture.agreement()
        let admin = try fixture.engine()
        try fixture.write(admin) { try admin.start(agreementId: id, at: "penyusunan_kb", actor: try actor(admin), in: $0) }
        let renamed = WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: "").replacingOccurrences(of: "penyusunan_kb", with: "penyusunan_naskah_kb")
        try fixture.write("workflows/mini.lua", renamed)
        let later = try fixture.engine()
        #expect { try fixture.write(later) { try later.migrate(agreementId: id, to: "latest", actor: try actor(later), in: $0) } }
            throws: { "\($0)".contains("no state penyusunan_kb") }
        try fixture.write("workflows/mini.lua", WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: "local version = 3"))
        let third = try fixture.engine()
        let moved = try fixture.write(third) { try third.migrate(agreementId: id, to: "latest", actor: try actor(third), in: $0) }
        #expect(moved.from != moved.to)
        #expect(try fixture.instance(id)?.version == moved.to)
        #expect(try fixture.history(id).last?.kind == .migrate)
        // A version is named by four hex digits at least: an empty or short prefix matches nothing.
        for requested in ["", "a", "abc", "zzzz", String(moved.from.prefix(3))] {
            #expect { try fixture.write(third) { try third.migrate(agreementId: id, to: requested, actor: try actor(third), in: $0) } }
                throws: { "\($0)".contains("is not a version: give at least four hex digits") }
        }
        let back = try fixture.write(third) {
            try third.migrate(agreementId: id, to: String(moved.from.prefix(4)).uppercased(), actor: try actor(third), in: $0)
        }
        #expect(back.to == moved.from)
    }
}

func actor(_ engine: WorkflowEngine) throws -> User {
    guard let actor = engine.session.actor else { throw Missing("actor") }
    return actor
}
