// Scheduler: the job loop. Jobs of sinergi.lua and workflow timers, due fires, the misfire and
// overlap policies, claims under leases, child processes with deadlines, an injected Clock.
// May import: Cron, Store, Agreements, Foundation. Knows no Lua: a fire is run by a
// `FireHandler` (the CLI's runs a child `sinergi scheduler fire`), a timer source is a
// `DueWorkSource`.
import Agreements
import Cron
import Foundation

/// One `schedule{…}` of sinergi.lua, checked: what to run, when, and what to do after downtime
/// or while the previous fire still runs.
///
///     schedule { name = "pengingat", cron = "0 8 * * 1-5", run = "scripts/pengingat.lua",
///                args = { "30" }, misfire = "once", overlap = "skip", timeout = "2m", as = "sari" }
public struct ScheduledJob: Sendable, Equatable {
    /// What to do with fires missed while no scheduler ran (downtime longer than the grace).
    public enum Misfire: String, Sendable, CaseIterable {
        /// No catch-up: the missed fires are recorded skipped; the job runs at its next instant.
        case skip
        /// One fire stands for all the missed ones (the default: a day down loses nothing, and
        /// nothing runs thirty times).
        case once
        /// Every missed instant runs, oldest first — at most `Scheduler.Settings.catchUpLimit`.
        case all
    }

    /// What to do when a fire comes due while the job's previous fire still runs.
    public enum Overlap: String, Sendable, CaseIterable {
        /// The new fire is recorded skipped (the default).
        case skip
        /// The new fire waits and runs when the previous one has finished.
        case queue
    }

    public var name: String
    public var cron: CronExpression
    /// The script, relative to the workspace (`scripts/x.lua`).
    public var run: String
    public var arguments: [String]
    public var misfire: Misfire
    public var overlap: Overlap
    /// The job's time budget in seconds; nil: the workspace's `limits.timeout`.
    public var timeout: TimeInterval?
    /// `as = USER`: the user the job acts as; nil: the workspace's system actor.
    public var actor: String?

    public init(name: String, cron: CronExpression, run: String, arguments: [String] = [], misfire: Misfire = .once,
                overlap: Overlap = .skip, timeout: TimeInterval? = nil, actor: String? = nil) {
        self.name = name
        self.cron = cron
        self.run = run
        self.arguments = arguments
        self.misfire = misfire
        self.overlap = overlap
        self.timeout = timeout
        self.actor = actor
    }

    /// The keys `schedule{…}` accepts; any other is refused (a typo would otherwise be ignored).
    public static let keys = ["name", "cron", "run", "args", "misfire", "overlap", "timeout", "as"]

    /// Checks one `schedule{…}` declaration: `fields` are its text values, `arguments` its
    /// `args = {…}` list. `parseDuration` reads `timeout` (the workspace's duration syntax, so
    /// there is one). Errors name the job and say what to write instead.
    public static func parse(fields: [String: String], arguments: [String],
                             parseDuration: (String) -> TimeInterval?) throws -> ScheduledJob {
        let name = fields["name"] ?? ""
        func invalid(_ message: String) -> DomainError { .validation("schedule \"\(name)\": \(message)") }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0) }) else {
            throw DomainError.validation("schedule: name \"\(name)\" must be letters, digits, '_', '-' or '.' (it names the job in `sinergi scheduler list`)")
        }
        if let unknown = fields.keys.sorted().first(where: { !keys.contains($0) }) {
            throw invalid("unknown field '\(unknown)' (fields: \(keys.joined(separator: ", ")))")
        }
        guard let cronText = fields["cron"] else { throw invalid("needs cron = \"…\" (e.g. \"0 8 * * 1-5\")") }
        let cron: CronExpression
        do { cron = try CronExpression(cronText) } catch { throw invalid("cron \"\(cronText)\": \(error)") }
        guard let run = fields["run"], run.hasSuffix(".lua"), !run.hasPrefix("/"),
              !run.pathParts().contains("..") else {
            throw invalid("run = \"\(fields["run"] ?? "")\" must be a .lua file inside the workspace, e.g. \"scripts/pengingat.lua\"")
        }
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, default value: T) throws -> T where T.RawValue == String {
            guard let text = fields[key] else { return value }
            guard let parsed = T(rawValue: text) else {
                throw invalid("\(key) = \"\(text)\" is not one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            return parsed
        }
        var timeout: TimeInterval?
        if let text = fields["timeout"] {
            guard let seconds = parseDuration(text) else { throw invalid("timeout = \"\(text)\" is not a duration (500ms, 2s, 5m, 1h)") }
            timeout = seconds
        }
        if let actor = fields["as"], actor.isEmpty { throw invalid("as = \"\" names no user") }
        return ScheduledJob(name: name, cron: cron, run: run, arguments: arguments,
                            misfire: try choice("misfire", default: Misfire.once),
                            overlap: try choice("overlap", default: Overlap.skip), timeout: timeout, actor: fields["as"])
    }

    /// Checks a whole configuration's jobs: each one, and no name twice.
    public static func parseAll(_ declarations: [(fields: [String: String], arguments: [String])],
                                parseDuration: (String) -> TimeInterval?) throws -> [ScheduledJob] {
        var seen: Set<String> = []
        return try declarations.map { declaration in
            let job = try parse(fields: declaration.fields, arguments: declaration.arguments, parseDuration: parseDuration)
            guard seen.insert(job.name).inserted else {
                throw DomainError.validation("schedule \"\(job.name)\": the name is declared twice; each job needs its own name")
            }
            return job
        }
    }
}
