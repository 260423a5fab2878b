import Foundation
import Store

extension ConfigurationSummary {
    /// The canonical text, written here rather than by `JSONEncoder`: it is built and compared
    /// on every load of a workspace, and JSONEncoder's first use in a process (its generic
    /// machinery, the dynamic casts it makes) was 4 % of a cold `sinergi eval`'s instructions.
    ///
    /// Byte for byte what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes for
    /// this type — the text already stored in workspaces — so an unchanged file still compares
    /// equal: keys sorted by their UTF-8 bytes, absent optionals left out, strings escaped as
    /// JSON requires and nothing more (`ConfigurationSummaryTests` holds the two together).
    var canonicalJSON: String {
        var fields: [(String, String)] = []
        if let agencies { fields.append(("agencies", CanonicalJSON.object(agencies.map { ($0.key, CanonicalJSON.string($0.value)) }))) }
        if let channels { fields.append(("channels", CanonicalJSON.object(channels.map { ($0.key, CanonicalJSON.string($0.value)) }))) }
        var rules = [("clock_override", String(self.rules.clockOverride)), ("kb_max_years", String(self.rules.kbMaxYears)),
                     ("pks_within_kb", String(self.rules.pksWithinKb)), ("university_as_sinergi", String(self.rules.universityAsSinergi))]
        if let years = self.rules.pksMaxYears { rules.append(("pks_max_years", String(years))) }
        fields.append(("rules", CanonicalJSON.object(rules)))
        fields.append(("users", "[" + users.map { member in
            var entries = [("id", CanonicalJSON.string(member.id)),
                           ("roles", "[" + member.roles.map(CanonicalJSON.string).joined(separator: ",") + "]")]
            if let login = member.login { entries.append(("login", CanonicalJSON.string(login))) }
            return CanonicalJSON.object(entries)
        }.joined(separator: ",") + "]"))
        return CanonicalJSON.object(fields)
    }
}

/// The pieces of canonical JSON: compact, keys in UTF-8 order, `/` and non-ASCII left as they are.
enum CanonicalJSON {
    /// An object of already-encoded values.
    static func object(_ entries: [(key: String, value: String)]) -> String {
        "{" + entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { string($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
    }

    /// A string literal as `JSONEncoder` writes it (`\b`, `\f` for those two controls).
    static func string(_ text: String) -> String { JSONString.literal(text, controls: .short) }
}
