import Agreements
import Foundation
import Notify

/// The part of `sinergi.lua` that grants power — who is who, with which roles, under which rules
/// — in a canonical form, and what changed between two of them.
///
/// Channels are in: a changed webhook or command decides where every notification's text goes.
/// Names, contacts, holidays and comments are left out: changing them grants nothing, and
/// auditing them would bury the events that matter. `clock_override` is in, because it lets a
/// command date its changes at will. Users are sorted by id and roles by name, so the same grants
/// written in another order compare equal.
///
///     {"rules":{"clock_override":false,"kb_max_years":5,…},"users":[{"id":"root","login":"root","roles":["admin"]}]}
struct ConfigurationSummary: Codable, Equatable {
    struct Member: Codable, Equatable {
        var id: String
        var login: String?
        var roles: [String]

        /// `login root, roles admin, tkksd`.
        var grants: String { "login \(login ?? "none"), roles \(roles.isEmpty ? "none" : roles.joined(separator: ", "))" }
    }

    struct Rules: Codable, Equatable {
        var kbMaxYears: Int
        var pksMaxYears: Int?
        var pksWithinKb: Bool
        var universityAsSinergi: Bool
        var clockOverride: Bool

        enum CodingKeys: String, CodingKey {
            case kbMaxYears = "kb_max_years", pksMaxYears = "pks_max_years", pksWithinKb = "pks_within_kb"
            case universityAsSinergi = "university_as_sinergi", clockOverride = "clock_override"
        }

        /// Each rule as `name = value`, in key order.
        var entries: [(String, String)] {
            [("clock_override", String(clockOverride)), ("kb_max_years", String(kbMaxYears)),
             ("pks_max_years", pksMaxYears.map(String.init) ?? "none"), ("pks_within_kb", String(pksWithinKb)),
             ("university_as_sinergi", String(universityAsSinergi))]
        }
    }

    var users: [Member]
    var rules: Rules
    /// `perangkat_daerah{…}`, short name → full name: it decides what `pd:SHORT` may edit. Nil
    /// (left out of the text) when the file lists none, so a workspace without a list keeps the
    /// summary it had before the list existed.
    var agencies: [String: String]?
    /// `channels{…}`, name → `ChannelSpec.destination`; nil when the file declares none.
    var channels: [String: String]?

    init(_ configuration: WorkspaceConfiguration) {
        users = configuration.users.map { Member(id: $0.id, login: $0.login, roles: $0.roles.sorted()) }
            .sorted { ($0.id, $0.login ?? "") < ($1.id, $1.login ?? "") }
        let rules = configuration.rules
        self.rules = Rules(kbMaxYears: rules.kbMaxYears, pksMaxYears: rules.pksMaxYears, pksWithinKb: rules.pksWithinKb,
                           universityAsSinergi: rules.universityAsSinergi, clockOverride: configuration.clockOverride)
        let listed = configuration.agencies.agencies
        agencies = listed.isEmpty ? nil : Dictionary(listed.map { ($0.short, $0.name) }) { first, _ in first }
        let declared = configuration.notifications.channels
        channels = declared.isEmpty ? nil : Dictionary(declared.map { ($0.name, $0.destination) }) { first, _ in first }
    }

    /// The canonical text: JSON with sorted keys (`canonicalJSON`).
    var json: String { canonicalJSON }

    /// A summary from its canonical text; nil when it is not one (then every grant counts as new).
    static func decode(_ text: String) -> ConfigurationSummary? {
        try? JSONDecoder().decode(ConfigurationSummary.self, from: Data(text.utf8))
    }

    /// One line per change since `old` (everything, when there was none before), e.g.
    /// `user mallory added: login mallory, roles admin` or `rules.pks_max_years: none → 5`.
    func changes(since old: ConfigurationSummary?) -> [String] {
        var lines: [String] = []
        let before = Dictionary(grouping: old?.users ?? [], by: \.id), after = Dictionary(grouping: users, by: \.id)
        for id in Set(before.keys).union(after.keys).sorted() {
            let was = before[id] ?? [], now = after[id] ?? []
            guard was != now else { continue }
            if was.isEmpty {
                lines += now.map { "user \(id) added: \($0.grants)" }
            } else if now.isEmpty {
                lines += was.map { "user \(id) removed (was \($0.grants))" }
            } else {
                lines.append("user \(id): \(was.map(\.grants).joined(separator: "; ")) → \(now.map(\.grants).joined(separator: "; "))")
            }
        }
        let previous = old.map { Dictionary(uniqueKeysWithValues: $0.rules.entries) } ?? [:]
        for (name, value) in rules.entries where previous[name] != value {
            lines.append(previous[name].map { "rules.\(name): \($0) → \(value)" } ?? "rules.\(name): \(value)")
        }
        let was = old?.agencies ?? [:], now = agencies ?? [:]
        for short in Set(was.keys).union(now.keys).sorted() where was[short] != now[short] {
            lines.append("perangkat_daerah \(short): \(was[short] ?? "none") → \(now[short] ?? "none")")
        }
        let sentBefore = old?.channels ?? [:], sentNow = channels ?? [:]
        for name in Set(sentBefore.keys).union(sentNow.keys).sorted() where sentBefore[name] != sentNow[name] {
            lines.append("channel \(name): \(sentBefore[name] ?? "none") → \(sentNow[name] ?? "none")")
        }
        return lines
    }

    /// The audit trail's view of a summary: the summary, the file's SHA-256 and, for the new one,
    /// the changes.
    struct AuditView: Encodable {
        var agencies: [String: String]?
        var channels: [String: String]?
        var changes: [String]?
        var rules: Rules
        var sinergiLuaSHA256: String
        var users: [Member]

        enum CodingKeys: String, CodingKey {
            case agencies = "perangkat_daerah", channels, changes, rules, sinergiLuaSHA256 = "sinergi_lua_sha256", users
        }
    }

    func auditView(fileSHA256: String, changes: [String]? = nil) -> String {
        Self.encode(AuditView(agencies: agencies, channels: channels, changes: changes, rules: rules, sinergiLuaSHA256: fileSHA256, users: users))
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and booleans always encode; an empty text would only fail to compare.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
