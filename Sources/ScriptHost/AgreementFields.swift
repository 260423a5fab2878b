import Agreements
import LuaKit

/// Reads agreement fields from a Lua table (`agreements.create{…}`, `a:update{…}`), with errors
/// that name the field, what it expects and what it got.
enum AgreementFields {
    static let names: [String] = [
        "number", "title", "kind", "subkind", "lead_agency", "object", "scope", "value", "funding", "parties",
        "membebani_masyarakat", "belum_dianggarkan", "starts_on", "ends_on", "pks_starts_on", "pks_ends_on",
        "status", "stage", "ending_ground", "pks_clauses",
    ]

    /// A new agreement from `table` (`number`, `title`, `kind`, `lead_agency` are required).
    static func agreement(from table: LuaTable) throws -> Agreement {
        try checkNames(table)
        guard let kindText = table["kind"].stringValue else { throw missing("kind", Kind.allCases.map(\.rawValue)) }
        guard let kind = Kind(rawValue: kindText) else { throw invalid("kind", kindText, Kind.allCases.map(\.rawValue)) }
        var agreement = Agreement(number: try text(table, "number") ?? "", title: try text(table, "title") ?? "",
                                  kind: kind, leadAgency: try text(table, "lead_agency") ?? "")
        try apply(table, to: &agreement)
        return agreement
    }

    /// Applies the fields present in `table` to `agreement`.
    static func apply(_ table: LuaTable, to agreement: inout Agreement) throws {
        try checkNames(table)
        if let value = try text(table, "number") { agreement.number = value }
        if let value = try text(table, "title") { agreement.title = value }
        if let value = table["kind"].stringValue, value != agreement.kind.rawValue {
            throw DomainError.validation("kind: an agreement's kind cannot change (\(agreement.kind.rawValue)); create a new agreement")
        }
        if table["subkind"] != .nil { agreement.subkind = try enumeration(table, "subkind", Subkind.self) }
        if let value = try text(table, "lead_agency") { agreement.leadAgency = value }
        if let value = try text(table, "object") { agreement.object = value }
        if let value = try text(table, "scope") { agreement.scope = value }
        if let value = try text(table, "funding") { agreement.funding = value }
        switch table["value"] {
        case .nil: break
        case let .integer(number): agreement.value = number
        case let .number(number) where number == number.rounded() && abs(number) < 9e18: agreement.value = Int64(number)
        case let other: throw DomainError.validation("value: expected a whole number of rupiah, got \(describe(other))")
        }
        if let value = try boolean(table, "membebani_masyarakat") { agreement.membebaniMasyarakat = value }
        if let value = try boolean(table, "belum_dianggarkan") { agreement.belumDianggarkan = value }
        if table["starts_on"] != .nil { agreement.startsOn = try date(table, "starts_on") }
        if table["ends_on"] != .nil { agreement.endsOn = try date(table, "ends_on") }
        if table["pks_starts_on"] != .nil { agreement.pksStartsOn = try date(table, "pks_starts_on") }
        if table["pks_ends_on"] != .nil { agreement.pksEndsOn = try date(table, "pks_ends_on") }
        if table["status"] != .nil, let status = try enumeration(table, "status", Status.self) { agreement.status = status }
        if let value = try text(table, "stage") { agreement.stage = value }
        if table["ending_ground"] != .nil { agreement.endingGround = try enumeration(table, "ending_ground", EndingGround.self) }
        if case let .table(list) = table["pks_clauses"] {
            agreement.pksClauses = Set(try list.sequence.map { entry in
                guard let text = entry.stringValue, let clause = PksClause(rawValue: text) else {
                    throw invalid("pks_clauses", entry.stringValue ?? describe(entry), PksClause.allCases.map(\.rawValue))
                }
                return clause
            })
        } else if table["pks_clauses"] != .nil {
            throw DomainError.validation("pks_clauses: expected a list of clause names, got \(describe(table["pks_clauses"]))")
        }
        if table["parties"] != .nil { agreement.parties = try parties(table["parties"]) }
    }

    static func parties(_ value: LuaValue) throws -> [Party] {
        guard case let .table(list) = value else {
            throw DomainError.validation("parties: expected a list like { { name = \"…\", kind = \"kabupaten\" } }, got \(describe(value))")
        }
        // Counted before the list is read: a hostile list is refused at the cost of counting it.
        try AgreementRules.requirePartyCount(list.pairs.count)
        return try list.sequence.enumerated().map { index, entry in
            guard case let .table(fields) = entry, let name = fields["name"].stringValue else {
                throw DomainError.validation("parties[\(index + 1)]: expected { name = \"…\", kind = \"…\" }")
            }
            guard let kindText = fields["kind"].stringValue else { throw missing("parties[\(index + 1)].kind", PartyKind.allCases.map(\.rawValue)) }
            guard let kind = PartyKind(rawValue: kindText) else {
                throw invalid("parties[\(index + 1)].kind", kindText, PartyKind.allCases.map(\.rawValue))
            }
            let form = try fields["form"].stringValue.map { text -> BusinessForm in
                guard let form = BusinessForm(rawValue: text) else {
                    throw invalid("parties[\(index + 1)].form", text, BusinessForm.allCases.map(\.rawValue))
                }
                return form
            }
            return Party(name: name, kind: kind, form: form)
        }
    }

    // MARK: - Field readers

    static func checkNames(_ table: LuaTable) throws {
        for (key, _) in table.pairs {
            guard let name = key.stringValue, names.contains(name) else {
                let shown = key.stringValue ?? describe(key)
                let closest = names.min { distance($0, shown) < distance($1, shown) }
                let hint = closest.flatMap { distance($0, shown) <= 3 ? " (did you mean \($0)?)" : nil } ?? ""
                throw DomainError.validation("\(shown): not a field of an agreement\(hint)")
            }
        }
    }

    static func text(_ table: LuaTable, _ field: String) throws -> String? {
        switch table[field] {
        case .nil: return nil
        case let .string(bytes): return String(decoding: bytes, as: UTF8.self)
        case let other: throw DomainError.validation("\(field): expected text, got \(describe(other))")
        }
    }

    static func boolean(_ table: LuaTable, _ field: String) throws -> Bool? {
        switch table[field] {
        case .nil: return nil
        case let .boolean(flag): return flag
        case let other: throw DomainError.validation("\(field): expected true or false, got \(describe(other))")
        }
    }

    static func date(_ table: LuaTable, _ field: String) throws -> LocalDate? {
        let value = table[field]
        if case let .userdata(reference) = value, let date = reference.object as? DateValue { return date.date }
        if let text = value.stringValue {
            guard let date = LocalDate(text) else { throw DomainError.validation("\(field): '\(text)' is not a date (YYYY-MM-DD)") }
            return date
        }
        if value == .boolean(false) { return nil }
        throw DomainError.validation("\(field): expected a date (date(\"2027-01-01\") or \"2027-01-01\"), got \(describe(value))")
    }

    static func enumeration<T: RawRepresentable & CaseIterable>(_ table: LuaTable, _ field: String, _ type: T.Type) throws -> T?
    where T.RawValue == String {
        let value = table[field]
        if value == .boolean(false) { return nil }
        guard let text = value.stringValue else { throw DomainError.validation("\(field): expected text, got \(describe(value))") }
        guard let result = T(rawValue: text) else { throw invalid(field, text, T.allCases.map(\.rawValue)) }
        return result
    }

    static func describe(_ value: LuaValue) -> String {
        switch value {
        case let .string(bytes): return "'\(String(decoding: bytes, as: UTF8.self))'"
        case let .integer(number): return String(number)
        case let .number(number): return LuaValue.formatNumber(number)
        case let .boolean(flag): return String(flag)
        default: return value.typeName
        }
    }

    static func missing(_ field: String, _ allowed: [String]) -> DomainError {
        .validation("\(field): required (one of: \(allowed.joined(separator: ", ")))")
    }

    static func invalid(_ field: String, _ got: String, _ allowed: [String]) -> DomainError {
        .validation("\(field): '\(got)' is not one of: \(allowed.joined(separator: ", "))")
    }

    /// Edit distance, for "did you mean" hints.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
