import Agreements
import ArgumentParser
import Foundation
import LuaKit
import Scheduler
import ScriptHost
import Store
import Workflow

/// The workflow timers as a source of the scheduler's loop: when the next is due comes from the
/// store (no Lua in the loop's process); firing them runs in a child `sinergi scheduler timers`,
/// as job fires do, so a transition stuck inside one C call ends that child, never the loop.
struct WorkflowTimerSource: DueWorkSource {
    let executable: URL
    let workspace: URL
    let nowOverride: String?
    let clock: WorkflowTimerClock
    /// How long one pass may take before the loop kills it (each transition has its own budget,
    /// `workflows.limits`; a pass fires at most a few thousand).
    static let killAfter: TimeInterval = 600

    var name: String { "workflow timers" }

    func nextDue() throws -> Date? { try clock.nextDue() }

    func runDue(now: Date) throws -> Int {
        var arguments = ["scheduler", "timers", "--workspace", workspace.path]
        if let nowOverride { arguments += ["--now", nowOverride] }
        let ending = try WorkerProcess.run(executable: executable, arguments: arguments, killAfter: Self.killAfter)
        // The worker's last line on standard error: "workflow timers: fired N, dropped N, failed N".
        let summary = ending.standardError.split(separator: "\n").last { $0.hasPrefix("workflow timers: fired ") }
        let fired = summary.flatMap { Int($0.dropFirst("workflow timers: fired ".count).prefix { $0.isNumber }) } ?? 0
        guard ending.status == 0 || ending.status == 1, !ending.killed else {
            throw DomainError.validation("workflow timers: the worker ended with \(ending.killed ? "a kill past \(Int(Self.killAfter)) s" : "exit \(ending.status)"): "
                                         + ending.firstErrorLine)
        }
        return fired
    }
}

/// The worker of the workflow timers (hidden: the scheduler starts it; people use `workflow
/// tick`). Starts agreements waiting for their track when `auto_start` says so, then fires every
/// due timer as the system actor — no OS account needs to be a declared user for a service.
struct SchedulerTimers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timers", abstract: "Fire the due workflow timers (the scheduler's worker process).", shouldDisplay: false)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try SchedulerContext(global)
        let workspace = context.workspace
        let session = try ScriptSession(workspace: workspace, actor: User.system, clock: context.clock,
                                        limits: workspace.configuration.workflows.limits, output: ScriptOutput.print)
        session.watchdog = LuaWatchdog.exitingProcess(chunk: "workflow timers")
        let engine = WorkflowEngine(workspace: workspace, session: session)
        _ = try engine.autoStart(actor: User.system)
        let report = try engine.tick()
        for line in report.failed { printError("failed: " + TerminalText.line("\(line.number) \(line.timer) \(line.event): \(line.detail)")) }
        // Said only when something happened: the loop runs this whenever a timer is due.
        if !(report.fired.isEmpty && report.dropped.isEmpty && report.failed.isEmpty) {
            printError("workflow timers: fired \(report.fired.count), dropped \(report.dropped.count), failed \(report.failed.count)")
        }
        if !report.failed.isEmpty { throw ExitCode(1) }
    }
}
