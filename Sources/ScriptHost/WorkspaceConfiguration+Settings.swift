import Agreements
import Foundation
import LuaKit

/// The settings `sinergi.lua` assigns (`timezone`, `limits`, `rules`, `testing`, `database`,
/// `notifications`, `workflows`), checked strictly and refused at the line that assigns them.
///
/// The file is written by an administrator the other users trust to set their limits: a value
/// of the wrong type (`limits = { timeout = 5 }`, `kb_max_years = 4.0`, a function), a name that
/// is not a setting (`limits = { timout = "1s" }`) or a number out of range was silently left
/// out, so the workspace ran on defaults its administrator believed changed. Every such value is
/// now `error[validation]` naming the file and line, like an unknown role in `users{…}`.
extension WorkspaceConfiguration {
    mutating func apply(_ settings: LuaTable, from source: ConfigurationSource) throws {
        try source.located("timezone") {
            switch settings["timezone"] {
            case .nil: break
            case let .string(bytes):
                let zone = String(decoding: bytes, as: UTF8.self)
                guard let timeZone = TimeZone(identifier: zone) else {
                    throw source.invalid("timezone '\(TerminalText.line(zone))' is not a time zone name (e.g. Asia/Jakarta)")
                }
                self.timeZone = timeZone
            case let other: throw source.invalid("timezone is a time zone name such as \"Asia/Jakarta\", not a \(other.typeName)")
            }
        }
        try source.located("limits") {
            guard let limits = try source.table(settings["limits"], "limits", fields: ["timeout", "memory"]) else { return }
            if let text = try source.text(limits["timeout"], "limits.timeout") {
                guard let seconds = LuaLimits.parseDuration(text) else {
                    throw source.invalid("limits.timeout '\(TerminalText.line(text))' is not a duration from 1ms to 7 days (500ms, 2s, 5m, 1h)")
                }
                self.limits.timeout = seconds
            }
            if let text = try source.text(limits["memory"], "limits.memory") {
                guard let bytes = LuaLimits.parseSize(text) else {
                    throw source.invalid("limits.memory '\(TerminalText.line(text))' is not a size from 1KB to 1024GB (64KB, 64MB, 1GB)")
                }
                self.limits.memory = bytes
            }
        }
        try source.located("rules") {
            let names = ["kb_max_years", "pks_max_years", "pks_within_kb", "university_as_sinergi"]
            guard let rules = try source.table(settings["rules"], "rules", fields: names) else { return }
            // The Kesepakatan Bersama's five years are law (Permendagri 22/2020 Pasal 9(3), 32(3)):
            // kb_max_years may shorten them, never lengthen them; the others are UNCONFIRMED choices.
            if let years = try source.wholeNumber(rules["kb_max_years"], "rules.kb_max_years") {
                try self.rules.limitTerm(toYears: Int(clamping: years))
            }
            if let years = try source.wholeNumber(rules["pks_max_years"], "rules.pks_max_years") {
                guard (1...100).contains(years) else {
                    throw source.invalid("rules.pks_max_years: \(years) is not a term; give a number of years from 1 to 100")
                }
                self.rules.pksMaxYears = Int(years)
            }
            if let flag = try source.flag(rules["pks_within_kb"], "rules.pks_within_kb") { self.rules.pksWithinKb = flag }
            if let flag = try source.flag(rules["university_as_sinergi"], "rules.university_as_sinergi") { self.rules.universityAsSinergi = flag }
        }
        try source.located("testing") {
            guard let testing = try source.table(settings["testing"], "testing", fields: ["clock_override"]) else { return }
            if let flag = try source.flag(testing["clock_override"], "testing.clock_override") { clockOverride = flag }
        }
        try source.located("database") {
            if let path = try source.text(settings["database"], "database") { database = path }
        }
        try source.located("notifications") {
            if let table = try source.table(settings["notifications"], "notifications", fields: nil) {
                try applyNotifications(table, file: source.name)
            }
            try requireLeaseOutlastingSends(file: source.name)
        }
        try source.located("workflows") {
            if let table = try source.table(settings["workflows"], "workflows", fields: nil) {
                workflows = try WorkflowSettings(table, file: source.name)
            }
        }
    }
}

/// `sinergi.lua` as read: its path, for messages, and the lines that assign each setting.
struct ConfigurationSource {
    let path: String
    /// The file's bytes, split into lines only when a message needs one: every command loads the
    /// file, and splitting it by Character was 7 % of a cold `eval`'s instructions.
    private let bytes: [UInt8]

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    private var lines: [Substring] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The file's name, which messages without a line start with.
    var name: String { path.split(separator: "/").last.map(String.init) ?? path }

    /// The line of the last `NAME =`, `NAME.field =` or `NAME[key] =` at the start of a line: how
    /// the file assigns settings, and the last assignment is the value that counts. (One assigned
    /// another way — `_G[NAME]`, `rawset` — may be named by an earlier plain assignment, or only
    /// by the file.)
    func line(assigning name: String) -> Int? {
        for (index, line) in lines.enumerated().reversed() {
            let text = line.drop { $0 == " " || $0 == "\t" }
            guard text.hasPrefix(name), let next = text.dropFirst(name.count).first, " \t=.[".contains(next),
                  let equals = text.firstIndex(of: "=") else { continue }
            if !text[text.index(after: equals)...].hasPrefix("=") { return index + 1 }
        }
        return nil
    }

    /// A message for a value of the setting being checked (located by `located`).
    func invalid(_ message: String) -> DomainError { .validation("\(name): \(message)") }

    /// Runs `body`, and gives what it refuses the line that assigns `setting`.
    func located(_ setting: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let DomainError.validation(message) {
            guard let line = line(assigning: setting) else { throw DomainError.validation(message) }
            let plain = message.hasPrefix("\(name): ") ? String(message.dropFirst(name.count + 2)) : message
            throw LuaError.callback(HostError(DomainError.validation(plain), message: plain), location: LuaLocation(chunk: path, line: line))
        }
    }

    /// A table setting, or nil when absent; `fields` (when given) are the names it may hold.
    func table(_ value: LuaValue, _ setting: String, fields: [String]?) throws -> LuaTable? {
        switch value {
        case .nil: return nil
        case let .table(table):
            if let fields {
                for (key, _) in table.pairs where !fields.contains(key.stringValue ?? "") {
                    throw invalid("\(setting): \(TerminalText.line(LuaFieldValue.describe(key))) is not a setting (\(fields.joined(separator: ", ")))")
                }
            }
            return table
        case let other: throw invalid("\(setting) is a table { … }, not a \(other.typeName)")
        }
    }

    /// A text setting (`"5s"`), or nil when absent.
    func text(_ value: LuaValue, _ setting: String) throws -> String? {
        switch value {
        case .nil: return nil
        case let .string(bytes): return String(decoding: bytes, as: UTF8.self)
        case let other: throw invalid("\(setting) is text such as \"5s\" or \"64MB\", not a \(other.typeName)")
        }
    }

    /// A whole-number setting, or nil when absent.
    func wholeNumber(_ value: LuaValue, _ setting: String) throws -> Int64? {
        switch value {
        case .nil: return nil
        case let .integer(number): return number
        case let other: throw invalid("\(setting) is a whole number of years (such as 5), not \(LuaFieldValue.describe(other))")
        }
    }

    /// A true/false setting, or nil when absent.
    func flag(_ value: LuaValue, _ setting: String) throws -> Bool? {
        switch value {
        case .nil: return nil
        case let .boolean(flag): return flag
        case let other: throw invalid("\(setting) is true or false, not \(LuaFieldValue.describe(other))")
        }
    }
}
