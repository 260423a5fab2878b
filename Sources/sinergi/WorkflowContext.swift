import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store
import Workflow

/// What a `workflow` or `task` command works with: the workspace, the acting user and clock, a
/// script session whose Lua state runs the definitions (each transition within the workspace's
/// `workflows.limits`, under the CLI's watchdog), and the engine on it.
struct WorkflowContext {
    let command: CommandContext
    let session: ScriptSession
    let engine: WorkflowEngine

    init(_ global: GlobalOptions, writes formats: [OutputFormat] = [.table, .json, .csv]) throws {
        try self.init(try CommandContext(global, writes: formats))
    }

    init(_ command: CommandContext) throws {
        self.command = command
        let workspace = command.workspace
        session = try ScriptSession(workspace: workspace, actor: command.user, clock: command.clock,
                                    limits: workspace.configuration.workflows.limits, output: ScriptOutput.print)
        session.watchdog = LuaWatchdog.exitingProcess(chunk: "workflow")
        engine = WorkflowEngine(workspace: workspace, session: session)
    }

    var workspace: Workspace { command.workspace }

    /// With `workflows = { auto_start = true }`: starts every agreement that runs on no workflow
    /// on its matching track, where it stands (after `agreement add` and `import`; `workflow
    /// tick` does it too, for agreements scripts created). Started as the system actor.
    static func autoStart(_ command: CommandContext) throws {
        guard command.workspace.configuration.workflows.autoStart else { return }
        let (started, skipped) = try WorkflowContext(command).engine.autoStart(actor: User.system)
        if started > 0 { printError("note: started \(started) on their workflow (workflows.auto_start)") }
        for line in skipped { printError("note: not started: " + TerminalText.line(line)) }
    }
    var user: User { command.user }

    /// One write unit of work (committed when `body` returns, rolled back when it throws);
    /// refusals are recorded after it ends.
    func write<T>(_ body: (StoreUnit) throws -> T) throws -> T {
        try session.unitOfWork {
            guard let unit = session.currentUnit else { throw DomainError.validation("no unit of work is open") }
            return try body(unit)
        }
    }

    func read<T>(_ body: (StoreUnit) throws -> T) throws -> T {
        try workspace.database.read(body)
    }

    /// `read`, with the unit open to the Lua API too: a definition's top level may read (README),
    /// so a command that only evaluates definitions (`check`, `graph`) gives them what `start`
    /// and `fire` do.
    func readingDefinitions<T>(_ body: (StoreUnit) throws -> T) throws -> T {
        try read { unit in try session.within(unit) { try body(unit) } }
    }

    /// The agreement named by its number (or id), with its id.
    func agreement(_ key: String, in unit: StoreUnit) throws -> (agreement: Agreement, id: Int64) {
        guard let found = try workspace.agreements.agreement(idOrNumber: key, in: unit), let id = found.id else {
            throw DomainError.notFound("no agreement '\(key)' (see `sinergi agreement list`)")
        }
        return (found, id)
    }
}
