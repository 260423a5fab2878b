import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store
import Workflow

/// `sinergi bench workflow`: (a) one transition per transaction — role check, Lua guard and
/// actions, state, task, timer, history and audit rows, outbox row — against a raw one-row
/// insert, both synchronous=FULL; (b) a tick firing many due timers in batches committed
/// together (a savepoint per transition), one Lua state reused.
public enum WorkflowBenchmark {
    public struct Result: Sendable {
        public var transitions: Int
        public var transitionsPerSecond: Double
        public var timers: Int
        public var tickTransitionsPerSecond: Double
        /// CPU time (user + system) the tick used per transition: what a loaded machine's wall
        /// clock hides.
        public var tickCPUMicroseconds: Double
        public var rawInsertPerSecond: Double
        public var transitionRatio: Double { transitionsPerSecond / rawInsertPerSecond }
        public var tickRatio: Double { tickTransitionsPerSecond / rawInsertPerSecond }
    }

    /// Two states that hand an agreement back and forth: every transition runs a guard, an
    /// exit and an entry action that sets a named timer and queues a notification.
    static let definition = """
        local function enter(a, ctx)
          ctx.timer{ name = "balik", days = 1, fire = "go" }
          ctx.notify{ to = "role:sekretariat", subject = "Tahap " .. ctx.to, body = a.number .. " masuk " .. ctx.to,
                      key = "bench:" .. a.id .. ":" .. ctx.to .. ":" .. ctx.now }
        end
        local function guard(a, ctx) return a.kind == "ksdpk", "bukan ksdpk" end
        return {
          name = "bench", title = "Bench", applies_to = { kind = "ksdpk" }, initial = "pelaksanaan",
          states = {
            pelaksanaan = { on = { go = { to = "penatausahaan", roles = { "sekretariat" }, guard = guard } },
                            on_enter = enter, on_exit = function(a, ctx) end },
            penatausahaan = { on = { go = { to = "pelaksanaan", roles = { "sekretariat" }, guard = guard } },
                              on_enter = enter, on_exit = function(a, ctx) end },
          },
        }
        """

    public static func run(transitions: Int = 300, timers: Int = 10_000, folder: URL) throws -> Result {
        let workspace = try WorkspaceInitializer.create(at: folder, admin: "bench", login: "bench", sample: false)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("workflows"), withIntermediateDirectories: true)
        try definition.write(to: folder.appendingPathComponent("workflows/bench.lua"), atomically: true, encoding: .utf8)
        let admin = try workspace.actingUser(requested: nil, osLogin: "bench")
        var clock = FixedClock(Date(timeIntervalSince1970: 1_798_761_600))  // 2027-01-01
        func engine() throws -> WorkflowEngine {
            let session = try ScriptSession(workspace: workspace, actor: admin, clock: clock, limits: workspace.configuration.workflows.limits,
                                            output: { _ in }, log: { _, _ in })
            // Armed around every transition as in `sinergi scheduler timers` (whose watchdog exits).
            session.watchdog = LuaWatchdog {}
            return WorkflowEngine(workspace: workspace, session: session)
        }
        let setup = try engine()
        try workspace.database.group { group in
            for index in 0..<max(transitions, timers) {
                try group.unit { unit in
                    let agreement = Agreement(number: "WF/\(index)", title: "Bench \(index)", kind: .ksdpk, leadAgency: "Dinas Contoh",
                                              parties: [Party(name: "Mitra", kind: .badan_usaha)], stage: "pelaksanaan")
                    let stored = try workspace.agreements.create(agreement, by: admin, at: "2027-01-01T07:00:00+07:00", in: unit)
                    try setup.session.within(unit) {
                        _ = try setup.start(agreementId: stored.id ?? 0, workflow: "bench", actor: admin, in: unit)
                    }
                }
            }
            try group.commit()
        }
        let raw = try workspace.database.benchmarkRawInserts(transitions)

        let firing = try engine()
        var start = Date()
        for index in 0..<transitions {
            try firing.session.unitOfWork {
                guard let unit = firing.session.currentUnit else { return }
                try firing.fire(agreementId: Int64(index + 1), event: "go", actor: admin, in: unit)
            }
        }
        let perSecond = Double(transitions) / Date().timeIntervalSince(start)

        clock = FixedClock(Date(timeIntervalSince1970: 1_798_761_600 + 3 * 86_400))
        let ticking = try engine()
        start = Date()
        let cpuBefore = cpuSeconds()
        let report = try ticking.tick(batchSize: 1000)
        let tickCPU = cpuSeconds() - cpuBefore
        let tickSeconds = Date().timeIntervalSince(start)
        guard report.failed.isEmpty, report.fired.count >= timers else {
            throw DomainError.validation("bench workflow: the tick fired \(report.fired.count) of \(timers) timers "
                                         + "(\(report.failed.first?.detail ?? "none failed"))")
        }
        return Result(transitions: transitions, transitionsPerSecond: perSecond, timers: report.fired.count,
                      tickTransitionsPerSecond: Double(report.fired.count) / tickSeconds,
                      tickCPUMicroseconds: tickCPU / Double(max(report.fired.count, 1)) * 1e6, rawInsertPerSecond: raw)
    }

    /// User + system CPU seconds this process has used.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
