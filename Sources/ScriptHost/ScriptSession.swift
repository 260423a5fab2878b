// ScriptHost: the Lua API of Sinergi. Binds the domain (Agreements) and the database (Store)
// into LuaKit modules and runs one script as one unit of work. May import: LuaKit, Agreements,
// Store, Notify (for the channel settings `sinergi.lua` declares), Foundation — never GRDB:
// transactions are the store's units of work. Never imported by LuaKit, Agreements, Store or Notify.
import Agreements
import Foundation
import LuaKit
import Store

/// One script run (or one REPL session): a sandboxed Lua state with Sinergi's API.
///
/// A run is one unit of work: what the script writes is committed when it returns and rolled
/// back, all of it, when it fails — or always, with `dryRun` or in a read-only session. Without
/// a workspace the sandbox still runs plain Lua (`sinergi run` outside a workspace).
public final class ScriptSession {
    public let sandbox: LuaSandbox
    public let limits: LuaLimits
    let context: RunContext
    /// The API's globals (agreements, log, notify, dates), added to every environment.
    var globals: [String: LuaValue] = [:]
    /// How values print: for people, or as JSON or CSV (the global `--format`).
    public enum OutputFormat: String, CaseIterable, Sendable { case table, json, csv }

    /// Width of printed agreement tables (the REPL sets the terminal's).
    public var tableWidth = 100
    /// Watches every unit of work for a run stuck in C past its budget (the CLI's ends the
    /// process). It is disarmed right before COMMIT: once it has fired nothing is committed, and
    /// after COMMIT nothing runs that could still fail the unit.
    public var watchdog: LuaWatchdog?
    let agreementClass: LuaClass<AgreementHandle>
    let dateClass: LuaClass<DateValue>
    private let listClass: LuaClass<AgreementList>

    /// - Parameters:
    ///   - workspace: the workspace whose agreements the API reads and writes (nil: plain Lua).
    ///   - actor: the acting user (required to write).
    ///   - modulePaths: where `require` looks (default: the workspace's `scripts/lib`, `workflows/lib`).
    ///   - readOnly: writes fail with a clear error and nothing is ever committed (the REPL's default).
    ///   - output: where `print` writes; `log` receives `log.*` calls as (level, message).
    public init(workspace: Workspace? = nil, actor: User? = nil, clock: any Clock = SystemClock(),
                readOnly: Bool = false, limits: LuaLimits? = nil, modulePaths: [URL]? = nil,
                output: @escaping (String) -> Void = { print($0) },
                log: @escaping (String, String) -> Void = ScriptSession.standardErrorLog) throws {
        self.limits = limits ?? workspace?.configuration.limits ?? .default
        sandbox = try LuaSandbox(options: .init(modulePaths: modulePaths ?? workspace?.modulePaths ?? [], output: output))
        context = RunContext(workspace: workspace, actor: actor, clock: clock, readOnly: readOnly, log: log)
        let state = sandbox.state
        let dates = DatesModule(context: context)
        dates.register(in: state)
        dateClass = dates.dates
        let agreementsModule = AgreementsModule(context: context, dates: dates.dates)
        agreementsModule.register(in: state)
        agreementClass = agreementsModule.agreements
        listClass = agreementsModule.lists
        globals = dates.globals(context: context, state: state)
        globals["agreements"] = agreementsModule.module(context: context, state: state)
        globals["log"] = LogModule.module(context: context, state: state)
        globals.merge(WorkflowAPI.modules(context: context, state: state)) { $1 }
        let context = self.context
        globals["notify"] = state.functionValue(name: "notify", NotifyFunction.body { try context.notifyScope() })
        sandbox.clock.check = { [unowned context] in try context.requireNoDefinitionBeingBuilt(RunContext.clockReading) }
    }

    /// `log.*` to standard error as `info: message`, one escaped line per call (a script
    /// cannot forge a line of the host's, such as `error[timeout]: …`).
    public static func standardErrorLog(level: String, message: String) {
        try? FileHandle.standardError.write(contentsOf: Data("\(level): \(TerminalText.line(message))\n".utf8))
    }

    /// Runs a script file with `arguments` as `...` and in the global `arg` (`arg[0]` is the path).
    /// With `keepingResults: false` what the script returns is dropped in Lua, never converted.
    /// `finishing` runs in the script's unit after the script returned, before COMMIT: what it
    /// writes commits with the script's effects or not at all (the scheduler marks a fire done).
    public func runFile(at path: String, arguments: [String], dryRun: Bool = false,
                        keepingResults: Bool = true, finishing: ((StoreUnit) throws -> Void)? = nil) throws -> [LuaValue] {
        // A regular file (not a device or a pipe, read forever) of at most the source limit: the
        // host holds and copies what it reads outside the script's memory cap.
        let data: [UInt8]
        do {
            data = try ConfinedFile.read(path, inside: "/", limit: LuaSandbox.maximumSourceBytes)
        } catch ConfinedFile.Failure.missing {
            // A pipe (`/dev/stdin`) resolves to no path but exists: it is not a regular file.
            throw FileManager.default.fileExists(atPath: path) ? ScriptError.notRegularFile(path) : ScriptError.fileNotFound(path)
        } catch ConfinedFile.Failure.tooLarge(let limit) {
            throw DomainError.validation("script '\(path)' is larger than \(LuaLimits.formatSize(limit)), the most Sinergi reads as Lua "
                                         + "source: move parts of it into modules it requires")
        } catch {
            throw ScriptError.notRegularFile(path)
        }
        return try run(bytes: LuaSandbox.fileChunk(data), chunkName: path, arguments: arguments, dryRun: dryRun,
                       keepingResults: keepingResults, finishing: finishing)
    }

    /// Runs script text as one unit of work; `chunkName` is what errors and tracebacks name.
    public func run(source: String, chunkName: String, arguments: [String] = [], dryRun: Bool = false,
                    keepingResults: Bool = true) throws -> [LuaValue] {
        try run(bytes: Array(source.utf8), chunkName: chunkName, arguments: arguments, dryRun: dryRun,
                keepingResults: keepingResults)
    }

    /// Runs a script's bytes as one unit of work (source is bytes, as Lua reads it).
    public func run(bytes source: [UInt8], chunkName: String, arguments: [String] = [], dryRun: Bool = false,
                    keepingResults: Bool = true, finishing: ((StoreUnit) throws -> Void)? = nil) throws -> [LuaValue] {
        let argumentValues = arguments.map { LuaValue.text($0) }
        var argTable = LuaTable(pairs: [(key: .integer(0), value: .text(chunkName))])
        for (index, value) in argumentValues.enumerated() { argTable[.integer(Int64(index + 1))] = value }
        var extra = globals
        extra["arg"] = .table(argTable)
        let environment = try sandbox.newEnvironment(extra: extra)
        return try unitOfWork(dryRun: dryRun, finishing: finishing) {
            try sandbox.run(bytes: source, chunkName: chunkName, arguments: argumentValues,
                            environment: environment, limits: limits, keepingResults: keepingResults)
        }
    }

    /// Runs a chunk given on the command line as one unit of work; an expression is returned as
    /// if prefixed `return`.
    public func eval(_ chunk: String, chunkName: String = "eval", dryRun: Bool = false) throws -> [LuaValue] {
        try unitOfWork(dryRun: dryRun) { try evalInCurrentUnit(chunk, chunkName: chunkName) }
    }

    /// `eval` inside a unit of work the caller opened (so results can be printed before it ends).
    public func evalInCurrentUnit(_ chunk: String, chunkName: String = "eval") throws -> [LuaValue] {
        let environment = try sandbox.newEnvironment(extra: globals)
        do {
            return try sandbox.run(source: "return " + chunk, chunkName: chunkName,
                                   environment: environment, limits: limits, cycles: .mark)
        } catch LuaError.syntax {
            return try sandbox.run(source: chunk, chunkName: chunkName, environment: environment,
                                   limits: limits, cycles: .mark)
        }
    }

    /// Runs `body` as one unit of work: committed when it returns (unless `dryRun`), rolled back
    /// entirely when it throws. A read-only session reads in a snapshot (`SinergiDatabase.read`)
    /// that never takes the write lock and keeps nothing. The watchdog watches `body` and is
    /// disarmed before COMMIT; if it already fired, the unit rolls back with `LuaError.timeout`.
    /// `finishing`, if any, runs in the unit after `body`, under the same watchdog.
    public func unitOfWork<T>(dryRun: Bool = false, finishing: ((StoreUnit) throws -> Void)? = nil,
                              _ body: () throws -> T) throws -> T {
        guard let workspace = context.workspace else {
            armWatchdog()
            defer { disarmWatchdog() }
            return try body()
        }
        let gated = { (unit: StoreUnit) throws -> T in
            try self.gatedByWatchdog {
                let value = try self.context.within(unit, body)
                try finishing?(unit)
                return value
            }
        }
        defer { context.workflows?.unitEnded { body in try workspace.database.write(body) } }
        return context.readOnly ? try workspace.database.read(gated) : try workspace.database.write(commit: !dryRun, gated)
    }

    /// Runs `body` under the watchdog, inside a unit that is about to end: the watchdog is armed
    /// for `body` and disarmed right after it, before the unit's COMMIT; when it had already
    /// fired, this throws `LuaError.timeout` so the unit rolls back, whatever `body` did.
    func gatedByWatchdog<T>(_ body: () throws -> T) throws -> T {
        armWatchdog()
        let outcome = Result { try body() }
        guard disarmWatchdog() else { throw LuaError.timeout(location: nil, seconds: limits.timeout ?? 0) }
        return try outcome.get()
    }

    /// Arms the watchdog for one unit within the session's time budget.
    public func armWatchdog() {
        if let watchdog, let timeout = limits.timeout { watchdog.arm(seconds: timeout) }
    }

    /// Disarms the watchdog; false when it already fired (then nothing may be committed).
    @discardableResult
    public func disarmWatchdog() -> Bool { watchdog?.disarm() ?? true }

    /// The workspace folder, if the session has one.
    public var workspaceRoot: URL? { context.workspace?.root }

    /// The names completion offers after `a.` and `a:` for an agreement.
    var agreementFieldNames: [String] { agreementClass.fieldNames }
    var agreementMethodNames: [String] { agreementClass.methodNames }

    /// Describes API objects for printing (agreements, lists, dates), or nil for other values.
    public func describe(_ reference: LuaReference) -> String? {
        switch reference.object {
        case let handle as AgreementHandle: return handle.summary(context)
        case let date as DateValue: return date.date.description
        case let span as WorkdaySpan: return "workdays(\(span.count))"
        case let list as AgreementList:
            return (try? list.prefix(20, context).map { try $0.full(context) }).map { agreements in
                AgreementTable.render(agreements, total: (try? list.count(context)) ?? agreements.count, width: tableWidth)
            }
        default: return nil
        }
    }

    /// A printer that knows the API's objects. Lists print inside a unit of work.
    public var printer: LuaPrinter { LuaPrinter(describe: { [unowned self] in self.describe($0) }) }
}

/// Failures of the script host that are not Lua's.
public enum ScriptError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(String)
    case notRegularFile(String)

    public var description: String {
        switch self {
        case let .fileNotFound(path): return "cannot read script '\(path)': no such file"
        case let .notRegularFile(path): return "cannot read script '\(path)': not a regular file (a device, a pipe or a folder); give the path of a .lua file"
        }
    }
}
