/// Finds where names and values are declared in a definition's source, for messages with a line.
///
/// A Lua table keeps no positions, so the text is read again: comments are skipped,
/// braces are followed, and every table field `KEY = …` (or `["KEY"] = …`, or a statement's
/// `states.penawaran = …`) is kept with the path of fields it sits in —
/// `states.penawaran.on.tanpa_balasan` — as is every string or number that
/// is a field's value (`to = "x"`, `roles = { "tkksd" }`). Looking a name up by its path finds
/// the right one even when the same word is declared elsewhere (an event named like a state, the
/// same event in two states). Code inside functions (guards, actions) declares no fields, but
/// the tables it builds do (`ctx.timer{ workdays = 45, fire = "x" }`).
///
///     let lines = SourceLines(source)
///     lines.line(at: ["states", "penawaran"])                       // the state's line
///     lines.line(ofValue: "tkksd", at: ["kak_disetujui", "roles"])   // where the role is named
struct SourceLines {
    /// A field or a literal value: the fields it sits in (nil for a table that is no field's
    /// value, such as the table a file returns or `ctx.timer{…}`'s), the text and its line.
    struct Entry {
        var path: [String?]
        var text: String
        var line: Int
    }

    private let lines: [Substring]
    /// `KEY = …` fields; the path ends with the key.
    private(set) var fields: [Entry] = []
    /// String and number literals that are (part of) a field's value; the path ends with the field.
    private(set) var stringValues: [Entry] = []
    private(set) var numberValues: [Entry] = []
    /// A call given a literal number and the literal `"workdays"` (a helper setting a timer's
    /// unit, `deemed_approval_timer(ctx, "dprd_45", 45, "workdays", …)`): the largest number, at
    /// the line of `"workdays"`.
    private(set) var workdaysArguments: [Entry] = []

    init(_ source: [UInt8]) {
        lines = String(decoding: source, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        scan(LuaTokens(source).tokens)
    }

    /// The first field whose path ends with `path` (the shortest such path first).
    func line(at path: [String]) -> Int? {
        fields.filter { $0.path.ends(with: path) }.min { ($0.path.count, $0.line) < ($1.path.count, $1.line) }?.line
    }

    /// The line of the definition's own `key = …`: a field of the table the file returns.
    func line(ofTopLevel key: String) -> Int? {
        fields.first { $0.path.count == 2 && $0.path[0] == nil && $0.path[1] == key }?.line
    }

    /// The first field named `key` whose table has a field among `children`: a state a function
    /// builds, whose path says nothing of `states`.
    func line(ofTable key: String, having children: Set<String>) -> Int? {
        fields.first { table in
            table.path.last == key && fields.contains { child in
                guard let name = child.path.last ?? nil else { return false }
                return children.contains(name) && child.path.count == table.path.count + 1 && Array(child.path.dropLast()) == table.path
                    && child.line >= table.line
            }
        }?.line
    }

    /// The first string `value` among the values of the field at `path`.
    func line(ofValue value: String, at path: [String]) -> Int? {
        stringValues.first { $0.text == value && $0.path.ends(with: path) }?.line
    }

    /// The string values of every field named `key` (`fire`), each with its path and line.
    func strings(of key: String) -> [Entry] { stringValues.filter { $0.path.last == key } }

    /// The number values of every field named `key` (`workdays`).
    func numbers(of key: String) -> [Entry] { numberValues.filter { $0.path.last == key } }

    /// The first line at or after `after` declaring `key = …`, by text alone: for what the scan
    /// cannot place (a state a `lib` function builds).
    func line(ofKey key: String, after: Int? = nil) -> Int? {
        let start = max((after ?? 1) - 1, 0)
        guard start < lines.count else { return nil }
        for index in start..<lines.count where declares(lines[index], key) { return index + 1 }
        return nil
    }

    private func declares(_ line: Substring, _ key: String) -> Bool {
        var rest = line[...]
        while let range = rest.range(of: key) {
            let before = rest[..<range.lowerBound].last
            let after = rest[range.upperBound...].drop(while: { $0 == " " || $0 == "\"" || $0 == "]" || $0 == "'" })
            let boundary = before.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
            if boundary && after.first == "=" && after.dropFirst().first != "=" { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    private mutating func noteWorkdays(in arguments: [LuaTokens.Token]) {
        guard let unit = arguments.first(where: { $0.kind == .string && $0.text == "workdays" }),
              let count = arguments.compactMap({ $0.kind == .number ? Int($0.text) : nil }).max() else { return }
        workdaysArguments.append(Entry(path: [], text: String(count), line: unit.line))
    }

    /// Every event named by a literal `fire = "EVENT"` (deadlines and timers).
    var firedEvents: Set<String> { Set(strings(of: "fire").map(\.text)) }

    // MARK: - Scanning

    /// An open bracket: for a brace, the field it is the value of and the field being written
    /// in it; `blocks` is the function/if/do nesting it was opened at (fields are written only
    /// at that nesting, not in a function's body).
    private struct Frame {
        var bracket: String
        /// The table the field `key` belongs to when a statement sets it (`states.penawaran = {`).
        var owner: [String?] = []
        var key: String?
        var pending: String?
        var blocks: Int
        /// For a call's parentheses: its literal arguments.
        var arguments: [LuaTokens.Token] = []
    }

    private mutating func scan(_ tokens: [LuaTokens.Token]) {
        var frames: [Frame] = []
        var blocks = 0
        var previous: LuaTokens.Token?
        func braceFrames() -> [Frame] { frames.filter { $0.bracket == "{" } }
        var path: [String?] { braceFrames().flatMap { $0.owner + [$0.key] } }
        /// `owner.key = VALUE` as a statement: the value's token, and the field it sets.
        var assigned: (owner: String, key: String, at: Int)?
        /// The innermost brace, when a field of it is being written here (not in a call's
        /// arguments, not in a function's body).
        func fieldLevel() -> Int? {
            guard let last = frames.indices.last, frames[last].bracket == "{", frames[last].blocks == blocks else { return nil }
            return last
        }
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            defer { previous = token; index += 1 }
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            let startsField = previous.map { $0.isPunct("{") || $0.isPunct(",") || $0.isPunct(";") } ?? false
            switch token.kind {
            case .name:
                switch token.text {
                case "function", "if", "do", "repeat": blocks += 1
                case "end", "until": blocks = max(blocks - 1, 0)
                default:
                    if let level = fieldLevel(), startsField, next?.isPunct("=") == true {
                        fields.append(Entry(path: path + [token.text], text: token.text, line: token.line))
                        frames[level].pending = token.text
                    } else if next?.isPunct("=") == true, previous?.isPunct(".") == true, index >= 2, tokens[index - 2].kind == .name {
                        // `states.penawaran = { … }`: a field of the table named before the dot, set by a statement.
                        let owner = tokens[index - 2].text
                        fields.append(Entry(path: path + [owner, token.text], text: token.text, line: token.line))
                        assigned = (owner, token.text, index + 2)
                    }
                }
            case .string, .number:
                if let field = assigned, field.at == index {
                    // The value a statement sets (`states.x.stage = "verifikasi"`).
                    let entry = Entry(path: path + [field.owner, field.key], text: token.text, line: token.line)
                    if token.kind == .string { stringValues.append(entry) } else { numberValues.append(entry) }
                } else if previous?.isPunct("[") == true, next?.isPunct("]") == true, index + 2 < tokens.count,
                   tokens[index + 2].isPunct("="), frames.count >= 2, frames[frames.count - 2].bracket == "{",
                   frames[frames.count - 2].blocks == blocks {
                    // `["KEY"] =`: a field named by a string.
                    fields.append(Entry(path: path + [token.text], text: token.text, line: token.line))
                    frames[frames.count - 2].pending = token.text
                } else if let level = fieldLevel() {
                    let entry = Entry(path: path + (frames[level].pending.map { [$0] } ?? []), text: token.text, line: token.line)
                    if token.kind == .string { stringValues.append(entry) } else { numberValues.append(entry) }
                } else if let last = frames.indices.last, frames[last].bracket == "(" {
                    frames[last].arguments.append(token)
                }
            case .punct:
                switch token.text {
                case "{" where assigned?.at == index:
                    frames.append(Frame(bracket: "{", owner: [assigned?.owner], key: assigned?.key, pending: nil, blocks: blocks))
                case "{", "(", "[":
                    // A table is the value of the field being written around it, if any — or,
                    // in a list, named by the string before it (`{ "persetujuan_dprd", { on = … } }`,
                    // how a lib function lists the states it builds).
                    let enclosing = braceFrames().last
                    var key = enclosing?.blocks == blocks ? enclosing?.pending : nil
                    if token.text == "{", key == nil, fieldLevel() != nil, index >= 2, tokens[index - 1].isPunct(","),
                       tokens[index - 2].kind == .string {
                        key = tokens[index - 2].text
                        fields.append(Entry(path: path + [key], text: tokens[index - 2].text, line: tokens[index - 2].line))
                    }
                    frames.append(Frame(bracket: token.text, key: key, pending: nil, blocks: blocks))
                case "}", ")", "]":
                    if let frame = frames.popLast() { noteWorkdays(in: frame.arguments) }
                case ",", ";":
                    if let level = fieldLevel() { frames[level].pending = nil }
                default: break
                }
            }
        }
    }
}

private extension Array where Element == String? {
    /// Whether the last elements are `suffix`, in order.
    func ends(with suffix: [String]) -> Bool {
        guard suffix.count <= count else { return false }
        return zip(self[(count - suffix.count)...], suffix).allSatisfy { $0 == $1 }
    }
}
