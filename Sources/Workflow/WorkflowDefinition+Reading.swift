import Agreements
import Foundation
import LuaKit

/// A defect of a definition, with the line it is at when known (`workflow check` prints
/// `file:line: message`; a warning does not fail the check).
public struct WorkflowProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var message: String
    public var isWarning: Bool

    public init(line: Int?, message: String, isWarning: Bool = false) {
        self.line = line
        self.message = message
        self.isWarning = isWarning
    }

    public var description: String { (isWarning ? "warning: " : "") + message }
}

extension WorkflowDefinition {
    /// Reads the table a definition file returned. Shape errors (a missing `initial`, a state that
    /// is not a table, an event without `to`, …) are collected in `problems`, each with its line;
    /// what can be read is kept, so `workflow check` reports every defect at once.
    public static func read(_ table: LuaTable, source: [UInt8], problems: inout [WorkflowProblem]) -> WorkflowDefinition {
        let lines = SourceLines(source)
        func problem(_ line: Int?, _ message: String) { problems.append(WorkflowProblem(line: line, message: message)) }
        let name = table["name"].stringValue ?? ""
        if name.isEmpty { problem(lines.line(ofTopLevel: "name"), "the definition has no name = \"…\"") }
        var kinds: [String] = []
        if case let .table(appliesTo) = table["applies_to"] {
            switch appliesTo["kind"] {
            case .string: kinds = appliesTo["kind"].stringValue.map { [$0] } ?? []
            case let .table(list): kinds = list.sequence.compactMap(\.stringValue)
            default: break
            }
        }
        for kind in kinds where Kind(rawValue: kind) == nil {
            problem(lines.line(ofTopLevel: "applies_to"), "applies_to: '\(kind)' is not a kind (\(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let initial = table["initial"].stringValue ?? ""
        if initial.isEmpty { problem(lines.line(ofTopLevel: "initial") ?? 1, "the definition has no initial = \"STATE\"") }
        var states: [String: State] = [:]
        if case let .table(stateTable) = table["states"] {
            for (key, value) in stateTable.pairs {
                guard let stateName = key.stringValue else { problem(nil, "states: every key is a state name"); continue }
                // A state built elsewhere (`local states = {…}`, a lib function) is found by its text.
                let line = lines.line(at: ["states", stateName]) ?? lines.line(ofKey: stateName, after: lines.line(ofTopLevel: "states"))
                    ?? lines.line(ofKey: stateName)
                guard case let .table(fields) = value else { problem(line, "state \(stateName) is not a table"); continue }
                states[stateName] = readState(stateName, fields, line: line, lines: lines, problem: problem)
            }
        } else {
            problem(lines.line(ofTopLevel: "states") ?? 1, "the definition has no states = { … }")
        }
        return WorkflowDefinition(name: name, title: table["title"].stringValue ?? name, kinds: kinds, initial: initial,
                                  states: states, timerEvents: lines.firedEvents)
    }

    private static func readState(_ name: String, _ fields: LuaTable, line: Int?, lines: SourceLines,
                                  problem: (Int?, String) -> Void) -> State {
        var events: [String: Event] = [:]
        if case let .table(on) = fields["on"] {
            for (key, value) in on.pairs {
                guard let eventName = key.stringValue else { problem(line, "state \(name): every key of on = { … } is an event name"); continue }
                // By text only after the state's own line: another state's event of that name is not it.
                let eventLine = lines.line(at: [name, "on", eventName]) ?? line.flatMap { lines.line(ofKey: eventName, after: $0) }
                guard case let .table(spec) = value else { problem(eventLine, "event \(eventName) of \(name) is not a table"); continue }
                var targets: [String] = []
                switch spec["to"] {
                case .string: targets = spec["to"].stringValue.map { [$0] } ?? []
                case let .table(list): targets = list.sequence.compactMap(\.stringValue)
                default: problem(eventLine, "event \(eventName) of \(name) has no to = \"STATE\"")
                }
                let hasRoute = isFunction(spec["route"])
                if targets.count > 1 && !hasRoute {
                    problem(eventLine, "event \(eventName) of \(name) lists several targets but has no route = function(a, ctx)")
                }
                events[eventName] = Event(name: eventName, targets: targets, hasRoute: hasRoute, roles: strings(spec["roles"]),
                                          requires: strings(spec["requires"]), hasGuard: isFunction(spec["guard"]),
                                          outcome: spec["outcome"].stringValue, line: eventLine)
            }
        }
        var deadline: Deadline?
        if case let .table(spec) = fields["deadline"] {
            let deadlineLine = lines.line(at: [name, "deadline"]) ?? lines.line(ofKey: "deadline", after: line)
            let event = spec["fire"].stringValue ?? ""
            if case let .integer(days) = spec["days"], days > 0, days <= 3650 {
                deadline = Deadline(period: .days(Int(days)), event: event)
            } else if case let .integer(days) = spec["workdays"], days > 0, days <= 2500 {
                deadline = Deadline(period: .workdays(Int(days)), event: event)
            } else {
                problem(deadlineLine, "the deadline of \(name) needs days = N or workdays = N (a positive whole number)")
            }
            if event.isEmpty { problem(deadlineLine, "the deadline of \(name) has no fire = \"EVENT\"") }
        }
        return State(name: name, stage: fields["stage"].stringValue ?? name, status: fields["status"].stringValue,
                     isFinal: fields["final"] == .boolean(true), events: events, deadline: deadline,
                     hasOnEnter: isFunction(fields["on_enter"]), hasOnExit: isFunction(fields["on_exit"]), line: line)
    }

    private static func isFunction(_ value: LuaValue) -> Bool {
        if case .function = value { return true }
        return false
    }

    private static func strings(_ value: LuaValue) -> [String] {
        switch value {
        case let .table(list): return list.sequence.compactMap(\.stringValue)
        case .string: return value.stringValue.map { [$0] } ?? []
        default: return []
        }
    }
}
