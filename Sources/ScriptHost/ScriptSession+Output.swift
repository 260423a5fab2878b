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
                var budget = OutputBudget(nodes: ScriptSession.jsonNodeLimit, bytes: limits.memory ?? ScriptSession.jsonByteLimit)
                return try AgreementExchange.json(jsonValue(value, budget: &budget)).trimmingCharacters(in: .newlines)
            }.joined(separator: "\n")
        case .csv:
            return try values.map { value in
                var budget = OutputBudget(nodes: .max, bytes: limits.memory ?? ScriptSession.jsonByteLimit)
                return try csv(value, budget: &budget).trimmingCharacters(in: .newlines)
            }.joined(separator: "\n")
        }
    }

    /// The most values one JSON rendering writes: a table that shares subtables many times over
    /// (a graph) would otherwise expand exponentially.
    static let jsonNodeLimit = 1_000_000
    /// The most bytes of text a JSON rendering holds when the session has no memory cap.
    static let jsonByteLimit = 1 << 30

    /// What a JSON or CSV rendering may still write. Its text is charged against the run's memory
    /// cap: a string Lua holds once may be written many times (a table of 300 references to one
    /// 16 MB string is 4.8 GB of JSON), and the rendering is built whole before it is printed.
    struct OutputBudget {
        var nodes: Int
        var bytes: Int

        mutating func charge(_ count: Int) throws {
            nodes -= 1
            bytes -= count
            guard nodes >= 0 else {
                throw DomainError.validation("the value is too large to print as JSON (more than \(ScriptSession.jsonNodeLimit) values); print a part of it")
            }
            guard bytes >= 0 else { throw LuaError.memory(location: nil, limit: limit) }
        }

        /// An agreement, at what its record holds and its keys.
        mutating func charge(_ agreement: AgreementHandle) throws { try charge(agreement.hostFootprint + 512) }

        /// The bytes it started with (the cap an error names).
        private let limit: Int

        init(nodes: Int, bytes: Int) {
            self.nodes = nodes
            self.bytes = bytes
            limit = bytes
        }
    }

    /// `bytes` as text for JSON or CSV, which carry only UTF-8 text: bytes that are not UTF-8
    /// are refused rather than written as U+FFFD, which would change the value without a word.
    func outputText(_ bytes: [UInt8], format: String = "JSON") throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Shown as Lua would write it: printable ASCII as is, every other byte as \ddd.
            let shown = bytes.prefix(40).map { (0x20..<0x7F).contains($0) && $0 != 0x5C ? String(UnicodeScalar($0)) : "\\\($0)" }.joined()
            throw DomainError.validation("a value is not UTF-8 text (\"\(shown)\"\(bytes.count > 40 ? "…" : "")), and \(format) carries only text; "
                                         + "print it as a table (--format table), or return text (e.g. a hex string)")
        }
        return text
    }

    /// Agreements and lists as `agreement export` writes them; tables as objects and arrays.
    func jsonValue(_ value: LuaValue, budget: inout OutputBudget) throws -> Any {
        switch value {
        case .nil:
            try budget.charge(4)
            return NSNull()
        case let .boolean(flag):
            try budget.charge(5)
            return flag
        case let .integer(number):
            try budget.charge(20)
            return number
        case let .number(number):
            try budget.charge(24)
            return number.isFinite ? number : LuaValue.formatNumber(number)
        case let .string(bytes):
            // Escapes may grow it up to sixfold (`\u0001`); the text itself is charged whole.
            try budget.charge(bytes.count + 2)
            return try outputText(bytes)
        case let .table(table):
            try budget.charge(2)
            let sequence = table.sequence
            if sequence.count == table.pairs.count { return try sequence.map { try jsonValue($0, budget: &budget) } }
            var object: [String: Any] = [:]
            for (key, element) in table.pairs {
                let name: String
                if case let .string(bytes) = key { name = try outputText(bytes) } else { name = LuaPrinter().render(key) }
                try budget.charge(name.utf8.count + 4)
                // JSON keys are text: `1` and `"1"` would be one, and one value silently lost.
                guard object[name] == nil else {
                    throw DomainError.validation("the table has two keys JSON writes as \"\(TerminalText.line(String(name.prefix(80))))\" "
                                                 + "(a number and a text); print it as a table, or give its keys one type")
                }
                object[name] = try jsonValue(element, budget: &budget)
            }
            return object
        case let .function(reference):
            try budget.charge(reference.summary.utf8.count + 2)
            return reference.summary
        case let .userdata(reference):
            switch reference.object {
            case let handle as AgreementHandle: return try agreementJSON(handle, budget: &budget)
            case let list as AgreementList:
                var objects: [Any] = []
                while let handle = try list.element(objects.count, context) { objects.append(try agreementJSON(handle, budget: &budget)) }
                return objects
            case let date as DateValue:
                try budget.charge(12)
                return date.date.description
            default:
                let text = describe(reference) ?? reference.summary
                try budget.charge(text.utf8.count + 2)
                return text
            }
        }
    }

    /// An agreement's JSON object, charged against the budget.
    private func agreementJSON(_ handle: AgreementHandle, budget: inout OutputBudget) throws -> Any {
        let agreement = try handle.details(context)
        try budget.charge(handle)
        return AgreementExchange.jsonObject(agreement)
    }

    /// Agreements and lists as CSV; a sequence of records as CSV with the union of their keys.
    func csv(_ value: LuaValue, budget: inout OutputBudget) throws -> String {
        if case let .userdata(reference) = value {
            switch reference.object {
            case let handle as AgreementHandle:
                try budget.charge(handle)
                return AgreementExchange.csv([try handle.details(context)])
            case let list as AgreementList:
                var agreements: [Agreement] = []
                while let handle = try list.element(agreements.count, context) {
                    agreements.append(try handle.details(context))
                    try budget.charge(handle)
                }
                return AgreementExchange.csv(agreements)
            default: break
            }
        }
        let printer = self.printer
        func line(_ cells: [String]) throws -> String {
            let line = CSVTable.line(cells)
            try budget.charge(line.utf8.count + 1)
            return line
        }
        if case let .table(table) = value {
            let records = table.sequence.compactMap { element -> LuaTable? in
                if case let .table(record) = element { return record }
                return nil
            }
            let rows = records.filter { $0.sequence.count == $0.pairs.count && !$0.pairs.isEmpty }
            if !records.isEmpty, rows.count == records.count, records.count == table.pairs.count {
                // An array of arrays: one CSV row each, no header.
                return try records.map { row in try line(row.sequence.map { cell in
                    if case let .string(bytes) = cell { return try outputText(bytes, format: "CSV") }
                    return printer.render(cell)
                }) }.joined(separator: "\n")
            }
            if !records.isEmpty, records.count == table.pairs.count {
                let columns = Array(Set(records.flatMap { $0.pairs.compactMap(\.key.stringValue) })).sorted()
                var lines = [try line(columns)]
                for record in records {
                    lines.append(try line(columns.map { record[$0] == .nil ? "" : printer.render(record[$0]) }))
                }
                return lines.joined(separator: "\n")
            }
        }
        return printer.render(value)
    }
}
