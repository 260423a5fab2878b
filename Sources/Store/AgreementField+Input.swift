import Agreements

extension AgreementField {
    private static let byName: [String: AgreementField] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The field called `name`, if an agreement has one.
    public static func named(_ name: String) -> AgreementField? { byName[name] }

    /// A new agreement from input values by field name (`agreements.create{…}`, `agreement add`,
    /// an imported row): `kind` is required; the rest default as `Agreement` does.
    ///
    /// Values are checked field by field in table order, so the first error is the same whatever
    /// order the input came in. The domain rules are checked later, by the store.
    public static func agreement(from values: [String: FieldValue]) throws -> Agreement {
        try checkNames(values.keys)
        let kinds = Kind.allCases.map(\.rawValue)
        guard let kindValue = values["kind"], kindValue != .null else {
            throw DomainError.validation("kind: required (one of: \(kinds.joined(separator: ", ")))")
        }
        var agreement = Agreement(number: "", title: "", kind: try ChoiceCodec<Kind>().decode(kindValue, field: "kind"), leadAgency: "")
        try assign(values, to: &agreement, creating: true)
        return agreement
    }

    /// Applies input values to an existing agreement (`a:update{…}`, `agreement edit`).
    public static func apply(_ values: [String: FieldValue], to agreement: inout Agreement) throws {
        try checkNames(values.keys)
        try assign(values, to: &agreement, creating: false)
    }

    /// Input values from (field, cell text) pairs, as `--set name=value` and CSV rows give them;
    /// an empty text clears an optional field.
    public static func values(fromCells cells: [(String, String)]) throws -> [String: FieldValue] {
        try checkNames(cells.map(\.0))
        var values: [String: FieldValue] = [:]
        for (name, text) in cells { values[name] = try byName[name]?.value(fromCell: text) }
        return values
    }

    /// Every field error in `values`, one per field, in table order — where `agreement(from:)`
    /// stops at the first. An import reports all of a row's mistakes in one pass.
    public static func problems(in values: [String: FieldValue]) -> [(field: String, error: Error)] {
        var found: [(field: String, error: Error)] = []
        let inputs = Set(all.filter(\.isEditable).map(\.name))
        for name in values.keys.sorted() where !inputs.contains(name) {
            do { try checkNames([name]) } catch { found.append((name, error)) }
        }
        var scratch = Agreement(number: "", title: "", kind: .ksdd, leadAgency: "")
        for field in all {
            guard let value = values[field.name], let assign = field.assign else { continue }
            do { try assign(&scratch, value) } catch { found.append((field.name, error)) }
        }
        return found
    }

    private static func assign(_ values: [String: FieldValue], to agreement: inout Agreement, creating: Bool) throws {
        for field in all {
            guard let value = values[field.name], let assign = field.assign else { continue }
            if field.isFixed && !creating {
                var changed = agreement
                try assign(&changed, value)
                if field.extract(changed) != field.extract(agreement) {
                    throw DomainError.validation("\(field.name): an agreement's \(field.name) cannot change "
                                                 + "(\(field.cell(of: agreement))); create a new agreement")
                }
                continue
            }
            try assign(&agreement, value)
        }
    }

    /// Refuses names that are not input fields, with a hint for a near miss (`titel` → title).
    static func checkNames<Names: Sequence>(_ names: Names) throws where Names.Element == String {
        let inputs = all.filter(\.isEditable).map(\.name)
        for name in names.sorted() where !inputs.contains(name) {
            if byName[name] != nil { throw readOnly(name) }
            let closest = inputs.min { distance($0, name) < distance($1, name) }
            let hint = closest.flatMap { distance($0, name) <= 3 ? " (did you mean \($0)?)" : nil } ?? ""
            throw DomainError.validation("\(name): not a field of an agreement\(hint)")
        }
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

    /// The fields a workflow transition moves (`AgreementStore.setProgress`).
    static let movedByWorkflows = all.filter { $0.name == "stage" || $0.name == "status" }

    /// Checks `agreement` before a write: every text it holds can be stored
    /// (`AgreementRules.requireStorableText`: no NUL, at most 64 KB — each field of the table,
    /// so a field added there is checked too), the domain rules, then each field's own rule.
    /// A write that changes only some fields passes them as `written`: the text of the others
    /// was checked when it was stored (a workflow's stage move re-read every field's text).
    static func validate(_ agreement: Agreement, rules: AgreementRules, written: [AgreementField] = all) throws {
        for field in written where field.isAudited {
            try field.value(of: agreement).forEachText { try AgreementRules.requireStorableText($0, field: field.name) }
        }
        try rules.validate(agreement)
        for field in all { try field.rule?(agreement) }
    }
}
