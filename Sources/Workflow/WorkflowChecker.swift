import Agreements
import Foundation

/// A defect `workflow check` found, where it is: `file:line: message` (a warning says so).
public struct WorkflowDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: WorkflowProblem

    public init(file: String, problem: WorkflowProblem) {
        self.file = file
        self.problem = problem
    }

    public var isWarning: Bool { problem.isWarning }
    public var description: String { file + (problem.line.map { ":\($0)" } ?? "") + ": \(problem)" }
}

/// What `workflow check` finds wrong with a definition before any agreement runs on it: the
/// mistakes that would otherwise surface only when an agreement gets stuck, or a clock fires
/// into nothing, months later.
///
/// Lua-free: it reads the structure (`WorkflowDefinition`), the source's lines (`SourceLines`)
/// and the workspace's roles and holidays. Errors: no kind in `applies_to`; an unknown
/// `initial`; an event to an unknown state; an unreachable state; a dead end; a final state with
/// events; an event no role and no clock fires; a deadline or timer firing an unknown event; an
/// unknown document kind, role, stage or status. Warning: a period in hari kerja that can run
/// into a year whose holidays `sinergi.lua` does not list, or lists too few of (they would count
/// as working days).
///
///     let checker = WorkflowChecker(declaredRoles: ["bappeda"], holidays: holidays, today: today)
///     let diagnostics = checker.check(workflow, libFolder: workflows.appendingPathComponent("lib"))
public struct WorkflowChecker: Sendable {
    /// The roles `sinergi.lua` declares beyond `Role.builtIn`.
    public var declaredRoles: Set<String>
    public var holidays: Set<LocalDate>
    /// Where periods counted in working days start at the earliest.
    public var today: LocalDate

    public init(declaredRoles: Set<String>, holidays: Set<LocalDate>, today: LocalDate) {
        self.declaredRoles = declaredRoles
        self.holidays = holidays
        self.today = today
    }

    /// Every defect of `workflow` — the shape problems found reading it included — each where it
    /// is written: the definition's file, or the `lib` module (a file of `libFolder`) that builds
    /// the part; the definition's own first, each file's by line.
    public func check(_ workflow: LoadedWorkflow, libFolder: URL) -> [WorkflowDiagnostic] {
        let map = WorkflowSourceMap(workflow, libFolder: libFolder)
        var found = workflow.problems.map { WorkflowDiagnostic(file: map.definition.file, problem: $0) }
        found += structureProblems(of: workflow.definition, map: map, timerEvents: workflow.clockEvents)
        for source in map.sources {
            found += timerProblems(of: workflow.definition, lines: source.lines).map { WorkflowDiagnostic(file: source.file, problem: $0) }
        }
        let order = Dictionary(map.sources.enumerated().map { ($1.file, $0) }) { first, _ in first }
        return found.sorted {
            (order[$0.file] ?? order.count, $0.problem.line ?? Int.max, $0.problem.message)
                < (order[$1.file] ?? order.count, $1.problem.line ?? Int.max, $1.problem.message)
        }
    }

    /// The structure's defects: initial, states and their events.
    func structureProblems(of definition: WorkflowDefinition, map: WorkflowSourceMap, timerEvents: Set<String>) -> [WorkflowDiagnostic] {
        var found: [WorkflowDiagnostic] = []
        func error(_ at: WorkflowSourceMap.Location, _ message: String) {
            found.append(WorkflowDiagnostic(file: at.file, problem: WorkflowProblem(line: at.line, message: message)))
        }
        if definition.kinds.isEmpty {
            error(.init(file: map.definition.file, line: map.definition.lines.line(ofTopLevel: "applies_to") ?? 1),
                  "applies_to names no kind of agreement: none can run on it (applies_to = { kind = \"ksdd\" }, or a list of kinds)")
        }
        // Named in every message about an unknown state: the first few, so no message grows with the track.
        let ordered = definition.orderedStateNames
        let stateList = "states: " + ordered.prefix(20).joined(separator: ", ") + (ordered.count > 20 ? ", … (\(ordered.count) in all)" : "")
        let initialKnown = definition.states[definition.initial] != nil
        if !definition.initial.isEmpty && !initialKnown {
            error(.init(file: map.definition.file, line: map.definition.lines.line(ofTopLevel: "initial")),
                  "initial = \"\(definition.initial)\" is not a state (\(stateList))")
        }
        // Each way into a part no event reaches is named once, with what lies only beyond it.
        let unreachable = initialKnown ? WorkflowChecker.unreachableEntries(in: definition) : [:]
        for name in definition.orderedStateNames {
            guard let state = definition.states[name] else { continue }
            let at = map.state(name, read: state.line)
            if state.isFinal && !state.events.isEmpty {
                error(map.field([name, "on"], otherwise: at), "final state \(name) has events (\(state.eventNames.joined(separator: ", "))): "
                      + "a final state ends the track; remove its on = { … } or its final = true")
            }
            if !state.isFinal && state.events.isEmpty {
                error(at, "state \(name) is not final and has no events: an agreement entering it is stuck "
                      + "(add on = { EVENT = { to = … } }, or final = true)")
            }
            if let beyond = unreachable[name] {
                error(at, "state \(name) cannot be reached from the initial state \(definition.initial): no event of a reachable state "
                      + "leads to it" + (beyond.isEmpty ? "" : " (nor can the states beyond it: \(beyond.joined(separator: ", ")))"))
            }
            for (field, message) in stageProblems(of: state, kinds: definition.kinds) {
                let value = field == "stage" ? state.stage : state.status ?? ""
                error(map.value(value, at: [name, field], otherwise: at), message)
            }
            // A deadline a helper writes for several states is found by the event it fires.
            let deadlineAt = map.field([name, "deadline"], otherwise: state.deadline.map {
                map.value($0.event, at: ["deadline", "fire"], otherwise: at)
            } ?? at)
            if let deadline = state.deadline, case let .workdays(count) = deadline.period,
               let warning = holidayWarning(count, line: deadlineAt.line, what: "the deadline of \(name)") {
                found.append(WorkflowDiagnostic(file: deadlineAt.file, problem: warning))
            }
            if let deadline = state.deadline, !deadline.event.isEmpty, state.events[deadline.event] == nil {
                error(map.value(deadline.event, at: [name, "deadline", "fire"], otherwise: deadlineAt),
                      "the deadline of \(name) fires \(deadline.event), which is not an event of \(name) "
                      + "(its events: \(state.eventNames.isEmpty ? "none" : state.eventNames.joined(separator: ", ")))")
            }
            for eventName in state.eventNames {
                guard let event = state.events[eventName] else { continue }
                let eventAt = map.field([name, "on", eventName], otherwise: .init(file: map.definition.file, line: event.line))
                for (value, field, message) in eventProblems(event, in: definition, timerEvents: timerEvents, stateList: stateList) {
                    let located = value.flatMap { value in field.map { map.value(value, at: [name, "on", eventName, $0], otherwise: eventAt) } }
                    error(located ?? eventAt, "event \(eventName) of \(name) " + message)
                }
            }
        }
        return found
    }

    /// An event's defects, each with the value and field it is about (nil: the event itself).
    private func eventProblems(_ event: WorkflowDefinition.Event, in definition: WorkflowDefinition, timerEvents: Set<String>,
                               stateList: String) -> [(value: String?, field: String?, message: String)] {
        var found: [(String?, String?, String)] = []
        for target in event.targets where definition.states[target] == nil {
            found.append((target, "to", "goes to \(target), which is not a state (\(stateList))"))
        }
        if event.roles.isEmpty && !timerEvents.contains(event.name) {
            found.append((nil, nil, "has no roles and no deadline or timer fires it: nobody can fire it "
                          + "(give it roles = { … }, or fire it from a deadline or ctx.timer{ fire = \"\(event.name)\" })"))
        }
        for role in event.roles where !Role.isKnown(role, declared: declaredRoles) {
            found.append((role, "roles", "names the role \(WorkflowName.bounded(role, limit: 60)), which is neither built in (\(Role.builtIn.joined(separator: ", ")), pd:NAME) "
                          + "nor declared in sinergi.lua's roles { … }"))
        }
        for kind in event.requires where DocumentKind(rawValue: kind) == nil {
            found.append((kind, "requires", "requires \(WorkflowName.bounded(kind, limit: 60)), which is not a document kind "
                          + "(\(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        return found
    }

    /// A stage an agreement of one of the kinds cannot be at (the store refuses it), and a status
    /// that is none; each with its field.
    private func stageProblems(of state: WorkflowDefinition.State, kinds: [String]) -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        let lacking = kinds.compactMap(Kind.init(rawValue:)).filter { !$0.stages.contains(state.stage) }
        if let first = lacking.first {
            let whence = state.stage == state.name ? " (a state's stage is its name unless it says stage = \"…\")" : ""
            found.append(("stage", "state \(state.name) is at stage \(state.stage)\(whence), which is not a stage of "
                          + lacking.map(\.rawValue).joined(separator: " or ") + ": the store would refuse it "
                          + "(stages of \(first.rawValue): \(first.stages.joined(separator: ", ")))"))
        }
        if let status = state.status, Status(rawValue: status) == nil {
            found.append(("status", "state \(state.name) sets status \(status), which is not a status "
                          + "(\(Status.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        return found
    }
}

extension LoadedWorkflow {
    /// The events a clock fires: deadlines', and every literal `fire = "EVENT"` of the definition
    /// and of the `lib` modules it requires (`ctx.timer{…}` calls there).
    public var clockEvents: Set<String> {
        var events = definition.timerEvents.union(definition.states.values.compactMap { $0.deadline?.event })
        for source in files.modules.values { events.formUnion(SourceLines(source).firedEvents) }
        return events
    }
}
