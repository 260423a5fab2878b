import Agreements
import Foundation
import LuaKit

/// Agreements to and from CSV and JSON (`sinergi agreement export/import/list`).
///
/// Both formats use the Lua API's field names, and go through the same field checks as
/// `agreements.create{…}`, so that what `export` writes `import` reads back unchanged and a bad
/// row is reported the way a script's mistake would be.
public enum AgreementExchange {
    /// The CSV columns, in order.
    public static let columns = AgreementFields.names

    /// One record that could not be read, with the line (CSV) or record number (JSON) it came from.
    public struct RowError: Error, Equatable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    // MARK: - CSV

    public static func csv(_ agreements: [Agreement]) -> String {
        var lines = [CSVTable.line(columns)]
        for agreement in agreements { lines.append(CSVTable.line(columns.map { textValue(of: $0, in: agreement) })) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The cell text of `field`.
    static func textValue(of field: String, in agreement: Agreement) -> String {
        switch field {
        case "number": return agreement.number
        case "title": return agreement.title
        case "kind": return agreement.kind.rawValue
        case "subkind": return agreement.subkind?.rawValue ?? ""
        case "lead_agency": return agreement.leadAgency
        case "object": return agreement.object
        case "scope": return agreement.scope
        case "value": return agreement.value.map(String.init) ?? ""
        case "funding": return agreement.funding
        case "parties":
            return agreement.parties.map { party in
                party.kind.rawValue + (party.form.map { "/" + $0.rawValue } ?? "") + ":" + party.name
            }.joined(separator: "; ")
        case "membebani_masyarakat": return String(agreement.membebaniMasyarakat)
        case "belum_dianggarkan": return String(agreement.belumDianggarkan)
        case "starts_on": return agreement.startsOn?.description ?? ""
        case "ends_on": return agreement.endsOn?.description ?? ""
        case "pks_starts_on": return agreement.pksStartsOn?.description ?? ""
        case "pks_ends_on": return agreement.pksEndsOn?.description ?? ""
        case "status": return agreement.status.rawValue
        case "stage": return agreement.stage
        case "ending_ground": return agreement.endingGround?.rawValue ?? ""
        case "pks_clauses": return agreement.pksClauses.map(\.rawValue).sorted().joined(separator: "; ")
        default: return ""
        }
    }

    /// Reads every record; returns the agreements read and an error per bad record.
    public static func readCSV(_ text: String) -> ([(line: Int, agreement: Agreement)], [RowError]) {
        let records: [CSVTable.Record]
        do {
            records = try CSVTable.parse(text)
        } catch CSVTable.ParseError.unterminatedQuote(let line) {
            return ([], [RowError(line: line, message: "a quoted field is never closed")])
        } catch {
            return ([], [RowError(line: 1, message: String(describing: error))])
        }
        guard let header = records.first else { return ([], [RowError(line: 1, message: "the file is empty; expected a header row")]) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: Set<String> = []
        for name in names {
            guard columns.contains(name) || name == "id" else {
                return ([], [RowError(line: header.line, message: "'\(name)' is not a column (\(columns.joined(separator: ", ")))")])
            }
            guard seen.insert(name).inserted else {
                return ([], [RowError(line: header.line, message: "'\(name)' is a column twice in the header")])
            }
        }
        var agreements: [(line: Int, agreement: Agreement)] = []
        var errors: [RowError] = []
        for record in records.dropFirst() {
            do {
                guard record.fields.count == names.count else {
                    throw DomainError.validation("has \(record.fields.count) fields; the header has \(names.count)")
                }
                var table = LuaTable()
                for (name, text) in zip(names, record.fields) where name != "id" && !text.isEmpty {
                    table[.text(name)] = try luaValue(fromText: text, field: name)
                }
                agreements.append((record.line, try AgreementFields.agreement(from: table)))
            } catch {
                errors.append(RowError(line: record.line, message: String(describing: error)))
            }
        }
        return (agreements, errors)
    }

    /// An agreement from (field, text) pairs, as `agreement add` and CSV rows give them.
    public static func agreement(fromCells cells: [(String, String)]) throws -> Agreement {
        try AgreementFields.agreement(from: table(fromCells: cells))
    }

    /// Applies (field, text) pairs to an agreement, as `agreement edit --set` gives them. An empty
    /// text clears an optional field.
    public static func apply(cells: [(String, String)], to agreement: inout Agreement) throws {
        try AgreementFields.apply(table(fromCells: cells), to: &agreement)
    }

    static func table(fromCells cells: [(String, String)]) throws -> LuaTable {
        var table = LuaTable()
        for (field, text) in cells {
            guard columns.contains(field) else {
                throw DomainError.validation("\(field): not a field of an agreement (\(columns.joined(separator: ", ")))")
            }
            let clearable = ["subkind", "starts_on", "ends_on", "pks_starts_on", "pks_ends_on", "ending_ground"]
            table[.text(field)] = text.isEmpty && clearable.contains(field) ? .boolean(false) : try luaValue(fromText: text, field: field)
        }
        return table
    }

    /// A CSV cell as the Lua value `agreements.create` expects for `field`.
    static func luaValue(fromText text: String, field: String) throws -> LuaValue {
        switch field {
        case "value":
            guard let number = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.validation("value: '\(text)' is not a whole number of rupiah")
            }
            return .integer(number)
        case "membebani_masyarakat", "belum_dianggarkan":
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "ya", "yes", "1": return .boolean(true)
            case "false", "tidak", "no", "0": return .boolean(false)
            default: throw DomainError.validation("\(field): '\(text)' is not true or false")
            }
        case "parties":
            let entries = text.split(separator: ";")
            try AgreementRules.requirePartyCount(entries.count)
            return .table(LuaTable(sequence: try entries.map { entry in
                let item = entry.trimmingCharacters(in: .whitespaces)
                guard let colon = item.firstIndex(of: ":") else {
                    throw DomainError.validation("parties: '\(item)' should read kind:Name (e.g. kabupaten:Pemerintah Kabupaten Probolinggo)")
                }
                let kindPart = item[..<colon].split(separator: "/", maxSplits: 1).map(String.init)
                var party: LuaTable = [.text("kind"): .text(kindPart.first ?? ""),
                                       .text("name"): .text(item[item.index(after: colon)...].trimmingCharacters(in: .whitespaces))]
                if kindPart.count == 2 { party["form"] = .text(kindPart[1]) }
                return .table(party)
            }))
        case "pks_clauses":
            return .table(LuaTable(sequence: text.split(separator: ";").map { .text($0.trimmingCharacters(in: .whitespaces)) }))
        default:
            return .text(text)
        }
    }

    // MARK: - JSON

    /// The JSON form of one agreement (also what `agreement show --format json` prints).
    public static func jsonObject(_ agreement: Agreement, includeDocuments: Bool = false) -> [String: Any] {
        var object: [String: Any] = [:]
        if let id = agreement.id { object["id"] = id }
        for field in columns {
            switch field {
            case "parties":
                object[field] = agreement.parties.map { party -> [String: Any] in
                    var entry: [String: Any] = ["name": party.name, "kind": party.kind.rawValue]
                    if let form = party.form { entry["form"] = form.rawValue }
                    return entry
                }
            case "pks_clauses": object[field] = agreement.pksClauses.map(\.rawValue).sorted()
            case "value": object[field] = agreement.value.map { $0 as Any } ?? NSNull()
            case "membebani_masyarakat": object[field] = agreement.membebaniMasyarakat
            case "belum_dianggarkan": object[field] = agreement.belumDianggarkan
            default:
                let text = textValue(of: field, in: agreement)
                object[field] = text.isEmpty && ["subkind", "starts_on", "ends_on", "pks_starts_on", "pks_ends_on", "ending_ground"].contains(field)
                    ? NSNull() : text
            }
        }
        object["needs_dprd_approval"] = agreement.needsDprdApproval
        if includeDocuments {
            object["documents"] = agreement.documents.map { document -> [String: Any] in
                ["kind": document.kind.rawValue, "number": document.number ?? NSNull(), "date": document.date?.description ?? NSNull(),
                 "signatories": document.signatories, "file": document.file ?? NSNull(), "sha256": document.sha256 ?? NSNull(),
                 "recorded_at": document.recordedAt ?? NSNull()]
            }
        }
        return object
    }

    public static func json(_ value: Any) throws -> String {
        // Fragments too: a value printed on its own may be a number or a string.
        let data = try JSONSerialization.data(withJSONObject: value,
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a JSON array of agreement objects; errors carry the record number (1-based).
    public static func readJSON(_ text: String) -> ([(line: Int, agreement: Agreement)], [RowError]) {
        guard let data = text.data(using: .utf8),
              let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
            return ([], [RowError(line: 1, message: "expected a JSON array of agreement objects")])
        }
        var agreements: [(line: Int, agreement: Agreement)] = []
        var errors: [RowError] = []
        for (index, element) in array.enumerated() {
            do {
                guard let object = element as? [String: Any] else { throw DomainError.validation("record \(index + 1) is not an object") }
                // JSON keys are unique, so the pairs are built directly (assigning one by one
                // would search the table each time: quadratic in a hostile object's size).
                let table = LuaTable(pairs: object.compactMap { key, value in
                    guard key != "id" && key != "needs_dprd_approval" && key != "documents",
                          let converted = luaValue(fromJSON: value) else { return nil }
                    return (key: .text(key), value: converted)
                })
                agreements.append((index + 1, try AgreementFields.agreement(from: table)))
            } catch {
                errors.append(RowError(line: index + 1, message: String(describing: error)))
            }
        }
        return (agreements, errors)
    }

    static func luaValue(fromJSON value: Any) -> LuaValue? {
        switch value {
        case is NSNull: return nil
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumbers of ObjC type "c" (char).
            if String(cString: number.objCType) == "c" { return .boolean(number.boolValue) }
            return number.doubleValue == number.doubleValue.rounded() && abs(number.doubleValue) < 9e18
                ? .integer(number.int64Value) : .number(number.doubleValue)
        case let text as String: return .text(text)
        case let list as [Any]: return .table(LuaTable(sequence: list.compactMap(luaValue(fromJSON:))))
        case let object as [String: Any]:
            return .table(LuaTable(pairs: object.compactMap { key, value in luaValue(fromJSON: value).map { (key: .text(key), value: $0) } }))
        default: return nil
        }
    }
}
