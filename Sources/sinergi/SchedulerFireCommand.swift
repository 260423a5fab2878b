import Agreements
import ArgumentParser
import Foundation
import LuaKit
import Scheduler
import ScriptHost
import Store
import Workflow

/// The worker of one fire, started by the scheduler as a child process (hidden: people use
/// `scheduler run` and `tick`). It runs the job's script in the sandbox, as the system actor
/// (or the job's `as = USER`), and marks the fire done in the script's own unit of work: a crash
/// before COMMIT leaves the fire claimable again when its lease expires, and after COMMIT the
/// fire is done with its effects and never runs again.
struct SchedulerFire: ParsableCommand, LocatedCommand {
    static let configuration = CommandConfiguration(
        commandName: "fire",
        abstract: "Run one claimed fire (the scheduler's worker process).",
        shouldDisplay: false
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The job's name.") var job: String
    @Option(name: .customLong("fire"), help: "The fire's id.") var fireID: Int64
    @Option(help: "The claim's token.") var token: String

    var errorLocation: String? { "schedule \"\(job)\"" }

    func run() throws {
        let context = try SchedulerContext(global)
        let database = context.workspace.database
        let store = FireStore()
        guard let fire = try database.read({ try store.fire(id: fireID, in: $0) }), fire.job == job,
              fire.state == .claimed, fire.leaseToken == token else {
            throw DomainError.notFound("fire #\(fireID) of job \"\(job)\" is not claimed with this token (it finished, or its lease passed to another scheduler)")
        }
        guard let scheduled = try SchedulerContext.jobs(of: context.workspace.configuration).first(where: { $0.name == job }) else {
            try database.write {
                try store.complete(fireID: fireID, token: token, state: .skipped, message: "the job is no longer in sinergi.lua",
                                   at: context.clock.now(), in: $0)
            }
            return
        }
        let configuration = context.workspace.configuration
        let actor = try scheduled.actor.map { id in
            guard let user = configuration.users.first(where: { $0.id == id }) else { throw DomainError.notFound("no user '\(id)'") }
            return user
        } ?? User.system
        var limits = configuration.limits
        if let timeout = scheduled.timeout { limits.timeout = timeout }
        let session = try ScriptSession(workspace: context.workspace, actor: actor, clock: context.clock, limits: limits,
                                        output: ScriptOutput.print)
        session.watchdog = LuaWatchdog.exitingProcess(chunk: scheduled.run)
        // a:workflow(), a:fire and workflows.get serve a job's script as they serve `sinergi run`.
        let engine = WorkflowEngine(workspace: context.workspace, session: session)
        let path = context.workspace.root.appendingPathComponent(scheduled.run).path
        try withExtendedLifetime(engine) {
            _ = try session.runFile(at: path, arguments: scheduled.arguments, keepingResults: false) { unit in
                try store.complete(fireID: fireID, token: token, state: .done, at: context.clock.now(), in: unit)
            }
        }
    }
}
