import Agreements
import Foundation
import LuaKit

extension ReplSession {
    /// The text for an input's results in the current format: one value per line.
    func render(_ values: [LuaValue]) throws -> String { try session.render(values, as: format) }

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
