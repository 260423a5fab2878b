import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store

/// Runs agreements along their workflow definitions: starts instances, fires events (role check,
/// guard, required documents, `on_exit`, state write, `on_enter`, tasks, timers, history, outbox —
/// all in the caller's unit of work, so any error rolls back all of it), and fires due timers.
///
/// An engine serves one `ScriptSession` (whose Lua state evaluates the definitions and runs
/// their functions) and installs itself as that session's `WorkflowService`, so `a:fire` in a
/// script runs the same transitions. Like the session, it belongs to one task at a time.
public final class WorkflowEngine {
    public let workspace: Workspace
    public let session: ScriptSession
    public let catalog: WorkflowCatalog
    let store = WorkflowStore()
    /// Refusals waiting to be recorded once the unit they happened in has ended
    /// (`recordRefusal` keeps them; `unitEnded` writes them).
    var refusals: [WorkflowHistoryRecord] = []
    /// The most refusals one unit leaves in the history.
    static let maximumRefusals = 100
    /// Transitions under way (an action that fires again nests); bounded against loops.
    var depth = 0
    /// Calls of definitions' functions so far: whether a failed fire ran Lua code.
    var luaCalls = 0
    /// Transitions that moved an instance so far (actions fire through this engine, the
    /// session's `workflows`): whether a transition's entry actions moved it on again, so that
    /// the state it ends in must be read back.
    var moves = 0
    /// Versions that failed to load during the tick under way, with why (see `fireTimer`).
    var unloadable: [String: any Error] = [:]
    /// `now` and its stamp while a transition runs (see `now`).
    var pinned: (instant: Date, stamp: String)?
    /// The calls of definitions' functions under way, innermost last: what `ctx.timer`,
    /// `ctx.cancel` and `ctx.notify` act on.
    var frames: [Frame] = []
    /// The parts of `ctx` every call shares, made on first use.
    lazy var contextFunctions: ContextFunctions = makeContextFunctions()
    /// `ctx.today` as last made, with its date: a date value is immutable, and a tick's
    /// transitions all share one day (each made a userdata for it).
    var today: (date: LocalDate, value: LuaValue)?

    struct Frame {
        var agreementId: Int64
        var workflow: LoadedWorkflow
        var actor: User
    }

    struct ContextFunctions {
        var settings: LuaValue
        var timer: LuaValue
        var cancel: LuaValue
        var notify: LuaValue
        let keys = ContextKeys()
    }
    static let maximumDepth = 16

    public init(workspace: Workspace, session: ScriptSession) {
        self.workspace = workspace
        self.session = session
        catalog = WorkflowCatalog(folder: workspace.root.appendingPathComponent("workflows"), session: session)
        session.workflows = self
    }

    var calendar: WorkCalendar { workspace.configuration.calendar }
    /// The instant of the transition under way: one transition is one moment, stamped alike on
    /// every row it writes (and the formatter runs once for it).
    var now: Date { pinned?.instant ?? session.clock.now() }
    var timestamp: String {
        if let pinned { return pinned.stamp }
        return calendar.timestamp(of: now)
    }
    var limits: LuaLimits { workspace.configuration.workflows.limits }

    // MARK: - Starting

    /// Starts the agreement on `name` (default: the one definition whose `applies_to` matches its
    /// kind) in `state` (default: the state of its current stage — an agreement under way joins
    /// its track where it stands, audited as adopted, never reset to `initial`).
    @discardableResult
    public func start(agreementId: Int64, workflow name: String? = nil, at state: String? = nil, actor: User,
                      in unit: StoreUnit) throws -> WorkflowInstanceRecord {
        guard let agreement = try workspace.agreements.agreement(id: agreementId, in: unit) else {
            throw DomainError.notFound("no agreement with id \(agreementId)")
        }
        if let running = try store.instance(of: agreementId, in: unit) {
            throw DomainError.validation("agreement \(agreement.number) already runs on workflow \(running.workflow) (state \(running.state)); "
                                         + "see `sinergi workflow status \(agreement.number)`")
        }
        try AgreementPolicy.requireEdit(actor, leadAgency: agreement.leadAgency, directory: workspace.configuration.agencies)
        let workflow = try catalog.current(name ?? definitionName(for: agreement))
        try WorkflowCatalog.requireRunnable(workflow)
        let definition = workflow.definition
        guard definition.applies(to: agreement.kind.rawValue) else {
            throw DomainError.validation("workflow \(definition.name) is for \(definition.kinds.joined(separator: ", ")), "
                                         + "not a \(agreement.kind.rawValue) such as \(agreement.number)")
        }
        let target = try state ?? stateOfProgress(agreement, in: definition)
        guard let entered = definition.states[target] else {
            throw DomainError.validation("workflow \(definition.name) has no state '\(target)' (states: \(definition.orderedStateNames.joined(separator: ", ")))")
        }
        try store.keepVersion(name: definition.name, version: workflow.version, modules: workflow.files.stored, at: timestamp, in: unit)
        let instance = WorkflowInstanceRecord(agreementId: agreementId, workflow: definition.name, version: workflow.version,
                                              state: target, since: timestamp, startedAt: timestamp, revision: 0)
        try store.insert(instance, in: unit)
        let adopted = target != definition.initial
        let line = WorkflowHistoryRecord(agreementId: agreementId, at: timestamp, actor: actor.id, kind: adopted ? .adopt : .start,
                                         to: target, version: workflow.version)
        try transitionDepth {
            try enter(entered, of: workflow, agreementId: agreementId, context: TransitionContext(
                actor: actor, event: nil, note: nil, from: nil, to: target, outcome: nil), recording: line, in: unit)
        }
        return instance
    }

    /// The definition whose `applies_to` names the agreement's kind; refused when none or several
    /// do. When none does and a definition failed to load, that failure is the error (its class
    /// and file:line), not "no workflow applies": the broken file may well be the one meant.
    func definitionName(for agreement: Agreement) throws -> String {
        var matching: [String] = []
        var failure: (any Error)?
        for name in catalog.names() {
            do {
                if try catalog.current(name).definition.applies(to: agreement.kind.rawValue) { matching.append(name) }
            } catch {
                failure = failure ?? error
            }
        }
        if matching.isEmpty, let failure { throw failure }
        guard matching.count == 1, let name = matching.first else {
            throw DomainError.validation(matching.isEmpty
                ? "no workflow in workflows/ applies to a \(agreement.kind.rawValue) (applies_to = { kind = \"\(agreement.kind.rawValue)\" })"
                : "several workflows apply to a \(agreement.kind.rawValue) (\(matching.joined(separator: ", "))): choose one with --workflow NAME")
        }
        return name
    }

    /// The state an agreement under way joins: an ended one (expired, terminated) the final state
    /// that sets its status; else the state named after its stage, else the first of that stage.
    func stateOfProgress(_ agreement: Agreement, in definition: WorkflowDefinition) throws -> String {
        let ordered = definition.orderedStateNames
        if agreement.status == .expired || agreement.status == .terminated,
           let ended = ordered.first(where: { definition.states[$0]?.isFinal == true && definition.states[$0]?.status == agreement.status.rawValue }) {
            return ended
        }
        let stage = agreement.stage
        if definition.states[stage] != nil { return stage }
        if let state = ordered.first(where: { definition.states[$0]?.stage == stage }) { return state }
        throw DomainError.validation("agreement \(agreement.number) is at stage \(stage), which no state of \(definition.name) belongs to; "
                                     + "choose one with --at STATE (\(ordered.joined(separator: ", ")))")
    }

    /// With `workflows = { auto_start = true }`: starts every agreement that runs on no workflow on
    /// the one definition that applies to its kind, where it stands, each in a unit of its own: one
    /// that cannot start (no state for its stage, an action that fails) is left out and named.
    public func autoStart(actor: User) throws -> (started: Int, skipped: [String]) {
        guard workspace.configuration.workflows.autoStart else { return (0, []) }
        return try startWaiting(actor: actor)
    }

    /// Starts every agreement that runs on no workflow where it stands, whatever `auto_start`
    /// says (`init --sample` puts the sample set on its tracks this way).
    public func startWaiting(actor: User) throws -> (started: Int, skipped: [String]) {
        let waiting = try workspace.database.read { unit in
            let running = Set(try store.instances(in: unit).map(\.agreementId))
            return try workspace.agreements.all(AgreementFilter(), withParties: false, in: unit).filter { agreement in
                agreement.id.map { !running.contains($0) } ?? false
            }
        }
        var started = 0
        var skipped: [String] = []
        // The definition for each kind, found once a pass: a definition that fails to load (its
        // top level loops to its time budget) costs that once per kind, not once per agreement.
        var trackOf: [Kind: String?] = [:]
        try workspace.database.group { group in
            for agreement in waiting {
                if trackOf[agreement.kind] == nil { trackOf[agreement.kind] = .some(try? definitionName(for: agreement)) }
                guard let id = agreement.id, let name = trackOf[agreement.kind] ?? nil else { continue }
                do {
                    try group.unit { unit in try session.within(unit) { try start(agreementId: id, workflow: name, actor: actor, in: unit) } }
                    started += 1
                } catch {
                    // An action's error, which a script chose: said, bounded.
                    skipped.append("\(agreement.number): "
                                   + WorkflowName.bounded(String(describing: error), limit: WorkflowEngine.maximumReason))
                }
            }
            try group.commit()
        }
        return (started, skipped)
    }

    /// Keeps a refusal for the history. A refusal is kept even when its unit rolls back, so it
    /// is one line per agreement, actor, event and state, and at most `maximumRefusals` a unit:
    /// a script that tries in a loop, catching each refusal, leaves one line — not a row per try
    /// (and an array per try outside its memory cap).
    func recordRefusal(_ refusal: WorkflowHistoryRecord) {
        guard refusals.count < WorkflowEngine.maximumRefusals, !refusals.contains(where: {
            $0.agreementId == refusal.agreementId && $0.actor == refusal.actor && $0.event == refusal.event && $0.from == refusal.from
        }) else { return }
        refusals.append(refusal)
    }

    /// Runs `body` one transition deeper, refusing an action that fires without end.
    func transitionDepth<T>(_ body: () throws -> T) throws -> T {
        guard depth < WorkflowEngine.maximumDepth else {
            throw DomainError.validation("transitions nested \(WorkflowEngine.maximumDepth) deep: an action fires events in a loop")
        }
        let outermost = depth == 0
        if outermost {
            let instant = session.clock.now()
            pinned = (instant, calendar.timestamp(of: instant))
        }
        depth += 1
        defer {
            depth -= 1
            if outermost { pinned = nil }
        }
        // The whole transition — guard, route, actions and the work between — has one budget.
        return outermost ? try session.budgeted(limits, body) : try body()
    }
}
