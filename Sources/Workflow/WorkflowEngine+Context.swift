import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store

extension WorkflowEngine {
    /// The `ctx` a guard, route or action receives: who, when, which event, from and to where,
    /// the note, the workspace's workflow settings, and `timer`, `cancel` and `notify`, which
    /// write in the transition's unit of work, about the agreement of the call under way.
    func contextTable(_ context: TransitionContext, workflow: LoadedWorkflow) throws -> LuaValue {
        // Its pairs listed straight, each key once: `LuaTable`'s setter searches the pairs
        // before each insert. The keys are made once per engine: each text is an array.
        let shared = contextFunctions
        let key = shared.keys
        var pairs: [(key: LuaValue, value: LuaValue)] = []
        pairs.reserveCapacity(14)
        func add(_ key: LuaValue, _ value: LuaValue) { pairs.append((key: key, value: value)) }
        func add(_ key: LuaValue, _ text: String?) { if let text { add(key, .text(text)) } }
        add(key.actor, context.actor.id)
        add(key.now, timestamp)
        add(key.today, try todayValue())
        add(key.event, context.event)
        add(key.note, context.note)
        add(key.from, context.from)
        add(key.to, context.to)
        add(key.outcome, context.outcome)
        add(key.workflow, workflow.definition.name)
        add(key.settings, shared.settings)
        add(key.timer, shared.timer)
        add(key.cancel, shared.cancel)
        add(key.notify, shared.notify)
        return .table(LuaTable(pairs: pairs))
    }

    /// `ctx.today`: the date value of the transition's day, made once for each day.
    private func todayValue() throws -> LuaValue {
        let date = calendar.date(of: now)
        if let today, today.date == date { return today.value }
        let value = try session.dateValue(date)
        today = (date, value)
        return value
    }

    /// What every `ctx` shares, made once per engine: the settings and the three functions, which
    /// act on the call under way (`frames.last`) and refuse to work outside one.
    func makeContextFunctions() -> ContextFunctions {
        var settings = LuaTable()
        for (key, value) in workspace.configuration.workflows.values { settings[.text(key)] = .text(value) }
        if settings["dprd_days"] == .nil { settings["dprd_days"] = .text("days") }
        if settings["dprd_first_day"] == .nil { settings["dprd_first_day"] = .text("after_receipt") }
        let timer = session.function(named: "ctx.timer") { [unowned self] call in
            let frame = try currentFrame()
            try self.timerCall(try call.table(1), agreementId: frame.agreementId, workflow: frame.workflow)
            return 0
        }
        let cancel = session.function(named: "ctx.cancel") { [unowned self] call in
            let frame = try currentFrame()
            call.push(boolean: try store.cancelTimer(of: frame.agreementId, named: try call.string(1), in: try currentUnit()))
            return 1
        }
        // The scripts' notify{…}, queued in the transition's unit (rolled back with it), about `a`.
        let notify = session.function(named: "ctx.notify", NotifyFunction.body { [unowned self] in
            let frame = try currentFrame()
            return NotifyScope(workspace: workspace, actor: frame.actor, timestamp: timestamp, unit: try currentUnit(),
                               agreementId: frame.agreementId)
        })
        return ContextFunctions(settings: .table(settings), timer: timer, cancel: cancel, notify: notify)
    }

    /// The call of a definition's function under way.
    func currentFrame() throws -> Frame {
        guard let frame = frames.last else { throw DomainError.validation("ctx functions work only while their transition runs") }
        return frame
    }

    /// `ctx.timer{ name=, days=N | workdays=N, from=date, fire=EVENT }` or
    /// `ctx.timer{ name=, after_field="ends_on", fire=EVENT }`.
    private func timerCall(_ spec: LuaTable, agreementId: Int64, workflow: LoadedWorkflow) throws {
        // A name follows the rule of every workflow name (so never a deadline's `deadline:STATE`).
        guard let name = spec["name"].stringValue, WorkflowName.isValid(name) else {
            let given = spec["name"].stringValue.map { " (not \(WorkflowName.shown($0)))" } ?? ""
            throw DomainError.validation("ctx.timer: name = \"…\" is required: \(WorkflowName.rule)\(given)")
        }
        guard let event = spec["fire"].stringValue, !event.isEmpty else { throw DomainError.validation("ctx.timer \(name): fire = \"EVENT\" is required") }
        guard workflow.definition.states.values.contains(where: { $0.events[event] != nil }) else {
            throw DomainError.validation("ctx.timer \(name): \(WorkflowName.shown(event)) is not an event of any state of \(workflow.definition.name)")
        }
        let unit = try currentUnit()
        if let field = spec["after_field"].stringValue {
            guard field == "ends_on" || field == "pks_ends_on" else {
                throw DomainError.validation("ctx.timer \(name): after_field is \"ends_on\" or \"pks_ends_on\", not \(WorkflowName.shown(field))")
            }
            try store.setTimer(WorkflowTimerRecord(agreementId: agreementId, name: name, event: event, dueAt: nil, afterField: field,
                                                   state: nil, setAt: timestamp), in: unit)
            return
        }
        guard let period = Period.read(days: spec["days"], workdays: spec["workdays"], least: 0) else {
            throw DomainError.validation("ctx.timer \(name): give \(Period.rule(least: 0))")
        }
        var from = calendar.date(of: now)
        if spec["from"] != .nil {
            guard let date = session.date(from: spec["from"]) else { throw DomainError.validation("ctx.timer \(name): from is a date") }
            from = date
        }
        try setTimer(agreementId: agreementId, name: name, event: event, period: period, from: from, state: nil, in: unit)
    }

    /// Sets a timer due at the start of the day after the period counted from `from`.
    func setTimer(agreementId: Int64, name: String, event: String, period: Period, from: LocalDate, state: String?,
                  in unit: StoreUnit) throws {
        guard let day = period.dueDay(from: from, calendar: calendar), let instant = calendar.start(of: day) else {
            throw DomainError.validation("timer \(name): \(period) from \(from) is past the last date Sinergi counts")
        }
        try store.setTimer(WorkflowTimerRecord(agreementId: agreementId, name: name, event: event,
                                               dueAt: WorkCalendar.utcStamp(of: instant), afterField: nil, state: state,
                                               setAt: timestamp), in: unit)
    }

    /// The unit of the transition under way (the session's current one).
    func currentUnit() throws -> StoreUnit {
        guard let unit = session.currentUnit else {
            throw DomainError.validation("ctx functions work only while their transition runs")
        }
        return unit
    }
}

/// The keys of `ctx`, as Lua strings made once per engine (`ContextFunctions.keys`; a class, so
/// copying the functions copies one reference).
final class ContextKeys {
    let actor = LuaValue.text("actor")
    let now = LuaValue.text("now")
    let today = LuaValue.text("today")
    let event = LuaValue.text("event")
    let note = LuaValue.text("note")
    let from = LuaValue.text("from")
    let to = LuaValue.text("to")
    let outcome = LuaValue.text("outcome")
    let workflow = LuaValue.text("workflow")
    let settings = LuaValue.text("settings")
    let timer = LuaValue.text("timer")
    let cancel = LuaValue.text("cancel")
    let notify = LuaValue.text("notify")
}
