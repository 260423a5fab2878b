import LuaKit

extension WorkflowDefinition {
    /// The fields a definition, a state, an event, a deadline and `applies_to` are read with
    /// (`read(_:source:problems:)`, and the engine's calls of `guard`, `route`, `on_enter`,
    /// `on_exit`). Anything else is never read: `gaurd = function …` would leave the event
    /// unguarded, `on_entre` would never run — so `workflow check` names it.
    static let knownKeys: [String: Set<String>] = [
        "definition": ["name", "title", "applies_to", "initial", "states"],
        "applies_to": ["kind"],
        "state": ["on", "deadline", "stage", "status", "final", "on_enter", "on_exit"],
        "event": ["to", "roles", "requires", "guard", "outcome", "route"],
        "deadline": ["days", "workdays", "fire"],
    ]

    /// A problem for each field of `table` that is none of the known ones (each where it is
    /// written, with the known name it most resembles). They fail `workflow check`, but do not
    /// stop instances already running on the version (`stopsRuns` false): they ran before this
    /// check existed, and the field was never read.
    static func unknownKeyProblems(_ table: LuaTable, source: [UInt8]) -> [WorkflowProblem] {
        let lines = SourceLines(source)
        var found: [WorkflowProblem] = []
        func check(_ fields: LuaTable, as part: String, named what: String, path: [String], fallback: Int?) {
            let known = knownKeys[part] ?? []
            for key in fields.pairs.compactMap(\.key.stringValue) where !known.contains(key) {
                let line = lines.line(at: path + [key]) ?? lines.line(ofKey: key, after: fallback) ?? fallback
                let hint = known.first { editDistance($0, key) <= 2 }.map { " (did you mean \($0)?)" } ?? ""
                found.append(WorkflowProblem(line: line, message: "\(what) has a field \(WorkflowName.shown(key)) that is never read\(hint); "
                                             + "its fields are \(known.sorted().joined(separator: ", "))", stopsRuns: false))
            }
        }
        check(table, as: "definition", named: "the definition", path: [], fallback: 1)
        if case let .table(appliesTo) = table["applies_to"] {
            check(appliesTo, as: "applies_to", named: "applies_to", path: ["applies_to"], fallback: lines.line(ofTopLevel: "applies_to"))
        }
        guard case let .table(states) = table["states"], states.pairs.count <= maximumStates else { return found }
        for (key, value) in states.pairs {
            guard let state = key.stringValue, case let .table(fields) = value else { continue }
            let stateLine = lines.line(at: ["states", state]) ?? lines.line(ofKey: state, after: lines.line(ofTopLevel: "states"))
            check(fields, as: "state", named: "state \(state)", path: [state], fallback: stateLine)
            if case let .table(deadline) = fields["deadline"] {
                check(deadline, as: "deadline", named: "the deadline of \(state)", path: [state, "deadline"], fallback: stateLine)
            }
            guard case let .table(on) = fields["on"], on.pairs.count <= maximumEvents else { continue }
            for (eventKey, eventValue) in on.pairs {
                guard let event = eventKey.stringValue, case let .table(spec) = eventValue else { continue }
                check(spec, as: "event", named: "event \(event) of \(state)", path: [state, "on", event],
                      fallback: lines.line(at: [state, "on", event]) ?? stateLine)
            }
        }
        return found
    }

    /// Levenshtein distance of two short ASCII names (field names are at most a few dozen bytes;
    /// a longer one is simply not close).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard a.count <= 64, b.count <= 64 else { return Int.max }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
