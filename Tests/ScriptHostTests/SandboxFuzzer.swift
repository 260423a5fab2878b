import Agreements
import Foundation
import GRDB
import LuaKit
import Store
@testable import ScriptHost

/// Throws generated programs at script sessions on a real workspace (with the sample data) and
/// checks, for each: no crash or hang (FuzzCrashGuard), an outcome that is success or a contract
/// class, the database unchanged when the run failed or was not to commit, the host's peak memory
/// within a step, a stop near the deadline, and a session that still runs a normal script with
/// the built-in libraries as they were.
///
/// Sessions are reused for a few programs (as the REPL reuses its state), then replaced; some are
/// read-only. All randomness comes from the seed, so a run can be repeated.
final class SandboxFuzzer {
    let settings: FuzzSettings
    private let fixture: ScriptHostFixture
    private var random: FuzzRandom
    private(set) var counts: [FuzzOutcome: Int] = [:]
    private(set) var findings: [FuzzFinding] = []
    private(set) var ran = 0
    /// The longest program (index, seconds), checks included.
    private(set) var slowest: (index: Int, seconds: Double) = (0, 0)

    private var session: ScriptSession?
    private var sessionBaseline = ""
    private var sessionMemory = 0
    private var sessionRemaining = 0
    private var sessionReadOnly = false

    /// What the normal script returns besides the fingerprint: `#t`, then checks of a few built-ins.
    static let normalScript = """
        local t = {} for i = 1, 100 do t[i] = i end
        local lines = {}
        for _, lib in ipairs{ 'string', 'table', 'math', 'utf8', 'coroutine', 'os', '_G' } do
          local keys = {}
          -- _G's own values (_G, load, require, module tables) are made anew per environment: names only.
          for k, v in pairs(_G[lib]) do keys[#keys + 1] = tostring(k) .. (lib == '_G' and '' or '=' .. tostring(v)) end
          table.sort(keys)
          lines[#lines + 1] = lib .. ':' .. table.concat(keys, ',')
        end
        local co = coroutine.wrap(function() coroutine.yield(('abc'):upper()) end)
        return #t, agreements.count{}, table.concat(lines, ';'), co(), string.format('%d', 7), (('a,b'):gsub(',', ';'))
        """

    init(settings: FuzzSettings) throws {
        self.settings = settings
        fixture = try ScriptHostFixture(sample: true)
        random = FuzzRandom(seed: settings.seed ^ 0x5EED ^ UInt64(settings.start))
    }

    /// Runs the programs; returns when done, or when the time budget is spent.
    func run(guard crashGuard: FuzzCrashGuard) throws {
        let started = Date()
        for index in settings.start..<(settings.start + settings.programs) {
            if let budget = settings.timeBudget, Date().timeIntervalSince(started) > budget { break }
            let source = LuaProgramGenerator.program(seed: settings.seed, index: index, avoid: settings.avoid)
            let reproduction = settings.reproduction(of: index)
            crashGuard.begin(index, report: "  reproduce: \(reproduction)\n--- program \(index) ---\n\(source)\n--- end ---")
            let findingsBefore = findings.count
            let programStarted = DispatchTime.now().uptimeNanoseconds
            let outcome = try runOne(index: index, source: source, reproduction: reproduction)
            let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - programStarted) / 1_000_000)
            if Double(milliseconds) / 1000 > slowest.seconds { slowest = (index, Double(milliseconds) / 1000) }
            counts[outcome, default: 0] += 1
            ran += 1
            let kinds = findings[findingsBefore...].map(\.kind).joined(separator: ",")
            crashGuard.end(index, outcome: "\(outcome.rawValue) \(milliseconds)ms" + (kinds.isEmpty ? "" : " " + kinds))
            if settings.printPrograms { print("--- program \(index) → \(outcome.rawValue) ---\n\(source)") }
        }
    }

    private func runOne(index: Int, source: String, reproduction: String) throws -> FuzzOutcome {
        func finding(_ kind: String, _ detail: String) {
            let found = FuzzFinding(index: index, kind: kind, detail: detail, source: source, reproduction: reproduction)
            findings.append(found)
            print(found)   // now, so a later crash of the process does not lose it
        }
        let session = try currentSession()
        let dryRun = sessionReadOnly || random.chance(60)
        let digestBefore = try DatabaseDigest.of(fixture.workspace)
        let peakBefore = HostMemory.current().peak
        let started = DispatchTime.now().uptimeNanoseconds
        var outcome = FuzzOutcome.ok
        do {
            _ = try session.run(source: source, chunkName: "fuzz.lua", dryRun: dryRun)
        } catch {
            let (errorClass, why) = FuzzOutcome.classify(error)
            outcome = errorClass
            if let why { finding("unexpected-error", why) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let budget = settings.limits.timeout ?? 0
        if seconds > budget + settings.slowSeconds {
            finding("late-stop", String(format: "the run took %.2f s with a %.2f s budget (outcome %@)", seconds, budget, outcome.rawValue))
        }
        if outcome != .ok || dryRun, try DatabaseDigest.of(fixture.workspace) != digestBefore {
            finding("database-changed", "the database changed after a run that \(outcome == .ok ? "was not to commit" : "failed (\(outcome.rawValue))")")
        }
        let peakAfter = HostMemory.current().peak
        if peakAfter - peakBefore > settings.hostMemoryStep {
            finding("host-memory", "the process's peak RSS grew by \((peakAfter - peakBefore) >> 20) MB during the run")
        }
        if let (kind, problem) = checkSessionStillWorks(session) {
            finding(kind, problem)
            self.session = nil
        }
        return outcome
    }

    /// The session in use, or a fresh one (with its baseline fingerprint) when it is due.
    private func currentSession() throws -> ScriptSession {
        if let session, sessionRemaining > 0 {
            sessionRemaining -= 1
            return session
        }
        sessionReadOnly = random.chance(15)
        let user = try fixture.workspace.actingUser(requested: nil, osLogin: "tester")
        let clock = FixedClock(try require_(ISO8601DateFormatter().date(from: "2026-11-30T01:00:00Z")))
        let fresh = try ScriptSession(workspace: fixture.workspace, actor: user, clock: clock, readOnly: sessionReadOnly,
                                      limits: settings.limits, output: { _ in }, log: { _, _ in })
        let results = try fresh.run(source: Self.normalScript, chunkName: "normal.lua", dryRun: true)
        sessionBaseline = results.count > 2 ? results[2].stringValue ?? "" : ""
        fresh.sandbox.state.collectGarbage()
        sessionMemory = fresh.sandbox.state.memoryInUse
        sessionRemaining = random.range(0...11)
        session = fresh
        return fresh
    }

    /// Runs the normal script on `session`; what is wrong (a finding kind and a description), or nil.
    private func checkSessionStillWorks(_ session: ScriptSession) -> (String, String)? {
        let results: [LuaValue]
        do {
            results = try session.run(source: Self.normalScript, chunkName: "normal.lua", dryRun: true)
        } catch let error as LuaError {
            if case .memory = error {
                return ("memory-after-run", "a normal script (well under the cap) fails afterwards with: \(error)")
            }
            return ("normal-script-fails", "a normal script fails afterwards: \(error)")
        } catch {
            return ("normal-script-fails", "a normal script fails afterwards: \(error)")
        }
        let count = (try? fixture.workspace.database.read { try fixture.workspace.agreements.count(AgreementFilter(), in: $0) }) ?? -1
        guard results.count == 6, results[0] == .integer(100), results[1] == .integer(Int64(count)) else {
            return ("normal-script-fails", "a normal script returns \(results.map { $0.stringValue ?? "\($0)" }) afterwards (expected 100, \(count), …)")
        }
        if results[2].stringValue != sessionBaseline {
            return ("library-changed", "the built-in libraries changed for later runs of the same state: "
                    + Self.difference(sessionBaseline, results[2].stringValue ?? ""))
        }
        if Array(results[3...]) != [.text("ABC"), .text("7"), .text("a;b")] {
            return ("builtins-misbehave", "built-ins misbehave afterwards: \(results[3...].map { $0.stringValue ?? "\($0)" })")
        }
        session.sandbox.state.collectGarbage()
        let kept = session.sandbox.state.memoryInUse - sessionMemory
        if kept > 8 << 20 { return ("lua-memory-kept", "the state keeps \(kept >> 20) MB more than when it was new, after a full collection") }
        return nil
    }

    /// The entries of two fingerprints that differ (first few).
    static func difference(_ before: String, _ after: String) -> String {
        let old = Set(before.split(whereSeparator: { $0 == "," || $0 == ";" }))
        let new = Set(after.split(whereSeparator: { $0 == "," || $0 == ";" }))
        let gone = old.subtracting(new).sorted().prefix(5).joined(separator: " ")
        let added = new.subtracting(old).sorted().prefix(5).joined(separator: " ")
        return "gone: [\(gone)] new: [\(added)]"
    }

    /// One line per class, in a fixed order: `ok 80, runtime 61, …`.
    var summary: String {
        let parts = FuzzOutcome.allCases.map { "\($0.rawValue) \(counts[$0, default: 0])" }
        let kinds = Dictionary(grouping: findings, by: \.kind).map { "\($0.key) \($0.value.count)" }.sorted()
        return "fuzz: seed \(settings.seed), programs \(settings.start)..<\(settings.start + ran) ran \(ran): "
            + parts.joined(separator: ", ") + "; findings \(findings.count)" + (kinds.isEmpty ? "" : " (" + kinds.joined(separator: ", ") + ")")
            + String(format: "; slowest program %d (%.2f s)", slowest.index, slowest.seconds)
    }
}
