import Agreements
import Foundation
import LuaKit

extension ScriptSession {
    /// The text for results in `format`, one value per line (`eval` and the REPL print with it).
    public func render(_ values: [LuaValue], as format: OutputFormat) throws -> String {
        switch format {
        case .table:
            let printer = self.printer
            return values.map { printer.render($0) }.joined(separator: "\n")
        case .json:
            return try values.map { value in
                var budget = ScriptSession.jsonNodeLimit
                return try AgreementExchange.json(jsonValue(value, budget: &budget)).trimmingCharacters(in: .newlines)
            }.joined(separator: "\n")
        case .csv:
            return try values.map { try csv($0).trimmingCharacters(in: .newlines) }.joined(separator: "\n")
        }
    }

    /// The most values one JSON rendering writes: a table that shares subtables many times over
    /// (a graph) would otherwise expand exponentially.
    static let jsonNodeLimit = 1_000_000

    /// Agreements and lists as `agreement export` writes them; tables as objects and arrays.
    func jsonValue(_ value: LuaValue, budget: inout Int) throws -> Any {
        budget -= 1
        guard budget >= 0 else {
            throw DomainError.validation("the value is too large to print as JSON (more than \(ScriptSession.jsonNodeLimit) values); print a part of it")
        }
        switch value {
        case .nil: return NSNull()
        case let .boolean(flag): return flag
        case let .integer(number): return number
        case let .number(number): return number.isFinite ? number : LuaValue.formatNumber(number)
        case let .string(bytes): return String(decoding: bytes, as: UTF8.self)
        case let .table(table):
            let sequence = table.sequence
            if sequence.count == table.pairs.count { return try sequence.map { try jsonValue($0, budget: &budget) } }
            var object: [String: Any] = [:]
            for (key, element) in table.pairs {
                object[key.stringValue ?? LuaPrinter().render(key)] = try jsonValue(element, budget: &budget)
            }
            return object
        case let .function(reference): return reference.summary
        case let .userdata(reference):
            switch reference.object {
            case let handle as AgreementHandle: return AgreementExchange.jsonObject(try handle.details(context))
            case let list as AgreementList: return try allAgreements(list).map { AgreementExchange.jsonObject($0) }
            case let date as DateValue: return date.date.description
            default: return describe(reference) ?? reference.summary
            }
        }
    }

    /// Agreements and lists as CSV; a sequence of records as CSV with the union of their keys.
    func csv(_ value: LuaValue) throws -> String {
        if case let .userdata(reference) = value {
            switch reference.object {
            case let handle as AgreementHandle: return AgreementExchange.csv([try handle.details(context)])
            case let list as AgreementList: return AgreementExchange.csv(try allAgreements(list))
            default: break
            }
        }
        if case let .table(table) = value {
            let records = table.sequence.compactMap { element -> LuaTable? in
                if case let .table(record) = element { return record }
                return nil
            }
            let rows = records.filter { $0.sequence.count == $0.pairs.count && !$0.pairs.isEmpty }
            if !records.isEmpty, rows.count == records.count, records.count == table.pairs.count {
                // An array of arrays: one CSV row each, no header.
                let printer = self.printer
                return records.map { row in CSVTable.line(row.sequence.map { cell in
                    if case let .string(bytes) = cell { return String(decoding: bytes, as: UTF8.self) }
                    return printer.render(cell)
                }) }.joined(separator: "\n")
            }
            if !records.isEmpty, records.count == table.pairs.count {
                let columns = Array(Set(records.flatMap { $0.pairs.compactMap(\.key.stringValue) })).sorted()
                let printer = self.printer
                var lines = [CSVTable.line(columns)]
                for record in records {
                    lines.append(CSVTable.line(columns.map { record[$0] == .nil ? "" : printer.render(record[$0]) }))
                }
                return lines.joined(separator: "\n")
            }
        }
        return printer.render(value)
    }

    private func allAgreements(_ list: AgreementList) throws -> [Agreement] {
        var result: [Agreement] = []
        while let handle = try list.element(result.count, context) { result.append(try handle.details(context)) }
        return result
    }
}
