import Agreements
import Foundation
import GRDB
import LuaKit
@testable import ScriptHost

/// What a fuzz run does, read from the environment so `make fuzz` can ask for more than the
/// small fixed run of `make test`.
///
/// `SINERGI_FUZZ_PROGRAMS` (200), `SINERGI_FUZZ_SEED` (decimal or 0x…), `SINERGI_FUZZ_START` (the
/// first program index), `SINERGI_FUZZ_AVOID` (feature names, comma-separated),
/// `SINERGI_FUZZ_SECONDS` (stop starting programs after this long), `SINERGI_FUZZ_HANG_SECONDS`
/// (10: a program still running after this is a hang and ends the process),
/// `SINERGI_FUZZ_SLOW_SECONDS` (2: a run returning this long after its deadline is a finding),
/// `SINERGI_FUZZ_PROGRESS` (a file that gets `begin I` / `end I CLASS` lines, for tools/fuzz.sh),
/// `SINERGI_FUZZ_PRINT=1` (print every program and its outcome), `SINERGI_FUZZ_LIST=1` (print the
/// programs without running them).
struct FuzzSettings {
    var seed: UInt64 = 20_261_130
    var start = 0
    var programs = 200
    var avoid: Set<LuaProgramGenerator.Feature> = []
    var unknownAvoid: [String] = []
    /// Short per-program limits keep the fixed run well under a minute.
    var limits = LuaLimits(timeout: 0.2, memory: 16 << 20)
    var hangSeconds = 10.0
    var slowSeconds = 2.0
    /// How much the process's peak RSS may grow during one program.
    var hostMemoryStep = 256 << 20
    var timeBudget: Double?
    var progressPath: String?
    var printPrograms = false
    var listOnly = false

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> FuzzSettings {
        var settings = FuzzSettings()
        func number(_ name: String) -> Double? { environment[name].flatMap(Double.init) }
        if let text = environment["SINERGI_FUZZ_SEED"] {
            settings.seed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) ?? settings.seed : UInt64(text) ?? settings.seed
        }
        if let value = number("SINERGI_FUZZ_START") { settings.start = max(0, Int(value)) }
        if let value = number("SINERGI_FUZZ_PROGRAMS") { settings.programs = max(0, Int(value)) }
        for name in (environment["SINERGI_FUZZ_AVOID"] ?? "").split(separator: ",") {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if let feature = LuaProgramGenerator.Feature(rawValue: trimmed) { settings.avoid.insert(feature) } else { settings.unknownAvoid.append(trimmed) }
        }
        if let value = number("SINERGI_FUZZ_SECONDS"), value > 0 { settings.timeBudget = value }
        if let value = number("SINERGI_FUZZ_HANG_SECONDS"), value > 0 { settings.hangSeconds = value }
        if let value = number("SINERGI_FUZZ_SLOW_SECONDS"), value > 0 { settings.slowSeconds = value }
        settings.progressPath = environment["SINERGI_FUZZ_PROGRESS"].flatMap { $0.isEmpty ? nil : $0 }
        settings.printPrograms = environment["SINERGI_FUZZ_PRINT"] == "1"
        settings.listOnly = environment["SINERGI_FUZZ_LIST"] == "1"
        return settings
    }

    /// The environment that regenerates program `index` alone.
    func reproduction(of index: Int) -> String {
        let avoided = avoid.isEmpty ? "" : " SINERGI_FUZZ_AVOID=" + avoid.map(\.rawValue).sorted().joined(separator: ",")
        return "SINERGI_FUZZ_SEED=\(seed) SINERGI_FUZZ_START=\(index) SINERGI_FUZZ_PROGRAMS=1\(avoided) SINERGI_FUZZ_PRINT=1 make fuzz"
    }
}

/// How a program ended: success or one of the contract's error classes (DESIGN.md, "Errors and
/// exit codes"); `unexpected` is anything else, and is a finding.
enum FuzzOutcome: String, CaseIterable {
    case ok, runtime, syntax, timeout, memory, forbidden, permission, validation, notFound = "not-found", unexpected

    /// The class of `error` as the CLI would report it, or `unexpected` with the reason.
    static func classify(_ error: any Error) -> (FuzzOutcome, String?) {
        switch error {
        case let error as LuaError:
            switch error {
            case .syntax: return (.syntax, nil)
            case .runtime, .badArgument: return (.runtime, nil)
            case .timeout: return (.timeout, nil)
            case .memory: return (.memory, nil)
            case .forbidden: return (.forbidden, nil)
            case .interrupted: return (.unexpected, "interrupted, though nothing interrupted the run: \(error)")
            case let .callback(host, _): return classify(host.error)
            }
        case let error as DomainError:
            switch error {
            case .validation: return (.validation, nil)
            case .permission: return (.permission, nil)
            case .notFound: return (.notFound, nil)
            }
        case is DatabaseError:
            return (.runtime, nil)   // reported as `error[runtime]: database: …`
        default:
            return (.unexpected, "\(type(of: error)): \(error)")
        }
    }
}

/// Something a program did that it must not: the fuzz run's output.
struct FuzzFinding: CustomStringConvertible {
    let index: Int
    let kind: String
    let detail: String
    let source: String
    let reproduction: String

    var description: String {
        "fuzz finding [\(kind)] in program \(index): \(detail)\n  reproduce: \(reproduction)\n--- program \(index) ---\n\(source)\n--- end ---"
    }
}

/// Reads the process's memory from /proc/self/status (Linux): resident and peak resident, in bytes.
enum HostMemory {
    static func current() -> (resident: Int, peak: Int) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            let digits = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "0"
            return (Int(digits) ?? 0) * 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }
}

/// A digest of every table of the workspace database: equal digests, same data.
enum DatabaseDigest {
    static func of(_ workspace: Workspace) throws -> UInt64 {
        try DatabaseQueue(path: workspace.database.path).read { db in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            func mix(_ text: String) {
                for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
                hash = (hash ^ 0xFF) &* 0x100_0000_01B3
            }
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables {
                mix(table)
                let escaped = table.replacingOccurrences(of: "\"", with: "\"\"")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(escaped)\"").map(\.description).sorted() { mix(row) }
            }
            return hash
        }
    }
}
