import Agreements
import Foundation
import Store

/// Agreements to and from CSV and JSON (`sinergi agreement export/import/list`); the office's
/// register forms — CSV for Excel and .xlsx — are in `AgreementExchange+Office.swift`, and
/// reading any of them in `AgreementExchange+Import.swift`.
///
/// Every format carries the fields of `AgreementField.all` — under their names, or in an office
/// register under their Indonesian headers — and reads them back through the same codecs as
/// `agreements.create{…}`, so that what `export` writes `import` reads back unchanged and a bad
/// row is reported the way a script's mistake would be.
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
    /// fields export writes but import cannot set — the id, derived fields — are ignored, as are
    /// nulls; documents are read with their hash and recording time.
    public static func readJSON(_ text: String) -> ImportPlan {
        // JSONSerialization keeps an object per value (`0,` becomes some 100 bytes): counted first.
        let values = jsonValueCount(text)
        guard values <= CSVTable.maximumCells else {
            return ImportPlan(errors: [RowError(line: 1, message: "more than \(CSVTable.maximumCells) JSON values, "
                                                + "far more than a register holds: split the file and import the parts")])
        }
        guard let data = text.data(using: .utf8),
              let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
            return ImportPlan(errors: [RowError(line: 1, message: "expected a JSON array of agreement objects")])
        }
        var plan = ImportPlan()
        for (index, element) in array.enumerated() {
            if plan.stopsAfterTooManyErrors(at: index + 1) { break }
            do {
                guard let object = element as? [String: Any] else { throw DomainError.validation("record \(index + 1) is not an object") }
                var values: [String: FieldValue] = [:]
                for (key, json) in object where key != "documents" && AgreementField.named(key)?.isEditable != false {
                    let value = try FieldValue(json: json, field: key)
                    if value != .null { values[key] = value }
                }
                let problems = AgreementField.problems(in: values)
                guard problems.isEmpty else {
                    plan.errors += problems.map { RowError(line: index + 1, message: String(describing: $0.error)) }
                    continue
                }
                plan.rows.append(ImportRow(line: index + 1, values: values, documents: try documents(object["documents"])))
            } catch {
                plan.errors.append(RowError(line: index + 1, message: String(describing: error)))
            }
        }
        return plan
    }

    /// About how many values a JSON text holds: its commas and opening brackets outside strings.
    static func jsonValueCount(_ text: String) -> Int {
        var count = 0, inString = false, escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                count += 1
            }
        }
        return count
    }

    /// The documents of an exported agreement, as `jsonObject(includeDocuments:)` writes them.
    private static func documents(_ json: Any?) throws -> [Document] {
        guard let json, !(json is NSNull) else { return [] }
        guard let list = json as? [Any] else { throw DomainError.validation("documents: expected a list of documents") }
        return try list.enumerated().map { index, element in
            guard let object = element as? [String: Any] else { throw DomainError.validation("documents[\(index + 1)]: expected an object") }
            var values: [String: FieldValue] = [:]
            for name in Document.inputNames {
                if let json = object[name] { values[name] = try FieldValue(json: json, field: "documents[\(index + 1)].\(name)") }
            }
            var document = try Document(values: values.filter { $0.value != .null })
            document.sha256 = object["sha256"] as? String
            document.recordedAt = object["recorded_at"] as? String
            return document
        }
    }
}
