import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store

/// Who fires what, from where to where: what `ctx` tells guards and actions.
struct TransitionContext {
    var actor: User
    var event: String?
    var note: String?
    var from: String?
    /// Where the transition goes, once its target is chosen; setting it drops the `ctx` made so far.
    var to: String? { didSet { table = nil } }
    var outcome: String?
    /// The `ctx` made of these at the first call that needed it, handed to the calls after it
    /// (on_exit's to on_enter's): each call still gets a fresh Lua table of the same pairs.
    var table: LuaValue?
}

extension WorkflowEngine {
    /// Fires `event` on the agreement's instance as `actor`, in `unit`. With `expectedState`, a
    /// fire prepared against that state (a task, a CLI command that looked first) is refused
    /// when another transition moved the instance meanwhile — nothing changes, and the event is
    /// not fired in the new state. Returns the state entered.
    @discardableResult
    public func fire(agreementId: Int64, event: String, note: String? = nil, actor: User, expectedState: String? = nil,
                     in unit: StoreUnit) throws -> String {
        try fire(agreementId: agreementId, event: event, note: note, actor: actor, expectedState: expectedState, in: unit, savepoint: true)
    }

    /// `fire`, in a savepoint of its own unless the caller's unit already is this one fire, kept
    /// whole or not at all (the tick's savepoint per timer), where one more would only add two
    /// statements. `instance` is the agreement's workflow instance when the caller read it in
    /// this unit with nothing run since (a timer's fire), so it is not read again.
    func fire(agreementId: Int64, event: String, note: String?, actor: User, expectedState: String?,
              in unit: StoreUnit, savepoint: Bool, instance: WorkflowInstanceRecord? = nil) throws -> String {
        try WorkflowEngine.checkInput(event: event, note: note)
        // Whole or not at all, even when the caller goes on after the error (a script's `pcall`,
        // an action's nested fire): what the failed transition wrote is undone at once, and what
        // its Lua code did to its definition's state is dropped with the evaluated definitions.
        let calls = luaCalls
        func transitionHere() throws -> String {
            try transition(agreementId: agreementId, event: event, note: note, actor: actor, expectedState: expectedState,
                           instance: instance, in: unit)
        }
        do {
            return savepoint ? try unit.atomically(transitionHere) : try transitionHere()
        } catch {
            if luaCalls != calls { catalog.forgetEvaluated() }
            throw error
        }
    }

    private func transition(agreementId: Int64, event: String, note: String?, actor: User, expectedState: String?,
                            instance known: WorkflowInstanceRecord?, in unit: StoreUnit) throws -> String {
        guard let instance = try known ?? store.instance(of: agreementId, in: unit) else {
            let number = try workspace.agreements.agreement(id: agreementId, in: unit)?.number ?? String(agreementId)
            throw DomainError.notFound("agreement \(number) runs on no workflow; start it with `sinergi workflow start \(number)`")
        }
        if let expectedState, expectedState != instance.state {
            throw DomainError.validation("the state moved: the agreement is now in \(instance.state), not \(expectedState); "
                                         + "\(event) was not fired (see `sinergi workflow status`)")
        }
        let workflow = try catalog.pinned(instance.version, in: unit)
        try WorkflowCatalog.requireRunnable(workflow)
        guard let state = workflow.definition.states[instance.state] else {
            throw DomainError.validation("workflow \(instance.workflow)@\(WorkflowFiles.short(instance.version)) has no state \(instance.state); "
                                         + "move the instance with `sinergi workflow migrate`")
        }
        guard let spec = state.events[event] else {
            let possible = state.eventNames.isEmpty ? "none: it is final" : state.eventNames.joined(separator: ", ")
            throw DomainError.validation("\(event) is not an event of state \(instance.state) (possible now: \(possible))")
        }
        // Documents are read when the event requires some, or when a script asks for them.
        let documentsRead = !spec.requires.isEmpty
        guard let agreement = try workspace.agreements.agreement(id: agreementId, withDocuments: documentsRead, in: unit) else {
            throw DomainError.notFound("no agreement with id \(agreementId)")
        }
        let writesAtRead = try unit.writeCount()
        // Timers fire as the system actor (`User.system`), whom an event's roles do not bind.
        if actor.id != User.system.id {
            guard WorkflowRoles.allows(actor, toFire: spec, agreement: agreement, directory: workspace.configuration.agencies) else {
                recordRefusal(WorkflowHistoryRecord(agreementId: agreementId, at: timestamp, actor: actor.id, kind: .refused,
                                                    event: event, from: instance.state, note: note, version: instance.version))
                throw DomainError.permission(WorkflowRoles.refusal(actor, event: spec, state: instance.state, number: agreement.number))
            }
        }
        let attached = Set(agreement.documents.map(\.kind.rawValue))
        let missing = spec.requires.filter { !attached.contains($0) }
        if !missing.isEmpty {
            throw DomainError.validation("\(event) requires the document\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                                         + "of \(agreement.number): attach \(missing.count == 1 ? "it" : "them") first "
                                         + "(`sinergi agreement attach \(agreement.number) --kind \(missing[0]) …` or a:attach{ kind = \"\(missing[0])\", … })")
        }
        return try transitionDepth {
            var context = TransitionContext(actor: actor, event: event, note: note, from: instance.state, to: nil, outcome: spec.outcome)
            let a = try session.agreementValue(agreement, documentsRead: documentsRead)
            if spec.hasGuard {
                let verdict = try call(workflow.function(state: instance.state, event: event, "guard"), a, &context, agreementId, workflow)
                if verdict.first == nil || verdict.first == .nil || verdict.first == .boolean(false) {
                    let why = verdict.dropFirst().first?.stringValue.map { WorkflowName.bounded($0, limit: WorkflowEngine.maximumReason) }
                        ?? "its guard refused"
                    throw DomainError.validation("\(event) is refused in \(instance.state): \(why)")
                }
            }
            let target = try self.target(of: spec, workflow: workflow, state: instance.state, a: a, context: &context, agreementId: agreementId)
            guard let entered = workflow.definition.states[target] else {
                throw DomainError.validation("\(event) of \(instance.state) leads to \(target), which is not a state of \(workflow.definition.name)")
            }
            context.to = target
            if state.hasOnExit {
                _ = try call(workflow.function(state: instance.state, "on_exit"), a, &context, agreementId, workflow)
            }
            // Nothing written since the read (the guard, route and on_exit changed nothing): the
            // stage move starts from the agreement as read. The steps below write only workflow rows.
            let unchanged = try unit.writeCount() == writesAtRead ? agreement : nil
            try store.cancelDeadlines(of: agreementId, state: instance.state, in: unit)
            try store.closeTasks(of: agreementId, by: actor.id, event: event, at: timestamp, in: unit)
            guard try store.move(agreementId, from: instance.revision, to: target, since: timestamp, in: unit) else {
                throw DomainError.validation("the state moved while \(event) was being fired; nothing was changed")
            }
            moves += 1
            let line = WorkflowHistoryRecord(agreementId: agreementId, at: timestamp, actor: actor.id, kind: .transition, event: event,
                                             from: instance.state, to: target, outcome: spec.outcome, note: note, version: instance.version)
            let movesBefore = moves
            try enter(entered, of: workflow, agreementId: agreementId, context: context, recording: line, current: unchanged,
                      documentsRead: unchanged == nil || documentsRead, in: unit)
            return moves == movesBefore ? target : try store.instance(of: agreementId, in: unit)?.state ?? target
        }
    }

    /// The longest note a fire takes (and a tick keeps of a failure): notes are echoed in
    /// messages and kept in the history, so what a script or a command line passes is bounded.
    /// An event name follows `WorkflowName`.
    static let maximumNote = 4096
    /// The longest guard's reason an error repeats: it is a sentence for a person.
    static let maximumReason = 1000

    static func checkInput(event: String, note: String?) throws {
        guard WorkflowName.isValid(event) else {
            throw DomainError.validation("\(WorkflowName.shown(event, limit: 40)) is not an event name (\(WorkflowName.rule))")
        }
        if let note, note.utf8.count > maximumNote || note.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
            throw DomainError.validation("a note is at most \(maximumNote) bytes of text without control characters")
        }
    }

    /// Enters `state`: moves the agreement's stage/status and records the move's history `line`
    /// (one audit row for both), opens a task per role that may fire one of its events, sets its
    /// deadline, and runs `on_enter`.
    /// `current`, when given, is the agreement as `unit` last read it, unchanged since (its
    /// documents left unread without `documentsRead`).
    func enter(_ state: WorkflowDefinition.State, of workflow: LoadedWorkflow, agreementId: Int64, context: TransitionContext,
               recording line: WorkflowHistoryRecord, current: Agreement? = nil, documentsRead: Bool = true, in unit: StoreUnit) throws {
        let status = try state.status.map { text -> Status in
            guard let status = Status(rawValue: text) else {
                throw DomainError.validation("state \(state.name) sets status '\(text)', which is not a status (\(Status.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return status
        }
        // A terminated agreement must say why it ended (PP 28/2018 Pasal 9, 22), and a ground is
        // refused before it ends: a state that ends one records the ground in its on_enter, and
        // the whole record is checked once that has run.
        let groundFollows = status == .terminated && state.hasOnEnter
        let entered = try workspace.agreements.setProgress(of: agreementId, stage: state.stage, status: status, recording: line,
                                                           endingGroundFollows: groundFollows, current: current, in: unit)
        try openTasks(of: state, agreementId: agreementId, in: unit)
        if let deadline = state.deadline {
            try setTimer(agreementId: agreementId, name: "deadline:" + state.name, event: deadline.event, period: deadline.period,
                         from: calendar.date(of: now), state: state.name, in: unit)
        }
        if state.hasOnEnter {
            let a = try session.agreementValue(entered, documentsRead: documentsRead)
            var context = context
            _ = try call(workflow.function(state: state.name, "on_enter"), a, &context, agreementId, workflow)
        }
        if groundFollows { try workspace.agreements.requireValid(agreementId, in: unit) }
    }

    /// Opens a task for each role that may fire one of the state's events, naming those events.
    func openTasks(of state: WorkflowDefinition.State, agreementId: Int64, in unit: StoreUnit) throws {
        var roles: [String: [String]] = [:]
        for event in state.eventNames {
            for role in state.events[event]?.roles ?? [] { roles[role, default: []].append(event) }
        }
        for role in roles.keys.sorted() {
            try store.openTask(agreementId: agreementId, state: state.name, role: role, events: roles[role] ?? [], at: timestamp, in: unit)
        }
    }

    /// The state an event leads to: its one target, or what its `route` returns among its targets.
    private func target(of spec: WorkflowDefinition.Event, workflow: LoadedWorkflow, state: String, a: LuaValue,
                        context: inout TransitionContext, agreementId: Int64) throws -> String {
        guard spec.hasRoute else {
            guard let target = spec.targets.first else { throw DomainError.validation("\(spec.name) of \(state) has no to = \"STATE\"") }
            return target
        }
        let chosen = try call(workflow.function(state: state, event: spec.name, "route"), a, &context, agreementId, workflow).first ?? .nil
        guard let name = chosen.stringValue, spec.targets.contains(name) else {
            let got = chosen.stringValue.map { WorkflowName.shown($0) } ?? (chosen == .nil ? "no state" : "a \(chosen.typeName)")
            let at = spec.line.map { " (\(workflow.files.chunkName):\($0))" } ?? ""
            throw DomainError.validation("the route of \(spec.name) in \(state)\(at) returned \(got); "
                                         + "it must return one of \(spec.targets.joined(separator: ", "))")
        }
        return name
    }

    /// Calls a definition's function with `(a, ctx)` within the transition budget; `ctx` is made
    /// once per `context` (kept in it for the next call).
    func call(_ function: LuaValue, _ a: LuaValue, _ context: inout TransitionContext, _ agreementId: Int64,
              _ workflow: LoadedWorkflow) throws -> [LuaValue] {
        let ctx = try context.table ?? contextTable(context, workflow: workflow)
        context.table = ctx
        frames.append(Frame(agreementId: agreementId, workflow: workflow, actor: context.actor))
        defer { frames.removeLast() }
        luaCalls += 1
        return try session.sandbox.modules.answering(with: workflow.runtimeModules) {
            try session.call(function, [a, ctx], limits: limits)
        }
    }
}
