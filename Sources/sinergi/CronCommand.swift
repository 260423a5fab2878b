import Agreements
import ArgumentParser
import Cron
import Foundation
import ScriptHost

struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Cron expressions, as schedule{…} in sinergi.lua uses them.",
        subcommands: [CronNext.self]
    )
}

/// `sinergi cron next`: when a schedule would fire, to check an expression before a job uses it.
///
/// Works outside a workspace too (then in Asia/Jakarta, the workspace default); inside one, the
/// zone is the workspace's `timezone` and "now" is its clock (`--now` where it allows that).
struct CronNext: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Print the next fire times of a cron expression, one ISO 8601 time per line.",
        discussion: """
        EXPR is the 5-field form with Debian cron's semantics: minute hour day-of-month month \
        day-of-week; lists, ranges and steps (1,15  1-5  */15  1-10/2); month and day names \
        (jan-dec, sun-sat); 0 and 7 are Sunday; @yearly @monthly @weekly @daily @hourly. When \
        day-of-month or day-of-week starts with *, a day must match both; otherwise either. Quote \
        EXPR for the shell.

        Times are wall-clock times in the zone: one a spring-forward skips fires once at the end of \
        the gap; one a fall-back repeats fires once, at its first occurrence.

        Examples:
          sinergi cron next "0 8 * * mon-fri" --count 5
          sinergi cron next "0 8 * * 1-5" --from 2026-12-31T09:00:00+07:00 --count 3
          sinergi cron next @monthly --tz Asia/Makassar
          sinergi cron next "30 2 * * *" --tz Europe/Berlin --from 2027-03-28T00:00:00Z
        """
    )

    /// More lines than anyone reads; a schedule that needs more is checked in a script.
    static let maximumCount = 1000

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The cron expression, e.g. \"0 8 * * 1-5\" or @daily.", valueName: "expr"))
    var expression: String

    @Option(help: ArgumentHelp("Times after this ISO 8601 time, e.g. 2027-01-15T09:00:00+07:00 (default: now).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("How many fire times (1–\(CronNext.maximumCount)).", valueName: "n"))
    var count = 1

    @Option(help: ArgumentHelp("The IANA time zone, e.g. Asia/Makassar (default: the workspace's timezone, else Asia/Jakarta).",
                               valueName: "zone"))
    var tz: String?

    func validate() throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw ValidationError("--count must be from 1 to \(Self.maximumCount), not \(count)")
        }
    }

    func run() throws {
        if let format = global.format, format != .table {
            throw DomainError.validation("--format \(format.rawValue): cron next prints plain lines (table)")
        }
        let cron: CronExpression
        do {
            cron = try CronExpression(expression)
        } catch let error as CronParseError {
            throw DomainError.validation(error.description)
        }
        let context = try CommandContext.optional(global)
        if context == nil, global.now != nil {
            throw DomainError.validation("--now needs a workspace that allows it (testing = { clock_override = true }); outside one, use --from")
        }
        let calendar = try WorkCalendar(timeZone: zone(default: context?.workspace.configuration.timeZone))
        var after = try start(default: context?.clock ?? SystemClock(), zone: calendar.timeZone)
        for index in 0..<count {
            guard let next = cron.next(after: after, in: calendar.timeZone) else {
                guard index == 0 else { break }
                throw DomainError.validation("cron: '\(expression)' never fires after \(calendar.timestamp(of: after)): "
                                             + "the days it names never occur (like 30 February)")
            }
            // Times stop at the last date Sinergi counts, in the zone (`Workspace.countsDate`).
            guard Workspace.countsDate(of: next, offset: calendar.timeZone.secondsFromGMT(for: next)) else {
                guard index == 0 else { break }
                throw DomainError.validation("cron: '\(expression)' has no fire time after \(calendar.timestamp(of: after)) "
                                             + "on or before 9999-12-31, the last date Sinergi counts")
            }
            print(calendar.timestamp(of: next))
            after = next
        }
    }

    /// `--tz`, else the workspace's zone, else the workspace default (Asia/Jakarta).
    func zone(default workspaceZone: TimeZone?) throws -> TimeZone {
        guard let tz else { return workspaceZone ?? WorkspaceConfiguration().timeZone }
        guard let zone = TimeZone(identifier: tz) else {
            throw DomainError.validation("--tz '\(tz)' is not a time zone name (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)")
        }
        return zone
    }

    /// `--from`, else the command's clock. Read as strictly as `--now` (`Workspace.instant`: no
    /// 30 February, no 24:00, an offset of at most 18 h) and within the dates Sinergi counts, in
    /// UTC and in `zone`.
    func start(default clock: any Clock, zone: TimeZone) throws -> Date {
        guard let from else { return clock.now() }
        let shown = from.bounded(toBytes: 64)
        guard let instant = Workspace.instant(from) else {
            throw DomainError.validation("--from '\(shown)' is not an ISO 8601 time with an offset (e.g. 2027-01-15T09:00:00+07:00)")
        }
        guard Workspace.countsDate(of: instant, offset: 0), Workspace.countsDate(of: instant, offset: zone.secondsFromGMT(for: instant)) else {
            throw DomainError.validation("--from '\(shown)' is not within 0001-01-01 … 9999-12-31 (in UTC and in \(zone.identifier))")
        }
        return instant
    }
}
