import Agreements
import Foundation
import Store
import Testing
import Workflow

/// The stage move of a transition starts from the agreement as it stands after the event's Lua
/// functions ran: the engine reuses the agreement it read only when nothing was written since
/// (`StoreUnit.writeCount`), and reads it again otherwise.
@Suite struct WorkflowStageMoveTests {
    /// `persiapan`'s event with a guard and an on_exit given as Lua text.
    static func fixture(guard guardBody: String, onExit: String) throws -> WorkflowFixture {
        let fixture = try WorkflowFixture()
        let mini = WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: "").replacingOccurrences(
            of: #"persiapan = { on = { kak_disetujui = { to = "penyusunan_kb", roles = { "tkksd" }, outcome = "approved" } } },"#,
            with: #"persiapan = { on_exit = function(a, ctx) \#(onExit) end, on = { kak_disetujui = { to = "penyusunan_kb", roles = { "tkksd" }, outcome = "approved", guard = function(a, ctx) \#(guardBody) return true end } } },"#)
        #expect(mini != WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: ""))
        try fixture.write("workflows/mini.lua", mini)
        return fixture
    }

    @Test(arguments: [
        ("", "a:update{ scope = \"diubah saat keluar\" }"),
        ("a:update{ scope = \"diubah saat keluar\" }", ""),
        ("pcall(function() a:update{ title = \"\" } end)", "a:update{ scope = \"diubah saat keluar\" }"),
    ])
    func aChangeByTheEventsLuaIsKeptByTheStageMove(guardBody: String, onExit: String) throws {
        let fixture = try Self.fixture(guard: guardBody, onExit: onExit)
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, actor: engine.session.actor ?? User.system, in: $0) }
        let state = try fixture.write(engine) {
            try engine.fire(agreementId: id, event: "kak_disetujui", actor: engine.session.actor ?? User.system, in: $0)
        }
        #expect(state == "penyusunan_kb")
        let stored = try fixture.workspace.database.read { try fixture.workspace.agreements.agreement(id: id, in: $0) }
        #expect(stored?.scope == "diubah saat keluar")
        #expect(stored?.stage == "penyusunan_kb")
        let verdict = try fixture.workspace.database.read { try AuditLog.verify(in: $0) }
        guard case .intact = verdict else { Issue.record("audit: \(verdict)"); return }
        // The change by the event's Lua has its own row; the transition's row holds the stage it moved.
        let (update, move) = try fixture.workspace.database.read {
            (try AuditLog.entries(limit: 1, entity: "agreement", entityId: id, in: $0).first,
             try AuditLog.entries(limit: 1, entity: "workflow", entityId: id, in: $0).first)
        }
        #expect(update?.action == "update" && update?.after?.contains("diubah saat keluar") == true)
        #expect(move?.action == "workflow.transition" && move?.before == #"{"stage":"persiapan"}"#)
        #expect(move?.after?.hasPrefix(#"{"agreement":{"stage":"penyusunan_kb"},"event":"kak_disetujui","#) == true, "\(move?.after ?? "")")
    }

    @Test func withoutAChangeTheStageMoveStartsFromTheAgreementAsStored() throws {
        let fixture = try Self.fixture(guard: "", onExit: "")
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, actor: engine.session.actor ?? User.system, in: $0) }
        let created = try fixture.workspace.database.read {
            try AuditLog.entries(limit: 1, entity: "agreement", entityId: id, in: $0).first
        }
        _ = try fixture.write(engine) {
            try engine.fire(agreementId: id, event: "kak_disetujui", actor: engine.session.actor ?? User.system, in: $0)
        }
        let (unchanged, move) = try fixture.workspace.database.read {
            (try AuditLog.entries(limit: 1, entity: "agreement", entityId: id, in: $0).first,
             try AuditLog.entries(limit: 1, entity: "workflow", entityId: id, in: $0).first)
        }
        #expect(unchanged == created)
        #expect(move?.action == "workflow.transition" && move?.before == #"{"stage":"persiapan"}"#)
        #expect(created.map { SnapshotValues($0.after).text(of: "stage") } == #""persiapan""#)
        let verdict = try fixture.workspace.database.read { try AuditLog.verify(in: $0) }
        guard case .intact = verdict else { Issue.record("audit: \(verdict)"); return }
    }
}
