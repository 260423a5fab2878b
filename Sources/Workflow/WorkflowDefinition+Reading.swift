import Agreements
import Foundation
import LuaKit

/// A defect of a definition, with the line it is at when known (`workflow check` prints
/// `file:line: message`; a warning does not fail the check).
public struct WorkflowProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var message: String
    public var isWarning: Bool
    /// Whether an instance on a version with this problem stops at its next transition (a shape
    /// the engine cannot run), or only `workflow check` fails on it (an unread field).
    public var stopsRuns: Bool

    public init(line: Int?, message: String, isWarning: Bool = false, stopsRuns: Bool = true) {
        self.line = line
        self.message = message
        self.isWarning = isWarning
        self.stopsRuns = stopsRuns && !isWarning
    }

    public var description: String { (isWarning ? "warning: " : "") + message }
}

extension WorkflowDefinition {
    /// The most states a definition has, events a state has (and all its states together), and
    /// entries a list (`to`, `roles`, `requires`, `applies_to.kind`) has. The shipped tracks use
    /// a tenth of each; a larger table is refused before it is walked, since checking a track
    /// costs more than linear time in its size (reachability from each unreachable state).
    static let maximumStates = 500
    static let maximumEvents = 100
    static let maximumEventsInAll = 2000
    static let maximumList = 20
    /// The longest `title`, in bytes.
    static let maximumTitle = 200

    /// Reads the table a definition file returned. Shape errors (a missing `initial`, a state that
    /// is not a table, an event without `to`, a name outside `WorkflowName`'s rule, a table past
    /// the limits above, …) are collected in `problems`, each with its line; what can be read is
    /// kept, so `workflow check` reports every defect at once.
    public static func read(_ table: LuaTable, source: [UInt8], problems: inout [WorkflowProblem]) -> WorkflowDefinition {
        let lines = SourceLines(source)
        func problem(_ line: Int?, _ message: String) { problems.append(WorkflowProblem(line: line, message: message)) }
        var name = table["name"].stringValue ?? ""
        if name.isEmpty { problem(lines.line(ofTopLevel: "name"), "the definition has no name = \"…\"") }
        if !name.isEmpty && !WorkflowName.isValid(name) {
            problem(lines.line(ofTopLevel: "name"), "name = \(WorkflowName.shown(name)) is not a name (\(WorkflowName.rule))")
            name = ""
        }
        var title = table["title"].stringValue ?? name
        if title.utf8.count > maximumTitle {
            problem(lines.line(ofTopLevel: "title"), "the title is longer than \(maximumTitle) bytes")
            title = WorkflowName.bounded(title, limit: maximumTitle)
        }
        var kinds: [String] = []
        if case let .table(appliesTo) = table["applies_to"] {
            kinds = strings(appliesTo["kind"], "applies_to.kind", line: lines.line(ofTopLevel: "applies_to"), problem: problem)
        }
        for kind in kinds where Kind(rawValue: kind) == nil {
            problem(lines.line(ofTopLevel: "applies_to"), "applies_to: \(WorkflowName.shown(kind)) is not a kind (\(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var initial = table["initial"].stringValue ?? ""
        if initial.isEmpty { problem(lines.line(ofTopLevel: "initial") ?? 1, "the definition has no initial = \"STATE\"") }
        if !initial.isEmpty && !WorkflowName.isValid(initial) {
            problem(lines.line(ofTopLevel: "initial"), "initial = \(WorkflowName.shown(initial)) is not a state name (\(WorkflowName.rule))")
            initial = ""
        }
        var states: [String: State] = [:]
        var eventsLeft = maximumEventsInAll
        if case let .table(stateTable) = table["states"], stateTable.pairs.count > maximumStates {
            problem(lines.line(ofTopLevel: "states"), "states: \(stateTable.pairs.count) states; a definition has at most \(maximumStates)")
        } else if case let .table(stateTable) = table["states"] {
            for (key, value) in stateTable.pairs {
                guard let stateName = key.stringValue else { problem(nil, "states: every key is a state name"); continue }
                guard WorkflowName.isValid(stateName) else {
                    problem(nil, "states: \(WorkflowName.shown(stateName)) is not a state name (\(WorkflowName.rule))")
                    continue
                }
                // A state built elsewhere (`local states = {…}`, a lib function) is found by its text.
                let line = lines.line(at: ["states", stateName]) ?? lines.line(ofKey: stateName, after: lines.line(ofTopLevel: "states"))
                    ?? lines.line(ofKey: stateName)
                guard case let .table(fields) = value else { problem(line, "state \(stateName) is not a table"); continue }
                states[stateName] = readState(stateName, fields, line: line, lines: lines, eventsLeft: &eventsLeft, problem: problem)
            }
        } else {
            problem(lines.line(ofTopLevel: "states") ?? 1, "the definition has no states = { … }")
        }
        return WorkflowDefinition(name: name, title: title, kinds: kinds, initial: initial,
                                  states: states, timerEvents: lines.firedEvents)
    }

    private static func readState(_ name: String, _ fields: LuaTable, line: Int?, lines: SourceLines, eventsLeft: inout Int,
                                  problem: (Int?, String) -> Void) -> State {
        var events: [String: Event] = [:]
        if case let .table(on) = fields["on"], on.pairs.count > min(maximumEvents, eventsLeft) {
            problem(line, "state \(name): \(on.pairs.count) events; a state has at most \(maximumEvents), "
                    + "a definition \(maximumEventsInAll) in all")
            eventsLeft = 0
        } else if case let .table(on) = fields["on"] {
            eventsLeft -= on.pairs.count
            for (key, value) in on.pairs {
                guard let eventName = key.stringValue else { problem(line, "state \(name): every key of on = { … } is an event name"); continue }
                guard WorkflowName.isValid(eventName) else {
                    problem(line, "state \(name): \(WorkflowName.shown(eventName)) is not an event name (\(WorkflowName.rule))")
                    continue
                }
                // By text only after the state's own line: another state's event of that name is not it.
                let eventLine = lines.line(at: [name, "on", eventName]) ?? line.flatMap { lines.line(ofKey: eventName, after: $0) }
                guard case let .table(spec) = value else { problem(eventLine, "event \(eventName) of \(name) is not a table"); continue }
                let what = "event \(eventName) of \(name)"
                switch spec["to"] {
                case .string, .table: break
                default: problem(eventLine, "\(what) has no to = \"STATE\"")
                }
                let targets = strings(spec["to"], "\(what): to", line: eventLine, problem: problem).filter { target in
                    guard WorkflowName.isValid(target) else {
                        problem(eventLine, "\(what) goes to \(WorkflowName.shown(target)), which is not a state name (\(WorkflowName.rule))")
                        return false
                    }
                    return true
                }
                if case .table = spec["to"], targets.isEmpty {
                    problem(eventLine, "\(what) lists no state in to = { … } (its entries are read as written, 1…n)")
                }
                var outcome = spec["outcome"].stringValue
                if let given = outcome, !WorkflowName.isValid(given) {
                    problem(eventLine, "\(what): outcome = \(WorkflowName.shown(given)) is not a name (\(WorkflowName.rule))")
                    outcome = nil
                }
                let hasRoute = isFunction(spec["route"])
                if targets.count > 1 && !hasRoute {
                    problem(eventLine, "event \(eventName) of \(name) lists several targets but has no route = function(a, ctx)")
                }
                events[eventName] = Event(name: eventName, targets: targets, hasRoute: hasRoute,
                                          roles: strings(spec["roles"], "\(what): roles", line: eventLine, problem: problem),
                                          requires: strings(spec["requires"], "\(what): requires", line: eventLine, problem: problem),
                                          hasGuard: isFunction(spec["guard"]), outcome: outcome, line: eventLine)
            }
        }
        var deadline: Deadline?
        if case let .table(spec) = fields["deadline"] {
            let deadlineLine = lines.line(at: [name, "deadline"]) ?? lines.line(ofKey: "deadline", after: line)
            let event = spec["fire"].stringValue ?? ""
            if let period = Period.read(days: spec["days"], workdays: spec["workdays"], least: 1) {
                deadline = Deadline(period: period, event: event)
            } else {
                problem(deadlineLine, "the deadline of \(name) needs \(Period.rule(least: 1))")
            }
            if event.isEmpty { problem(deadlineLine, "the deadline of \(name) has no fire = \"EVENT\"") }
            if !event.isEmpty && !WorkflowName.isValid(event) {
                problem(deadlineLine, "the deadline of \(name) fires \(WorkflowName.shown(event)), which is not an event name (\(WorkflowName.rule))")
                deadline = nil
            }
        }
        var stage = fields["stage"].stringValue ?? name
        var status = fields["status"].stringValue
        for (field, value) in [("stage", stage), ("status", status ?? "")] where !value.isEmpty && !WorkflowName.isValid(value) {
            problem(line, "state \(name): \(field) = \(WorkflowName.shown(value)) is not a name (\(WorkflowName.rule))")
            if field == "stage" { stage = name } else { status = nil }
        }
        return State(name: name, stage: stage, status: status,
                     isFinal: fields["final"] == .boolean(true), events: events, deadline: deadline,
                     hasOnEnter: isFunction(fields["on_enter"]), hasOnExit: isFunction(fields["on_exit"]), line: line)
    }

    private static func isFunction(_ value: LuaValue) -> Bool {
        if case .function = value { return true }
        return false
    }

    /// A string, or a list of them, of at most `maximumList` entries (`what` names it for the problem).
    private static func strings(_ value: LuaValue, _ what: String, line: Int?, problem: (Int?, String) -> Void) -> [String] {
        switch value {
        case let .table(list) where list.pairs.count > maximumList:
            problem(line, "\(what): \(list.pairs.count) entries; a list here has at most \(maximumList)")
            return []
        case let .table(list): return list.sequence.compactMap(\.stringValue)
        case .string: return value.stringValue.map { [$0] } ?? []
        default: return []
        }
    }
}

extension Period {
    /// A period read from a table's `days = N` or `workdays = N`: exactly one of them, a whole
    /// number from `least` to the maximum; nil otherwise.
    static func read(days: LuaValue, workdays: LuaValue, least: Int) -> Period? {
        switch (days, workdays) {
        case let (.integer(count), .nil) where (Int64(least)...Int64(maximumDays)).contains(count): return .days(Int(count))
        case let (.nil, .integer(count)) where (Int64(least)...Int64(maximumWorkdays)).contains(count): return .workdays(Int(count))
        default: return nil
        }
    }
}
