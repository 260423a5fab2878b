import Agreements
import ArgumentParser
import Foundation
import LuaKit
import Scheduler
import ScriptHost
import Store

struct SchedulerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the jobs of sinergi.lua's schedule{…} (and workflow timers) on time, once each.",
        discussion: """
        Each fire (job + scheduled instant) is recorded once in the database and claimed with a \
        lease, so several schedulers on one workspace never run a fire twice, and a fire whose \
        scheduler died is claimed again when its lease expires. Each fire runs its script in a \
        child process, in the sandbox, with the job's timeout.

        `scheduler run` is the long-running loop (a systemd service; see the README); \
        `scheduler tick` one pass, for a systemd timer or cron.

        Examples:
          sinergi scheduler list
          sinergi scheduler tick --format csv
        """,
        subcommands: [SchedulerRun.self, SchedulerTick.self, SchedulerList.self, SchedulerFire.self, SchedulerTimers.self]
    )
}

struct SchedulerRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the scheduler loop until SIGINT or SIGTERM.",
        discussion: """
        Sleeps until the next due fire; checks once a second whether another process added work \
        or sinergi.lua changed. On SIGINT/SIGTERM it claims nothing more, lets running fires \
        finish within their timeouts (a fire interrupted is released for the next run) and exits 0.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The shortest lease a claim takes (default 5m; longer when a job's timeout needs it).", valueName: "duration"))
    var lease: String?

    func run() throws {
        if global.now != nil { throw DomainError.validation("--now: scheduler run follows the system clock; use `sinergi scheduler tick --now …` to rehearse") }
        let context = try SchedulerContext(global)
        let scheduler = try context.scheduler(lease: try lease.map(SchedulerTick.duration))
        let signal = LoopSignal()
        signal.stopOnTermination()
        let loop = SchedulerLoop(scheduler: scheduler, waiter: signal, changeToken: context.changeToken,
                                 reload: context.reloader(for: scheduler), log: printError)
        printError("scheduler: running \(scheduler.jobs.count) job(s) in \(TerminalText.line(context.workspace.root.path)); SIGINT or SIGTERM stops it")
        loop.run()
        printError("scheduler: stopped")
    }
}

struct SchedulerTick: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "One pass: run what is due now, then exit (for a systemd timer or cron).",
        discussion: """
        Records the fires due now, runs them (each in its own child process) and the workflow \
        timers that are due, and prints one line per fire. Running it again at the same time \
        runs nothing twice.

        With --now (only where sinergi.lua sets testing = { clock_override = true }) it \
        rehearses a pass at another time, e.g. --now 2027-01-15T08:00:00+07:00.

        Example: sinergi scheduler tick
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The shortest lease a claim takes (default 5m).", valueName: "duration"))
    var lease: String?

    static func duration(_ text: String) throws -> TimeInterval {
        guard let seconds = LuaLimits.parseDuration(text) else { throw ValidationError("--lease '\(text)' is not a duration (30s, 5m, 1h)") }
        return seconds
    }

    func run() throws {
        let context = try SchedulerContext(global)
        let report = try context.scheduler(lease: try lease.map(Self.duration)).tick()
        let calendar = context.workspace.configuration.calendar
        let rows = report.fires.sorted { ($0.scheduledAt, $0.job) < ($1.scheduledAt, $1.job) }.map { fire in
            [fire.job, calendar.timestamp(of: fire.scheduledAt), fire.state.rawValue, fire.message ?? ""]
        } + report.sources.filter { $0.count > 0 }.map { [$0.name, calendar.timestamp(of: context.clock.now()), "ran \($0.count)", ""] }
        try Tabular.print(["job", "scheduled", "outcome", "message"], format: global.outputFormat, rows: rows)
    }
}

struct SchedulerList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Each job with its cron, its last fire and outcome, and its next fire."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try SchedulerContext(global)
        let calendar = context.workspace.configuration.calendar
        let rows = try context.scheduler().status().map { status in
            [status.job.name, status.job.cron.source, status.job.run,
             status.lastFire.map { calendar.timestamp(of: $0.scheduledAt) } ?? "",
             status.lastFire?.state.rawValue ?? "", status.lastFire?.message ?? "",
             status.nextFire.map { calendar.timestamp(of: $0) } ?? ""]
        }
        try Tabular.print(["job", "cron", "run", "last_fire", "last_outcome", "last_message", "next_fire"],
                          format: global.outputFormat, rows: rows)
    }
}
