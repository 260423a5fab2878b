import Agreements
import Foundation
import LuaKit

extension ReplSession {
    /// The text for an input's results in the current format: one value per line.
    func render(_ values: [LuaValue]) throws -> String {
        switch format {
        case .table:
            let printer = session.printer
            return values.map { printer.render($0) }.joined(separator: "\n")
        case .json:
            return try values.map { try AgreementExchange.json(jsonValue($0)).trimmingCharacters(in: .newlines) }
                .joined(separator: "\n")
        case .csv:
            return try values.map { try csv($0).trimmingCharacters(in: .newlines) }.joined(separator: "\n")
        }
    }

    /// Agreements and lists as `agreement export` writes them; tables as objects and arrays.
    func jsonValue(_ value: LuaValue) throws -> Any {
        switch value {
        case .nil: return NSNull()
        case let .boolean(flag): return flag
        case let .integer(number): return number
        case let .number(number): return number.isFinite ? number : LuaValue.formatNumber(number)
        case let .string(bytes): return String(decoding: bytes, as: UTF8.self)
        case let .table(table):
            let sequence = table.sequence
            if sequence.count == table.pairs.count { return try sequence.map(jsonValue) }
            var object: [String: Any] = [:]
            for (key, element) in table.pairs { object[key.stringValue ?? LuaPrinter().render(key)] = try jsonValue(element) }
            return object
        case let .function(reference): return reference.summary
        case let .userdata(reference):
            switch reference.object {
            case let handle as AgreementHandle: return AgreementExchange.jsonObject(try handle.details(session.context))
            case let list as AgreementList: return try allAgreements(list).map { AgreementExchange.jsonObject($0) }
            case let date as DateValue: return date.date.description
            default: return session.describe(reference) ?? reference.summary
            }
        }
    }

    /// Agreements and lists as CSV; a sequence of records as CSV with the union of their keys.
    func csv(_ value: LuaValue) throws -> String {
        if case let .userdata(reference) = value {
            switch reference.object {
            case let handle as AgreementHandle: return AgreementExchange.csv([try handle.details(session.context)])
            case let list as AgreementList: return AgreementExchange.csv(try allAgreements(list))
            default: break
            }
        }
        if case let .table(table) = value {
            let records = table.sequence.compactMap { element -> LuaTable? in
                if case let .table(record) = element { return record }
                return nil
            }
            if !records.isEmpty, records.count == table.pairs.count {
                let columns = Array(Set(records.flatMap { $0.pairs.compactMap(\.key.stringValue) })).sorted()
                let printer = session.printer
                var lines = [CSVTable.line(columns)]
                for record in records {
                    lines.append(CSVTable.line(columns.map { record[$0] == .nil ? "" : printer.render(record[$0]) }))
                }
                return lines.joined(separator: "\n")
            }
        }
        return session.printer.render(value)
    }

    private func allAgreements(_ list: AgreementList) throws -> [Agreement] {
        var result: [Agreement] = []
        while let handle = try list.element(result.count, session.context) { result.append(try handle.details(session.context)) }
        return result
    }

    // MARK: - Completion

    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
                           "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]
    static let builtins = ["assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "print", "rawequal", "rawlen",
                           "rawget", "rawset", "select", "tonumber", "tostring", "type", "setmetatable", "getmetatable",
                           "collectgarbage", "load", "require", "string", "table", "math", "utf8", "coroutine", "os",
                           "help", "fmt", "begin", "commit", "rollback"]

    /// Completions for the word before the cursor: globals, module functions (`agreements.f` →
    /// `agreements.find`), and agreement fields and methods (`a.en` → `a.ends_on`, `a:up` → `a:update`).
    public func completions(for word: String) -> [String] {
        guard let separator = word.lastIndex(where: { $0 == "." || $0 == ":" }) else {
            var names = Set(Self.keywords + Self.builtins + session.globals.keys)
            if let environment = try? currentEnvironment(),
               case let .table(keys)? = try? session.sandbox.state.run(
                "local names = {} for k in pairs(_ENV) do if type(k) == 'string' then names[#names + 1] = k end end return names",
                chunkName: "=" + LuaSandbox.preludeChunk, environment: environment, limits: LuaLimits(timeout: 0.2, memory: nil)).first {
                names.formUnion(keys.sequence.compactMap { $0.stringValue })
            }
            return names.filter { $0.hasPrefix(word) }.sorted()
        }
        let base = String(word[..<separator])
        let partial = String(word[word.index(after: separator)...])
        let isMethod = word[separator] == ":"
        guard let environment = try? currentEnvironment(),
              let results = try? session.sandbox.state.run(Self.lookupSource, chunkName: "=" + LuaSandbox.preludeChunk, arguments: [.text(base)],
                                                           environment: environment, limits: LuaLimits(timeout: 0.2, memory: nil)),
              let first = results.first else { return [] }
        var names: [String] = []
        switch first {
        case let .table(keys): names = keys.sequence.compactMap { $0.stringValue }
        case let .userdata(reference) where reference.object is AgreementHandle:
            names = isMethod ? session.agreementMethodNames : session.agreementFieldNames
        default: return []
        }
        return names.filter { $0.hasPrefix(partial) }.sorted().map { base + String(word[separator]) + $0 }
    }

    /// Follows a dotted path from the environment; returns the keys of a table or the value.
    static let lookupSource = """
        local path = ...
        local value = _ENV
        for part in path:gmatch("[^.:]+") do
          if type(value) ~= "table" and type(value) ~= "userdata" then return nil end
          local ok, next_value = pcall(function() return value[part] end)
          if not ok then return nil end
          value = next_value
        end
        if type(value) == "table" then
          local keys = {}
          for k in pairs(value) do if type(k) == "string" then keys[#keys + 1] = k end end
          return keys
        end
        return value
        """
}
