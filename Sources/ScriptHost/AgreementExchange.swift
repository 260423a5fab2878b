import Agreements
import Foundation
import Store

/// Agreements to and from CSV and JSON (`sinergi agreement export/import/list`).
///
/// Both formats carry the fields of `AgreementField.all` under their names and read them back
/// through the same codecs as `agreements.create{…}`, so that what `export` writes `import` reads
/// back unchanged and a bad row is reported the way a script's mistake would be.
public enum AgreementExchange {
    /// The fields written as CSV columns, in order: every stored field but the id.
    static let exchanged = AgreementField.all.filter(\.isExchanged)

    /// The CSV columns, in order.
    public static let columns = exchanged.map(\.name)

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
        for agreement in agreements { lines.append(CSVTable.line(exchanged.map { $0.cell(of: agreement) })) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads every record; returns the agreements read and an error per bad record. An empty
    /// cell leaves its field at its default; an `id` column is ignored (ids belong to a workspace).
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
                let cells = zip(names, record.fields).filter { $0.0 != "id" && !$0.1.isEmpty }
                agreements.append((record.line, try AgreementField.agreement(from: AgreementField.values(fromCells: cells))))
            } catch {
                errors.append(RowError(line: record.line, message: String(describing: error)))
            }
        }
        return (agreements, errors)
    }

    // MARK: - JSON

    /// The JSON form of one agreement (also what `agreement show --format json` prints): every
    /// field of the table, none as `null`; with its documents when asked.
    public static func jsonObject(_ agreement: Agreement, includeDocuments: Bool = false) -> [String: Any] {
        var object: [String: Any] = [:]
        for field in AgreementField.all { object[field.name] = field.value(of: agreement).jsonObject }
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

    /// Reads a JSON array of agreement objects; errors carry the record number (1-based). The
    /// fields export writes but import cannot set — the id, derived fields, documents — are
    /// ignored, as are nulls.
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
                var values: [String: FieldValue] = [:]
                for (key, json) in object where key != "documents" && AgreementField.named(key)?.isEditable != false {
                    let value = try FieldValue(json: json, field: key)
                    if value != .null { values[key] = value }
                }
                agreements.append((index + 1, try AgreementField.agreement(from: values)))
            } catch {
                errors.append(RowError(line: index + 1, message: String(describing: error)))
            }
        }
        return (agreements, errors)
    }
}
