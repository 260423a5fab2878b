import Agreements

/// Canonical JSON of an agreement for the audit trail: the audited fields of
/// `AgreementField.all` (every stored field and the id) under their names, keys sorted, no
/// whitespace; documents left out (they have rows of their own).
enum Snapshot {
    /// The audited fields, sorted by name, each with its key as written (`"title":`).
    static let fields: [(key: [UInt8], field: AgreementField)] = AgreementField.all.filter(\.isAudited)
        .sorted { $0.name < $1.name }
        .map { field in
            var key: [UInt8] = []
            JSONString.append(field.name, to: &key)
            return (key + [UInt8(ascii: ":")], field)
        }

    static func json(_ agreement: Agreement) -> String { json(agreement, fields: fields) }

    /// The fields a workflow moves, as written in a snapshot.
    static let progressFields = fields.filter { entry in AgreementField.movedByWorkflows.contains { $0 === entry.field } }

    /// Those of `among` whose values differ between `before` and `after`, as JSON of each side,
    /// which a workflow move's audit row holds (`AuditLog.movedAgreement`).
    static func changes(from before: Agreement, to after: Agreement,
                        among candidates: [(key: [UInt8], field: AgreementField)]) -> (before: String, after: String) {
        let changed = candidates.filter { $0.field.value(of: before) != $0.field.value(of: after) }
        return (json(before, fields: changed), json(after, fields: changed))
    }

    private static func json(_ agreement: Agreement, fields: [(key: [UInt8], field: AgreementField)]) -> String {
        // A whole snapshot is 1–2 KB (every audited field): one allocation, no regrowth on the way.
        var out: [UInt8] = []
        out.reserveCapacity(fields.count > 2 ? 4096 : 256)
        out.append(UInt8(ascii: "{"))
        for (index, entry) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: entry.key)
            entry.field.value(of: agreement).appendJSON(to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
