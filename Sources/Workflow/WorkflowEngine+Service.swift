import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store

/// The Lua API's view of the engine (`a:fire`, `a:workflow()`, `a:events()`, `a:history()`,
/// `tasks.pending{…}`, `workflows.get(…)`).
extension WorkflowEngine: WorkflowService {
    public func fire(agreementId: Int64, event: String, note: String?, actor: User, in unit: StoreUnit) throws -> String {
        try fire(agreementId: agreementId, event: event, note: note, actor: actor, expectedState: nil, in: unit)
    }

    public func status(agreementId: Int64, in unit: StoreUnit) throws -> LuaValue {
        guard let instance = try store.instance(of: agreementId, in: unit) else { return .nil }
        return record(["name": .text(instance.workflow), "version": .text(WorkflowFiles.short(instance.version)),
                       "state": .text(instance.state), "since": .text(instance.since)])
    }

    public func events(agreementId: Int64, actor: User?, in unit: StoreUnit) throws -> LuaValue {
        let possible = try possibleEvents(agreementId: agreementId, actor: actor, in: unit)
        return .table(LuaTable(sequence: possible.map { event in
            record(["name": .text(event.event.name), "to": .text(event.event.targets.joined(separator: "|")),
                    "roles": .table(LuaTable(sequence: event.event.roles.map { .text($0) })), "allowed": .boolean(event.allowed)])
        }))
    }

    public func history(agreementId: Int64, in unit: StoreUnit, charge: (Int) throws -> Void) throws -> LuaValue {
        var lines: [LuaValue] = []
        try store.history(of: agreementId, in: unit) { line in
            try charge(Self.footprint(of: [line.at, line.actor, line.event, line.from, line.to, line.outcome, line.note]))
            var entry = fields(["at": .text(line.at), "actor": .text(line.actor), "kind": .text(line.kind.rawValue)])
            for (key, value) in [("event", line.event), ("from", line.from), ("to", line.to), ("outcome", line.outcome), ("note", line.note)] {
                if let value { entry[key] = .text(value) }
            }
            lines.append(.table(entry))
        }
        return .table(LuaTable(sequence: lines))
    }

    /// What the host holds for one record it builds for a script, to charge against the
    /// script's cap: its texts twice (read, then as Lua values) and a table's overhead.
    static func footprint(of texts: [String?]) -> Int {
        texts.reduce(256) { $0 + 2 * ($1?.utf8.count ?? 0) + 32 }
    }

    public func pendingTasks(role: String?, user: String?, in unit: StoreUnit, charge: (Int) throws -> Void) throws -> LuaValue {
        var roles: [String]?
        if let role {
            // SQLite's text binding would end the role at NUL and list the tasks of what precedes it.
            guard !role.utf8.contains(0) else { throw DomainError.validation("tasks.pending: a role holds no NUL character") }
            roles = [role]
        }
        var holder: User?
        if let user {
            guard let found = workspace.configuration.users.first(where: { $0.id == user }) else {
                throw DomainError.notFound("tasks.pending: no user \(WorkflowName.shown(user)) in sinergi.lua's users{…}")
            }
            holder = found
        }
        let tasks = try openTasks(roles: roles, for: holder, in: unit, charge: charge)
        return .table(LuaTable(sequence: tasks.map { task in
            record(["id": .integer(task.record.id), "agreement": .text(task.number), "state": .text(task.record.state),
                    "role": .text(task.record.role), "events": .table(LuaTable(sequence: task.record.events.map { .text($0) })),
                    "opened_at": .text(task.record.openedAt)])
        }))
    }

    public func definition(named name: String) throws -> LuaValue {
        let workflow = try catalog.current(name)
        let definition = workflow.definition
        var states = LuaTable()
        for state in definition.states.values {
            var on = LuaTable()
            for event in state.events.values {
                on[.text(event.name)] = record(["to": event.targets.count == 1 ? .text(event.targets[0])
                                                    : .table(LuaTable(sequence: event.targets.map { .text($0) })),
                                                "roles": .table(LuaTable(sequence: event.roles.map { .text($0) }))])
            }
            var entry = fields(["on": .table(on), "stage": .text(state.stage), "final": .boolean(state.isFinal)])
            if let deadline = state.deadline {
                switch deadline.period {
                case .days(let days): entry["deadline"] = record(["days": .integer(Int64(days)), "fire": .text(deadline.event)])
                case .workdays(let days): entry["deadline"] = record(["workdays": .integer(Int64(days)), "fire": .text(deadline.event)])
                }
            }
            states[.text(state.name)] = .table(entry)
        }
        return record(["name": .text(definition.name), "title": .text(definition.title),
                       "version": .text(WorkflowFiles.short(workflow.version)), "initial": .text(definition.initial),
                       "states": .table(states)])
    }

    public func unitEnded(writing: (_ body: (StoreUnit) throws -> Void) throws -> Void) {
        guard !refusals.isEmpty else { return }
        let pending = refusals
        refusals = []
        // A unit of its own, after the one that was refused: kept even when that one rolled back.
        try? writing { unit in
            for line in pending { try store.record(line, in: unit) }
        }
    }

    /// The events of the agreement's state, and whether `actor` may fire each.
    public func possibleEvents(agreementId: Int64, actor: User?, in unit: StoreUnit) throws
        -> [(event: WorkflowDefinition.Event, allowed: Bool)] {
        guard let instance = try store.instance(of: agreementId, in: unit),
              let state = try catalog.pinned(instance.version, in: unit).definition.states[instance.state],
              let agreement = try workspace.agreements.agreement(id: agreementId, in: unit) else { return [] }
        return state.eventNames.compactMap { name in
            guard let event = state.events[name] else { return nil }
            let allowed = actor.map { WorkflowRoles.allows($0, toFire: event, agreement: agreement, directory: workspace.configuration.agencies) } ?? false
            return (event, allowed)
        }
    }

    /// Open tasks of `roles` (all when nil), or those a user may act on, with the agreement's number.
    ///
    /// Read task by task, each charged (`charge`) before it is kept, with the agreements it needs
    /// (its number and lead agency) read once each: a script's `tasks.pending{}` holds nothing
    /// outside its memory cap, however many tasks are open.
    public func openTasks(roles: [String]? = nil, for user: User? = nil, in unit: StoreUnit,
                          charge: (Int) throws -> Void = { _ in }) throws -> [(record: WorkflowTaskRecord, number: String)] {
        var agreements: [Int64: (number: String, leadAgency: String)] = [:]
        var tasks: [(record: WorkflowTaskRecord, number: String)] = []
        try store.openTasks(roles: roles, in: unit) { task in
            try charge(Self.footprint(of: [task.state, task.role, task.openedAt] + task.events))
            if agreements[task.agreementId] == nil, let agreement = try workspace.agreements.agreement(id: task.agreementId, in: unit) {
                try charge(Self.footprint(of: [agreement.number, agreement.leadAgency]))
                agreements[task.agreementId] = (agreement.number, agreement.leadAgency)
            }
            let agreement = agreements[task.agreementId]
            if let user, !user.isAdmin, !WorkflowRoles.allows(user, role: task.role, leadAgency: agreement?.leadAgency,
                                                             directory: workspace.configuration.agencies) { return }
            tasks.append((task, agreement?.number ?? String(task.agreementId)))
        }
        return tasks
    }
}

/// A Lua record (string keys) as a value, and as a table to extend.
func record(_ pairs: KeyValuePairs<String, LuaValue>) -> LuaValue { .table(fields(pairs)) }
func fields(_ pairs: KeyValuePairs<String, LuaValue>) -> LuaTable {
    LuaTable(pairs: pairs.map { (key: LuaValue.text($0.key), value: $0.value) })
}
