import Foundation

/// Renders Lua values for people: tables pretty-printed with sorted keys, one line when short.
///
/// Used by `sinergi eval` and the REPL. Strings at the top level print as they are (like `print`);
/// nested strings are quoted so that `{ "1" }` and `{ 1 }` differ. Userdata is described by
/// `describe` when it knows the object, else by its type and address — a script's `__tostring`
/// is never called.
public struct LuaPrinter {
    /// Describes userdata objects the host knows (e.g. agreements); nil means "use the summary".
    public var describe: (LuaReference) -> String?
    /// Width under which a table stays on one line.
    public var lineWidth: Int
    /// The most characters one rendering produces; past it the text ends with a note. A value
    /// that shares subtables many times over (a graph) would otherwise print exponentially long.
    public var maximumLength: Int

    public init(lineWidth: Int = 80, maximumLength: Int = 1 << 20,
                describe: @escaping (LuaReference) -> String? = { _ in nil }) {
        self.lineWidth = lineWidth
        self.maximumLength = maximumLength
        self.describe = describe
    }

    /// The text for a value printed on its own.
    public func render(_ value: LuaValue) -> String {
        if case let .string(bytes) = value { return String(decoding: bytes, as: UTF8.self) }
        var budget = maximumLength
        let text = render(value, indent: 0, budget: &budget)
        return budget > 0 ? text : text + "\n… (output cut at \(maximumLength) characters)"
    }

    private func render(_ value: LuaValue, indent: Int, budget: inout Int) -> String {
        guard budget > 0 else { return "…" }
        let text: String
        switch value {
        case .nil: text = "nil"
        case let .boolean(flag): text = flag ? "true" : "false"
        case let .integer(number): text = String(number)
        case let .number(number): text = LuaValue.formatNumber(number)
        case let .string(bytes): text = LuaPrinter.quote(bytes)
        case let .function(reference): text = reference.summary
        case let .userdata(reference): text = describe(reference) ?? reference.summary
        case let .table(table): return render(table, indent: indent, budget: &budget)
        }
        budget -= text.utf8.count
        return text
    }

    private func render(_ table: LuaTable, indent: Int, budget: inout Int) -> String {
        if table.pairs.isEmpty { return "{}" }
        let sequence = table.sequence
        let rest = table.pairs
            .filter { pair in
                if case let .integer(index) = pair.key { return index < 1 || index > Int64(sequence.count) }
                return true
            }
            .sorted { LuaPrinter.keyOrder($0.key, $1.key) }
        var items: [String] = []
        for element in sequence {
            guard budget > 0 else { items.append("…"); break }
            items.append(render(element, indent: indent + 2, budget: &budget))
            budget -= indent + 4
        }
        for pair in rest {
            guard budget > 0 else { items.append("…"); break }
            let key = LuaPrinter.renderKey(pair.key)
            budget -= key.utf8.count + indent + 6
            items.append("\(key) = \(render(pair.value, indent: indent + 2, budget: &budget))")
        }
        let oneLine = "{ " + items.joined(separator: ", ") + " }"
        if oneLine.count + indent <= lineWidth, !oneLine.contains("\n") { return oneLine }
        let pad = String(repeating: " ", count: indent + 2)
        return "{\n" + items.map { pad + $0 + ",\n" }.joined() + String(repeating: " ", count: indent) + "}"
    }

    /// Numbers first (by value), then strings (by text), then the rest by type name.
    static func keyOrder(_ lhs: LuaValue, _ rhs: LuaValue) -> Bool {
        func rank(_ value: LuaValue) -> Int {
            switch value {
            case .integer, .number: return 0
            case .string: return 1
            default: return 2
            }
        }
        if rank(lhs) != rank(rhs) { return rank(lhs) < rank(rhs) }
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a.lexicographicallyPrecedes(b)
        default: return numeric(lhs) < numeric(rhs)
        }
    }

    private static func numeric(_ value: LuaValue) -> Double {
        switch value {
        case let .integer(number): return Double(number)
        case let .number(number): return number
        default: return 0
        }
    }

    static func renderKey(_ key: LuaValue) -> String {
        if case let .string(bytes) = key, let text = String(bytes: bytes, encoding: .utf8), isIdentifier(text) {
            return text
        }
        var budget = 1 << 16
        return "[\(LuaPrinter().render(key, indent: 0, budget: &budget))]"
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    /// A Lua string literal for bytes: UTF-8 text as is, quotes and control bytes escaped, and
    /// every byte of invalid UTF-8 as `\ddd`.
    public static func quote(_ bytes: [UInt8]) -> String {
        let valid = String(bytes: bytes, encoding: .utf8) != nil
        var result = "\""
        for scalar in valid ? Array(String(decoding: bytes, as: UTF8.self).unicodeScalars) : bytes.map({ Unicode.Scalar($0) }) {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f || (!valid && scalar.value >= 0x80) {
                    result += "\\\(scalar.value)"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
