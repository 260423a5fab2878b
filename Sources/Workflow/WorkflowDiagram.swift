import LuaKit

/// A definition drawn as Mermaid (a `flowchart`, the diagram that draws dashed edges) or DOT:
/// its states (final ones marked), its events as edges labelled `event [roles]` — one per target
/// of a route — and the clocks' events dashed, from the state to where the event leads, with
/// their period. An agreement's state, when given, is highlighted.
///
/// The output is the same for the same definition: states in `orderedStateNames`, events by
/// name. Names are Lua keys, so they may hold anything: node ids are made from safe names only
/// and every label is escaped.
///
///     print(WorkflowDiagram.mermaid(definition, clockEvents: workflow.clockEvents, current: "penawaran"))
public enum WorkflowDiagram {
    /// An edge: an event (or a clock firing it) from one state to one of its targets.
    struct Edge: Equatable {
        var from: String
        var to: String
        var label: String
        var dashed: Bool
    }

    /// Every edge, in drawing order. An event people fire is solid; a clock's event dashed
    /// (both, when a role may also fire what a clock fires).
    static func edges(of definition: WorkflowDefinition, clockEvents: Set<String>) -> [Edge] {
        var edges: [Edge] = []
        for name in definition.orderedStateNames {
            guard let state = definition.states[name] else { continue }
            for eventName in state.eventNames {
                guard let event = state.events[eventName] else { continue }
                let byClock = clockEvents.contains(eventName)
                if !event.roles.isEmpty || !byClock {
                    let roles = event.roles.isEmpty ? "" : " [\(event.roles.joined(separator: ", "))]"
                    edges += event.targets.map { Edge(from: name, to: $0, label: eventName + roles, dashed: false) }
                }
                if byClock {
                    let period = state.deadline?.event == eventName ? state.deadline.map { "\($0.period)" } ?? "" : "timer"
                    edges += event.targets.map { Edge(from: name, to: $0, label: "\(eventName) (\(period))", dashed: true) }
                }
            }
        }
        return edges
    }

    /// Every node: the states in order, then targets that are no state (`workflow check` names
    /// them; the drawing shows where they point).
    static func nodes(of definition: WorkflowDefinition) -> [String] {
        var names = definition.orderedStateNames
        for name in definition.orderedStateNames {
            for event in definition.states[name]?.eventNames ?? [] {
                for target in definition.states[name]?.events[event]?.targets ?? [] where !names.contains(target) { names.append(target) }
            }
        }
        return names
    }

    /// Node ids: `s_NAME` for a name of letters, digits and `_`, else `xN` (N its place).
    static func ids(of names: [String]) -> [String: String] {
        var ids: [String: String] = [:]
        for (index, name) in names.enumerated() {
            let safe = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
            ids[name] = safe ? "s_" + name : "x\(index)"
        }
        return ids
    }

    /// Mermaid `flowchart`: `-->` for events, `-.->` for clocks, final states as stadiums.
    public static func mermaid(_ definition: WorkflowDefinition, clockEvents: Set<String>, current: String? = nil,
                               title: String? = nil) -> String {
        let nodes = nodes(of: definition)
        let ids = ids(of: nodes)
        func id(_ name: String) -> String { ids[name] ?? "" }
        var lines: [String] = []
        if let title { lines.append("%% " + mermaidText(title)) }
        lines.append("flowchart TD")
        if definition.states[definition.initial] != nil { lines.append("    start((\" \")) --> \(id(definition.initial))") }
        var finals: [String] = []
        for name in nodes {
            let label = "\"\(mermaidText(name))\""
            let isFinal = definition.states[name]?.isFinal == true
            lines.append("    \(id(name))" + (isFinal ? "([\(label)])" : "[\(label)]"))
            if isFinal { finals.append(id(name)) }
        }
        for edge in edges(of: definition, clockEvents: clockEvents) {
            lines.append("    \(id(edge.from)) \(edge.dashed ? "-.->" : "-->")|\"\(mermaidText(edge.label))\"| \(id(edge.to))")
        }
        if !finals.isEmpty {
            lines.append("    classDef final stroke-width:3px")
            lines.append("    class \(finals.joined(separator: ",")) final")
        }
        if let current, definition.states[current] != nil {
            lines.append("    classDef current fill:#ffe08a,stroke:#b26a00,stroke-width:3px")
            lines.append("    class \(id(current)) current")
        }
        return lines.joined(separator: "\n")
    }

    /// Graphviz DOT: `style=dashed` for clocks, final states with a double border.
    public static func dot(_ definition: WorkflowDefinition, clockEvents: Set<String>, current: String? = nil,
                           title: String? = nil) -> String {
        let nodes = nodes(of: definition)
        let ids = ids(of: nodes)
        func id(_ name: String) -> String { ids[name] ?? "" }
        var lines: [String] = []
        if let title { lines.append("// " + TerminalText.line(title)) }
        lines.append("digraph \"\(dotText(definition.name))\" {")
        lines.append("    node [shape=box, style=rounded];")
        if definition.states[definition.initial] != nil {
            lines.append("    start [shape=point];")
            lines.append("    start -> \(id(definition.initial));")
        }
        for name in nodes {
            var attributes = ["label=\"\(dotText(name))\""]
            if definition.states[name]?.isFinal == true { attributes.append("peripheries=2") }
            if name == current { attributes += ["style=\"rounded,filled\"", "fillcolor=\"#ffe08a\"", "penwidth=3"] }
            lines.append("    \(id(name)) [\(attributes.joined(separator: ", "))];")
        }
        for edge in edges(of: definition, clockEvents: clockEvents) {
            lines.append("    \(id(edge.from)) -> \(id(edge.to)) [label=\"\(dotText(edge.label))\"\(edge.dashed ? ", style=dashed" : "")];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// Text inside a Mermaid `"…"` label: its entity codes for the characters Mermaid reads.
    static func mermaidText(_ text: String) -> String {
        var result = ""
        for character in TerminalText.line(text) {
            switch character {
            case "#": result += "#35;"
            case "\"": result += "#quot;"
            case "<": result += "#lt;"
            case ">": result += "#gt;"
            case "|": result += "#124;"
            case "`": result += "#96;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Text inside a DOT `"…"` string.
    static func dotText(_ text: String) -> String {
        TerminalText.line(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
