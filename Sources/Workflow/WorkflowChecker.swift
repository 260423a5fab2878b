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
/// and the workspace's roles and holidays. Errors: an unknown `initial`; an event to an unknown
/// state; an unreachable state; a dead end; a final state with events; an event no role and no
/// clock fires; a deadline or timer firing an unknown event; an unknown document kind, role,
/// stage or status. Warning: a period in hari kerja that can run into a year whose holidays
/// `sinergi.lua` does not list (they would count as working days).
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

    /// Every defect of `workflow` — the shape problems found reading it included — the
    /// definition's own first, by line, then those in the `lib` modules it requires (whose files
    /// are in `libFolder`).
    public func check(_ workflow: LoadedWorkflow, libFolder: URL) -> [WorkflowDiagnostic] {
        let definition = workflow.definition
        let lines = SourceLines(workflow.files.source)
        var modules: [(file: String, lines: SourceLines)] = []
        for name in workflow.files.modules.keys.sorted() {
            let file = libFolder.appendingPathComponent(name.replacingOccurrences(of: ".", with: "/") + ".lua").path
            modules.append((file, SourceLines(workflow.files.modules[name] ?? [])))
        }
        let timerEvents = workflow.clockEvents

        var own = workflow.problems + problems(of: definition, lines: lines, timerEvents: timerEvents)
        own += clockProblems(of: definition, lines: lines, includeDeadlines: true)
        var diagnostics = WorkflowChecker.sorted(own).map { WorkflowDiagnostic(file: workflow.files.chunkName, problem: $0) }
        for module in modules {
            let found = clockProblems(of: definition, lines: module.lines, includeDeadlines: false)
            diagnostics += WorkflowChecker.sorted(found).map { WorkflowDiagnostic(file: module.file, problem: $0) }
        }
        return diagnostics
    }

    static func sorted(_ problems: [WorkflowProblem]) -> [WorkflowProblem] {
        problems.sorted { ($0.line ?? Int.max, $0.message) < ($1.line ?? Int.max, $1.message) }
    }

    /// The structure's defects: initial, states and their events.
    func problems(of definition: WorkflowDefinition, lines: SourceLines, timerEvents: Set<String>) -> [WorkflowProblem] {
        var found: [WorkflowProblem] = []
        func error(_ line: Int?, _ message: String) { found.append(WorkflowProblem(line: line, message: message)) }
        let stateList = "states: " + definition.orderedStateNames.joined(separator: ", ")
        let initialKnown = definition.states[definition.initial] != nil
        if !definition.initial.isEmpty && !initialKnown {
            error(lines.line(ofTopLevel: "initial"), "initial = \"\(definition.initial)\" is not a state (\(stateList))")
        }
        let reachable = WorkflowChecker.reachable(from: definition.initial, in: definition)
        for name in definition.orderedStateNames {
            guard let state = definition.states[name] else { continue }
            if state.isFinal && !state.events.isEmpty {
                error(lines.line(at: [name, "on"]) ?? state.line, "final state \(name) has events (\(state.eventNames.joined(separator: ", "))): "
                      + "a final state ends the track; remove its on = { … } or its final = true")
            }
            if !state.isFinal && state.events.isEmpty {
                error(state.line, "state \(name) is not final and has no events: an agreement entering it is stuck "
                      + "(add on = { EVENT = { to = … } }, or final = true)")
            }
            if initialKnown && !reachable.contains(name) {
                error(state.line, "state \(name) cannot be reached from the initial state \(definition.initial): no event leads to it")
            }
            found += stageProblems(of: state, kinds: definition.kinds, lines: lines)
            if let deadline = state.deadline, !deadline.event.isEmpty, state.events[deadline.event] == nil {
                error(lines.line(ofValue: deadline.event, at: [name, "deadline", "fire"]) ?? lines.line(at: [name, "deadline"]) ?? state.line,
                      "the deadline of \(name) fires \(deadline.event), which is not an event of \(name) "
                      + "(its events: \(state.eventNames.isEmpty ? "none" : state.eventNames.joined(separator: ", ")))")
            }
            for eventName in state.eventNames {
                guard let event = state.events[eventName] else { continue }
                found += eventProblems(event, of: name, in: definition, lines: lines, timerEvents: timerEvents, stateList: stateList)
            }
        }
        return found
    }

    private func eventProblems(_ event: WorkflowDefinition.Event, of state: String, in definition: WorkflowDefinition,
                               lines: SourceLines, timerEvents: Set<String>, stateList: String) -> [WorkflowProblem] {
        var found: [WorkflowProblem] = []
        let path = [state, "on", event.name]
        func error(_ value: String?, _ field: String?, _ message: String) {
            let line = value.flatMap { value in field.flatMap { lines.line(ofValue: value, at: path + [$0]) } }
            found.append(WorkflowProblem(line: line ?? event.line, message: "event \(event.name) of \(state) " + message))
        }
        for target in event.targets where definition.states[target] == nil {
            error(target, "to", "goes to \(target), which is not a state (\(stateList))")
        }
        if event.roles.isEmpty && !timerEvents.contains(event.name) {
            error(nil, nil, "has no roles and no deadline or timer fires it: nobody can fire it "
                  + "(give it roles = { … }, or fire it from a deadline or ctx.timer{ fire = \"\(event.name)\" })")
        }
        for role in event.roles where !Role.isKnown(role, declared: declaredRoles) {
            error(role, "roles", "names the role \(role), which is neither built in (\(Role.builtIn.joined(separator: ", ")), pd:NAME) "
                  + "nor declared in sinergi.lua's roles { … }")
        }
        for kind in event.requires where DocumentKind(rawValue: kind) == nil {
            error(kind, "requires", "requires \(kind), which is not a document kind "
                  + "(\(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return found
    }

    /// A stage an agreement of one of the kinds cannot be at (the store refuses it), and a
    /// status that is none.
    private func stageProblems(of state: WorkflowDefinition.State, kinds: [String], lines: SourceLines) -> [WorkflowProblem] {
        var found: [WorkflowProblem] = []
        let lacking = kinds.compactMap(Kind.init(rawValue:)).filter { !$0.stages.contains(state.stage) }
        if let first = lacking.first {
            let named = lines.line(ofValue: state.stage, at: [state.name, "stage"])
            let whence = named == nil ? " (a state's stage is its name unless it says stage = \"…\")" : ""
            found.append(WorkflowProblem(line: named ?? state.line, message:
                "state \(state.name) is at stage \(state.stage)\(whence), which is not a stage of "
                + lacking.map(\.rawValue).joined(separator: " or ") + ": the store would refuse it "
                + "(stages of \(first.rawValue): \(first.stages.joined(separator: ", ")))"))
        }
        if let status = state.status, Status(rawValue: status) == nil {
            found.append(WorkflowProblem(line: lines.line(ofValue: status, at: [state.name, "status"]) ?? state.line, message:
                "state \(state.name) sets status \(status), which is not a status (\(Status.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        return found
    }

    /// The states some chain of events leads to from `initial` (every target of a route counts).
    static func reachable(from initial: String, in definition: WorkflowDefinition) -> Set<String> {
        var seen: Set<String> = []
        var queue = [initial]
        while let name = queue.popLast() {
            guard let state = definition.states[name], seen.insert(name).inserted else { continue }
            for event in state.events.values { queue += event.targets }
        }
        return seen
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
