import Agreements
import Foundation
import LuaKit
import Store

/// What the workflow engine needs of a session: to evaluate a definition with the API, to call
/// its guards and actions with an agreement, inside the engine's own unit of work.
extension ScriptSession {
    /// The engine serving `a:fire` and friends in this session (held weakly: its owner keeps it).
    public var workflows: (any WorkflowService)? {
        get { context.workflows }
        set { context.workflows = newValue }
    }

    /// The acting user of the session.
    public var actor: User? { context.actor }

    /// Whether writes are refused (the REPL's and `eval`'s default).
    public var isReadOnly: Bool { context.readOnly }

    /// The unit of work in progress, if any.
    public var currentUnit: StoreUnit? { try? context.unit() }

    /// The session's clock.
    public var clock: any Clock { context.clock }

    /// Runs a chunk in a fresh environment with the API, within the session's limits (nested in
    /// a run already under way, within that run's), and returns what it returned. No unit of
    /// work is opened, and no write is allowed in the one that may be open (a fire's, when the
    /// definition is first needed there): a definition file's top level only builds its table.
    public func evaluate(bytes: [UInt8], chunkName: String) throws -> [LuaValue] {
        context.definitionsBeingBuilt += 1
        defer { context.definitionsBeingBuilt -= 1 }
        let environment = try sandbox.newEnvironment(extra: globals)
        return try sandbox.run(bytes: bytes, chunkName: chunkName, environment: environment, limits: limits, cycles: .mark)
    }

    /// Calls a Lua function (a guard, a route, an action) with `arguments`, within `limits`
    /// (or, nested in a run already under way, within that run's budget).
    public func call(_ function: LuaValue, _ arguments: [LuaValue], limits: LuaLimits) throws -> [LuaValue] {
        let state = sandbox.state
        try state.ensureStack(Int32(arguments.count) + 1)
        try state.push(function)
        for argument in arguments { try state.push(argument) }
        return try state.call(argumentCount: Int32(arguments.count), limits: limits)
    }

    /// Runs `body` under one Lua budget of `limits` (see `LuaState.budgeted`).
    public func budgeted<T>(_ limits: LuaLimits, _ body: () throws -> T) throws -> T {
        try sandbox.state.budgeted(limits, body)
    }

    /// Runs `body` with `unit` as the unit the API reads and writes through, under the watchdog
    /// (disarmed before the unit ends), for work the engine drives itself (a tick, a CLI fire).
    public func within<T>(_ unit: StoreUnit, _ body: () throws -> T) throws -> T {
        try gatedByWatchdog { try context.within(unit, body) }
    }

    /// Runs `body` with the API acting as `user` (`RunContext.acting(as:)`): a timer's fire.
    public func acting<T>(as user: User, _ body: () throws -> T) rethrows -> T {
        try context.acting(as: user, body)
    }

    /// The agreement as a script sees it (`a` in guards and actions); read in the current unit.
    public func agreementValue(_ id: Int64) throws -> LuaValue {
        guard let agreement = try context.store.agreement(id: id, in: try context.unit()) else {
            throw DomainError.notFound("no agreement with id \(id)")
        }
        return try sandbox.state.value(of: AgreementHandle(agreement, detailsLoaded: true, readAt: context.readMark), as: agreementClass)
    }

    /// `agreement` (as just read in the current unit) as a script sees it; without
    /// `documentsRead`, its documents are read when the script first asks for them.
    public func agreementValue(_ agreement: Agreement, documentsRead: Bool = true) throws -> LuaValue {
        try sandbox.state.value(of: AgreementHandle(agreement, detailsLoaded: documentsRead, readAt: context.readMark), as: agreementClass)
    }

    /// A Swift function as a Lua value (for `ctx.timer`, `ctx.cancel`, `ctx.notify`).
    public func function(named name: String, _ body: @escaping LuaHostBody) -> LuaValue {
        sandbox.state.functionValue(name: name, body)
    }

    /// A date value (`ctx.today`).
    public func dateValue(_ date: LocalDate) throws -> LuaValue {
        try sandbox.state.value(of: DateValue(date), as: dateClass)
    }

    /// The date a Lua value holds (a date value, or `YYYY-MM-DD` text), if any.
    public func date(from value: LuaValue) -> LocalDate? {
        if case let .userdata(reference) = value, let date = reference.object as? DateValue { return date.date }
        return value.stringValue.flatMap(LocalDate.init)
    }
}
