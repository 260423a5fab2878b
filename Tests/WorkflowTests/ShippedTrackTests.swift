import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store
import Testing
import Workflow

/// The shipped tracks (workflows/*.lua, as `sinergi init --sample` lays them out) run by the
/// engine on the sample workspace, at chosen instants.
final class SampleWorkspace {
    let folder: URL
    let workspace: Workspace

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-shipped-\(UUID().uuidString)")
        workspace = try WorkspaceInitializer.create(at: folder, admin: "tester", login: "tester", sample: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func engine(as user: String = "tester", at now: String) throws -> WorkflowEngine {
        let actor = try workspace.actingUser(requested: user, osLogin: "tester")
        guard let instant = ISO8601DateFormatter().date(from: now) else { throw Missing(now) }
        let session = try ScriptSession(workspace: workspace, actor: actor, clock: FixedClock(instant), output: { _ in }, log: { _, _ in })
        return WorkflowEngine(workspace: workspace, session: session)
    }

    func id(_ number: String) throws -> Int64 {
        guard let id = try workspace.database.read({ try workspace.agreements.agreement(idOrNumber: number, in: $0)?.id }) else { throw Missing(number) }
        return id
    }

    @discardableResult
    func fire(_ number: String, _ event: String, as user: String, at now: String) throws -> String {
        let engine = try engine(as: user, at: now)
        let id = try id(number)
        return try engine.session.unitOfWork {
            guard let unit = engine.session.currentUnit, let actor = engine.session.actor else { throw Missing("unit") }
            return try engine.fire(agreementId: id, event: event, actor: actor, in: unit)
        }
    }

    func start(_ number: String, at state: String? = nil, when now: String) throws {
        let engine = try engine(at: now)
        let id = try id(number)
        try engine.session.unitOfWork {
            guard let unit = engine.session.currentUnit, let actor = engine.session.actor else { throw Missing("unit") }
            try engine.start(agreementId: id, at: state, actor: actor, in: unit)
        }
    }

    /// Runs Lua as `user` at `now` (attachments, edits), as one unit of work.
    func lua(_ source: String, as user: String = "sari", at now: String) throws {
        _ = try engine(as: user, at: now).session.run(source: source, chunkName: "step.lua")
    }

    func state(_ number: String) throws -> String? {
        let id = try id(number)
        return try workspace.database.read { try WorkflowStore().instance(of: id, in: $0)?.state }
    }

    func tick(at now: String) throws -> TickReport { try engine(at: now).tick() }

    func outbox() throws -> [OutboxEntry] { try workspace.database.read { try Outbox().list(status: nil, in: $0) } }
}

@Suite struct ShippedTrackTests {
    @Test func theOfferEscalatesToTheGubernurAfter30And15DaysOfSilence() throws {
        let sample = try SampleWorkspace()
        let number = "CONTOH/009/KSDD/2026"
        try sample.start(number, at: "penawaran_pengiriman", when: "2027-01-11T09:00:00+07:00")
        try sample.fire(number, "penawaran_diterima_mitra", as: "sari", at: "2027-01-18T09:00:00+07:00")
        // Received 18 January: day 30 is 17 February; the second request is due from the 18th.
        #expect(try sample.tick(at: "2027-02-17T23:59:00+07:00").fired.isEmpty)
        #expect(try sample.tick(at: "2027-02-18T00:00:00+07:00").fired.map(\.event) == ["tanpa_tanggapan"])
        #expect(try sample.state(number) == "penawaran_permintaan_kedua")
        try sample.lua("agreements.get('\(number)'):attach{ kind = 'surat_permintaan_tanggapan', number = '415.1', date = date('2027-02-19') }",
                       at: "2027-02-22T09:00:00+07:00")
        try sample.fire(number, "permintaan_kedua_diterima_mitra", as: "sari", at: "2027-02-22T09:00:00+07:00")
        // Received 22 February: day 15 is 9 March; the escalation on the 10th.
        #expect(try sample.tick(at: "2027-03-09T23:59:00+07:00").fired.isEmpty)
        #expect(try sample.outbox().filter { $0.message.to == "role:provinsi" }.isEmpty)
        #expect(try sample.tick(at: "2027-03-10T00:00:00+07:00").fired.map(\.event) == ["tanpa_tanggapan"])
        #expect(try sample.state(number) == "penawaran_eskalasi")
        let notices = try sample.outbox().filter { $0.message.to == "role:provinsi" }
        #expect(notices.count == 1)
        #expect(notices.first?.message.subject.contains(number) == true)
        // The partner may still answer after the escalation.
        #expect(try sample.fire(number, "mitra_menerima", as: "sari", at: "2027-03-15T09:00:00+07:00") == "penyusunan_kb")
    }

    /// Signs the KB of `number` (term recorded) and returns where the track goes next.
    private func signKB(_ sample: SampleWorkspace, _ number: String, burdensThePublic: Bool) throws -> String {
        try sample.start(number, at: "penandatanganan_kb", when: "2027-03-01T09:00:00+07:00")
        try sample.lua("""
            local a = agreements.get('\(number)')
            a:update{ membebani_masyarakat = \(burdensThePublic), belum_dianggarkan = false,
                      starts_on = date('2027-03-22'), ends_on = date('2031-03-21') }
            a:attach{ kind = 'kesepakatan_bersama', number = 'KB/1', date = date('2027-03-22') }
            """, at: "2027-03-22T09:00:00+07:00")
        return try sample.fire(number, "kb_ditandatangani", as: "walikota", at: "2027-03-22T10:00:00+07:00")
    }

    @Test func aKSDPKWithoutTheDPRDTriggerSkipsTheDPRDStep() throws {
        let sample = try SampleWorkspace()
        #expect(try signKB(sample, "CONTOH/006/KSDPK/2026", burdensThePublic: false) == "penyusunan_pks")
        let other = try SampleWorkspace()
        #expect(try signKB(other, "CONTOH/006/KSDPK/2026", burdensThePublic: true) == "persetujuan_dprd")
    }

    @Test func anAddendumThatAddsABurdenGoesBackToTheDPRD() throws {
        let sample = try SampleWorkspace()
        let number = "CONTOH/001/KSDD/2025"
        try sample.start(number, when: "2026-12-01T09:00:00+07:00")
        #expect(try sample.state(number) == "pelaksanaan")
        try sample.fire(number, "addendum_disiapkan", as: "sari", at: "2026-12-02T09:00:00+07:00")
        try sample.lua("agreements.get('\(number)'):attach{ kind = 'addendum', number = 'ADD/1', date = date('2026-12-03') }",
                       at: "2026-12-03T09:00:00+07:00")
        #expect(try sample.fire(number, "addendum_menambah_beban", as: "walikota", at: "2026-12-03T10:00:00+07:00") == "persetujuan_dprd")
        let stage = try sample.workspace.database.read { try sample.workspace.agreements.agreement(idOrNumber: number, in: $0)?.stage }
        #expect(stage == "persetujuan_dprd")
    }

    @Test func everyRoleThatMayNotFireAKSDDEventIsRefusedAndNothingChanges() throws {
        let sample = try SampleWorkspace()
        let definition = try sample.engine(at: "2027-01-04T09:00:00+07:00").catalog.current("ksdd").definition
        let users = sample.workspace.configuration.users.filter { !$0.isAdmin }
        var refusals = 0
        for (index, name) in definition.orderedStateNames.enumerated() {
            guard let state = definition.states[name], !state.isFinal else { continue }
            let number = "UJI/\(index)/KSDD/2027"
            try sample.lua("""
                agreements.create{ number = '\(number)', title = 'Uji peran', kind = 'ksdd', subkind = 'sukarela',
                  lead_agency = 'Bagian Tata Pemerintahan', parties = { { name = 'Pemerintah Kabupaten Probolinggo', kind = 'kabupaten' } },
                  starts_on = date('2027-01-01'), ends_on = date('2031-12-31') }
                """, as: "tester", at: "2027-01-04T09:00:00+07:00")
            try sample.start(number, at: name, when: "2027-01-04T09:00:00+07:00")
            for event in state.eventNames {
                guard let roles = state.events[event]?.roles, !roles.isEmpty else { continue }
                for user in users where !user.roles.contains(where: roles.contains) {
                    #expect(throws: DomainError.permission(
                        "\(user.id) may not fire \(event) in \(name) of \(number) (needs role \(roles.joined(separator: " or ")); "
                        + "\(user.id) has \(user.roles.joined(separator: ", ")))")) {
                        try sample.fire(number, event, as: user.id, at: "2027-01-05T09:00:00+07:00")
                    }
                    #expect(try sample.state(number) == name)
                    refusals += 1
                }
            }
        }
        #expect(refusals > 100)
    }
}
