import Agreements

/// Canonical JSON of an agreement for the audit trail: fixed key order (sorted), no whitespace,
/// documents left out (they have rows of their own).
///
/// Written by hand because the audit row is on every write's path and Foundation's JSONEncoder
/// cost more than the rest of a create together (measured with `sinergi bench store`).
enum Snapshot {
    static func json(_ agreement: Agreement) -> String {
        var out = "{"
        out.reserveCapacity(512)
        var first = true
        func key(_ name: String) {
            if !first { out += "," }
            first = false
            out += "\"" + name + "\":"
        }
        func text(_ name: String, _ value: String?) {
            key(name)
            if let value { string(value) } else { out += "null" }
        }
        func string(_ value: String) {
            out += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\""
        }
        // Keys in sorted order.
        key("belumDianggarkan"); out += agreement.belumDianggarkan ? "true" : "false"
        text("endingGround", agreement.endingGround?.rawValue)
        text("endsOn", agreement.endsOn?.description)
        key("id"); out += agreement.id.map(String.init) ?? "null"
        text("kind", agreement.kind.rawValue)
        text("leadAgency", agreement.leadAgency)
        key("membebaniMasyarakat"); out += agreement.membebaniMasyarakat ? "true" : "false"
        text("number", agreement.number)
        text("object", agreement.object)
        key("parties"); out += "["
        for (index, party) in agreement.parties.enumerated() {
            if index > 0 { out += "," }
            out += "{\"form\":"
            if let form = party.form { string(form.rawValue) } else { out += "null" }
            out += ",\"kind\":"
            string(party.kind.rawValue)
            out += ",\"name\":"
            string(party.name)
            out += "}"
        }
        out += "]"
        key("pksClauses"); out += "[" + agreement.pksClauses.map { "\"\($0.rawValue)\"" }.sorted().joined(separator: ",") + "]"
        text("pksEndsOn", agreement.pksEndsOn?.description)
        text("pksStartsOn", agreement.pksStartsOn?.description)
        text("scope", agreement.scope)
        text("stage", agreement.stage)
        text("startsOn", agreement.startsOn?.description)
        text("status", agreement.status.rawValue)
        text("subkind", agreement.subkind?.rawValue)
        text("title", agreement.title)
        key("value"); out += agreement.value.map(String.init) ?? "null"
        text("funding", agreement.funding)
        return out + "}"
    }
}
