import Agreements

/// Canonical JSON of an agreement for the audit trail: the audited fields of
/// `AgreementField.all` (every stored field and the id) under their names, keys sorted, no
/// whitespace; documents left out (they have rows of their own).
enum Snapshot {
    /// The audited fields, sorted by name.
    static let fields = AgreementField.all.filter(\.isAudited).sorted { $0.name < $1.name }

    static func json(_ agreement: Agreement) -> String {
        var out = "{"
        out.reserveCapacity(512)
        for (index, field) in fields.enumerated() {
            if index > 0 { out += "," }
            FieldValue.appendJSONString(field.name, to: &out)
            out += ":"
            field.value(of: agreement).appendJSON(to: &out)
        }
        return out + "}"
    }
}
