import Agreements
import Foundation
import LuaKit
import Scheduler
import ScriptHost
import Store

/// What the scheduler commands need: the workspace, its jobs and the clock — without an acting
/// user, since jobs act as the workspace's system actor (or their `as = USER`) whoever started
/// the service.
struct SchedulerContext {
    let workspace: Workspace
    let clock: any Clock
    /// `--now` / `SINERGI_NOW` as given, passed on to the workers so they share the clock.
    let nowOverride: String?

    init(_ global: GlobalOptions) throws {
        if let format = global.format, format == .xlsx { throw DomainError.validation("--format xlsx: this command writes table, json, csv") }
        let environment = ProcessInfo.processInfo.environment
        let root = try Workspace.locate(explicit: global.workspace, environment: environment,
                                        currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        workspace = try Workspace(root: root, loadedBy: try OSAccount.current().login)
        let override = global.now ?? environment["SINERGI_NOW"].flatMap { $0.isEmpty ? nil : $0 }
        clock = try workspace.clock(override: override)
        nowOverride = override
    }

    /// The jobs of sinergi.lua, checked: each `schedule{…}` (`ScheduledJob.parse`), and each
    /// `as = USER` a declared user.
    static func jobs(of configuration: WorkspaceConfiguration) throws -> [ScheduledJob] {
        let jobs = try ScheduledJob.parseAll(configuration.schedules.map { ($0.fields, $0.arguments) },
                                             parseDuration: LuaLimits.parseDuration)
        for job in jobs {
            if let actor = job.actor, !configuration.users.contains(where: { $0.id == actor }) {
                throw DomainError.validation("schedule \"\(job.name)\": as = \"\(actor)\" is not a user of \(Workspace.configurationFile) "
                                             + "(users: \(configuration.users.map(\.id).joined(separator: ", ")))")
            }
        }
        return jobs
    }

    /// A scheduler over this workspace whose fires run in child `sinergi scheduler fire` processes.
    func scheduler(lease: TimeInterval? = nil) throws -> Scheduler {
        var settings = Scheduler.Settings()
        if let lease { settings.lease = lease }
        settings.defaultTimeout = workspace.configuration.limits.timeout ?? settings.defaultTimeout
        let handler = ChildFireHandler(executable: Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]),
                                       workspace: workspace.root, nowOverride: nowOverride)
        // The sources of other due work the loop drives: the workflow engine's timers go here.
        let sources: [any DueWorkSource] = []
        return Scheduler(database: workspace.database, jobs: try Self.jobs(of: workspace.configuration),
                         timeZone: workspace.configuration.timeZone, clock: clock, handler: handler,
                         sources: sources, settings: settings)
    }

    /// Changes the loop must notice within a second: another process's commit (SQLite's
    /// data_version) and sinergi.lua's identity.
    func changeToken() -> AnyHashable {
        AnyHashable([AnyHashable((try? workspace.database.changeCounter()) ?? -1), configurationIdentity()])
    }

    /// sinergi.lua's inode, size and modification time: an edit (or a replacement) changes it.
    func configurationIdentity() -> [AnyHashable] {
        let file = workspace.root.appendingPathComponent(Workspace.configurationFile).path
        let attributes = (try? FileManager.default.attributesOfItem(atPath: file)) ?? [:]
        return [attributes[.systemFileNumber] as? Int ?? -1, attributes[.size] as? Int ?? -1,
                (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0]
    }

    /// What the loop calls when the change token moved: re-reads sinergi.lua and gives the
    /// scheduler its jobs — only when the file changed, not for every commit of another process.
    func reloader(for scheduler: Scheduler) -> () throws -> Void {
        var seen = configurationIdentity()
        return {
            let current = configurationIdentity()
            guard current != seen else { return }
            seen = current
            let configuration = try WorkspaceConfiguration.load(from: workspace.root.appendingPathComponent(Workspace.configurationFile))
            scheduler.reload(jobs: try Self.jobs(of: configuration))
        }
    }
}

/// Runs a fire's script in a child process (`sinergi scheduler fire`), which finishes the fire
/// in the script's own unit of work; the parent kills it past its deadline.
struct ChildFireHandler: FireHandler {
    let executable: URL
    let workspace: URL
    let nowOverride: String?

    func run(_ claimed: ClaimedFire, stopping: @escaping @Sendable () -> Bool) -> FireOutcome {
        var arguments = ["scheduler", "fire", "--workspace", workspace.path, "--job", claimed.job.name,
                         "--fire", String(claimed.fire.id), "--token", claimed.token]
        if let nowOverride { arguments += ["--now", nowOverride] }
        do {
            let ending = try WorkerProcess.run(executable: executable, arguments: arguments, killAfter: claimed.killAfter)
            return WorkerProcess.outcome(of: ending, killAfter: claimed.killAfter, stopping: stopping())
        } catch {
            return .failed("could not start the worker \(executable.path): \(error)")
        }
    }
}
