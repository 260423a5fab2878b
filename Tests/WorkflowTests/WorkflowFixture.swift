import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store
import Workflow

/// A real workspace in a temporary folder with a small workflow (`mini`, for KSDD) whose parts
/// each test can change, and engines on sessions acting as its users at chosen instants.
final class WorkflowFixture {
    let folder: URL
    let workspace: Workspace

    static let users = """
        users {
          { id = "sari", name = "Sari", roles = { "sekretariat", "tkksd" } },
          { id = "pimpinan", name = "Pimpinan DPRD", roles = { "dprd_pimpinan" } },
          { id = "komisi", name = "Komisi I", roles = { "dprd_komisi" } },
        }
        testing = { clock_override = true }
        """

    /// The `mini` track: persiapan → penyusunan_kb → (persetujuan_dprd →) pelaksanaan → pelaporan,
    /// with the DPRD step and its 45-day timer in `workflows/lib/mini_dprd.lua`.
    static let mini = """
        local dprd = require("mini_dprd")
        local states = {
          persiapan = { on = { kak_disetujui = { to = "penyusunan_kb", roles = { "tkksd" }, outcome = "approved" } } },
          penyusunan_kb = { on = { kb_ditandatangani = { to = { "persetujuan_dprd", "pelaksanaan" }, roles = { "sekretariat" },
              route = function(a) return a.needs_dprd_approval and "persetujuan_dprd" or "pelaksanaan" end } } },
          pelaksanaan = { status = "active", on = { selesai = { to = "pelaporan", roles = { "sekretariat" } } },
            on_enter = function(a, ctx) ON_ENTER end },
          pelaporan = { final = true },
        }
        for k, v in pairs(dprd.states("pelaksanaan")) do states[k] = v end
        return { name = "mini", title = "Mini", applies_to = { kind = "ksdd" }, initial = "persiapan", states = states }
        """

    static let dprdLibrary = """
        local M = {}
        function M.states(next_state)
          return {
            persetujuan_dprd = {
              on = {
                disetujui = { to = next_state, roles = { "dprd_pimpinan" }, outcome = "approved" },
                ditolak = { to = "penyusunan_kb", roles = { "dprd_pimpinan" }, outcome = "rejected" },
                dianggap_disetujui = { to = next_state, outcome = "deemed_approved" },
              },
              on_enter = function(a, ctx)
                ctx.timer{ name = "dprd_45", days = 45, from = ctx.today, fire = "dianggap_disetujui" }
              end,
              on_exit = function(a, ctx) ctx.cancel("dprd_45") end,
            },
          }
        end
        return M
        """

    init(onEnter: String = "", configuration extra: String = "") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-workflow-\(UUID().uuidString)")
        try WorkspaceInitializer.create(at: folder, admin: "tester", login: "tester", sample: false)
        // The shipped tracks (workflows/ksdd.lua, …) apply to a KSDD too: the fixture's agreements
        // run on `mini` alone.
        for path in ShippedFiles.files.keys where path.hasPrefix("workflows/") && !path.hasPrefix("workflows/lib/") {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(path))
        }
        let configuration = folder.appendingPathComponent("sinergi.lua")
        try (try String(contentsOf: configuration, encoding: .utf8) + "\n" + WorkflowFixture.users + "\n" + extra)
            .write(to: configuration, atomically: true, encoding: .utf8)
        try WorkflowFixture.write(folder, "workflows/lib/mini_dprd.lua", WorkflowFixture.dprdLibrary)
        try WorkflowFixture.write(folder, "workflows/mini.lua", WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: onEnter))
        workspace = try Workspace(root: folder, loadedBy: "tester")
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func write(_ path: String, _ text: String) throws { try WorkflowFixture.write(folder, path, text) }

    static func write(_ folder: URL, _ path: String, _ text: String) throws {
        let file = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// An engine on a session acting as `user` at `now` (ISO 8601, Jakarta time by default).
    func engine(as user: String = "tester", at now: String = "2027-03-01T09:00:00+07:00",
                limits: LuaLimits? = nil) throws -> WorkflowEngine {
        let actor = try workspace.actingUser(requested: user, osLogin: "tester")
        guard let instant = ISO8601DateFormatter().date(from: now) else { throw Missing(now) }
        let session = try ScriptSession(workspace: workspace, actor: actor, clock: FixedClock(instant), limits: limits,
                                        output: { _ in }, log: { _, _ in })
        return WorkflowEngine(workspace: workspace, session: session)
    }

    /// Creates a KSDD agreement (stage persiapan) and returns its id.
    func agreement(number: String = "T/1/2027", needsDPRD: Bool = false) throws -> Int64 {
        let session = try engine().session
        _ = try session.eval("""
            agreements.create{ number = "\(number)", title = "Uji", kind = "ksdd", subkind = "sukarela", lead_agency = "Bagian Pemerintahan",
              parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } },
              membebani_masyarakat = \(needsDPRD), starts_on = date("2027-01-01"), ends_on = date("2029-12-31") }
            """)
        return try workspace.database.read { try workspace.agreements.agreement(idOrNumber: number, in: $0)?.id } ?? 0
    }

    /// Runs `body` in one write unit of the engine's session (as the CLI does).
    @discardableResult
    func write<T>(_ engine: WorkflowEngine, _ body: (StoreUnit) throws -> T) throws -> T {
        try engine.session.unitOfWork {
            guard let unit = engine.session.currentUnit else { throw Missing("unit") }
            return try body(unit)
        }
    }

    func instance(_ id: Int64) throws -> WorkflowInstanceRecord? {
        try workspace.database.read { try WorkflowStore().instance(of: id, in: $0) }
    }

    func history(_ id: Int64) throws -> [WorkflowHistoryRecord] {
        try workspace.database.read { try WorkflowStore().history(of: id, in: $0) }
    }

    func stage(_ id: Int64) throws -> String? {
        try workspace.database.read { try workspace.agreements.agreement(id: id, in: $0)?.stage }
    }
}

struct Missing: Error {
    let what: String
    init(_ what: String) { self.what = what }
}
