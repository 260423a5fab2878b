// Cron: pure cron expressions — parse a 5-field schedule, find its next fire time in a time zone.
// Foundation only: no Lua, no SQL, no other module (DESIGN.md §1; the Scheduler imports this).
import Foundation

/// A 5-field cron schedule with Debian cron's semantics, and its fire times in a time zone.
///
/// Fields are `minute hour day-of-month month day-of-week` (man 5 crontab): `*`, numbers,
/// ranges `1-5`, lists `1,15`, steps `*/15` and `1-10/2`; month names `jan`–`dec` and day names
/// `sun`–`sat` in any case (also inside ranges and lists, as the daemon accepts them); `0` and `7`
/// are both Sunday. `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`) and
/// `@hourly` stand for their usual expansions; `@reboot` is refused, having no time.
///
/// The day rule is Debian's (its `DOM_STAR`/`DOW_STAR` flags): when the day-of-month or the
/// day-of-week field *starts with* `*` (so `*/2` counts), a day must match both fields; when
/// both are restricted, a day matching either one matches — `0 0 1,15 * mon` fires on the 1st,
/// the 15th and every Monday.
///
/// Time zones and daylight saving: fire times are wall-clock times in the zone given to
/// `next(after:in:)`. The policy is Debian cron's for jobs at a fixed time, held for every
/// expression (Debian runs wildcard jobs by the new clock instead), so each wall-clock time
/// fires at most once:
/// - A wall-clock time skipped by a spring-forward gap fires once, at the first instant after
///   the gap (in New York `30 2 * * *` fires at 03:00 EDT on that day); several times inside one
///   gap, and a match at the gap's end, are that one fire.
/// - A wall-clock time that occurs twice in a fall-back overlap fires once, at its first
///   occurrence; the repeated hour does not fire again (in New York `*/30 * * * *` fires at
///   01:00 and 01:30 EDT, then at 02:00 EST).
///
///     let workdays = try CronExpression("0 8 * * mon-fri")
///     if let jakarta = TimeZone(identifier: "Asia/Jakarta") {
///         workdays.next(after: now, in: jakarta)   // the next weekday 08:00 WIB
///     }
///
/// Equality is by source text (`0 8 * * 0` and `0 8 * * sun` fire alike but differ);
/// `description` is the source.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text the expression was parsed from, as given.
    public let source: String

    let minutes: CronValues
    let hours: CronValues
    let daysOfMonth: CronValues
    let months: CronValues
    /// Sunday is 0 (a `7` in the source is folded into it).
    let daysOfWeek: CronValues
    /// Debian's DOM_STAR / DOW_STAR: the field's text starts with `*`.
    let dayOfMonthStar: Bool
    let dayOfWeekStar: Bool
    /// False when no date ever matches (`0 0 30 2 *`), so `next` need not search.
    let canEverFire: Bool

    /// Parses `text`; throws `CronParseError` naming the field and the 1-based character
    /// position of the first mistake.
    public init(_ text: String) throws {
        let fields = try CronSyntax.fields(of: text)
        source = text
        minutes = fields.minutes
        hours = fields.hours
        daysOfMonth = fields.daysOfMonth
        months = fields.months
        daysOfWeek = fields.daysOfWeek
        dayOfMonthStar = fields.dayOfMonthStar
        dayOfWeekStar = fields.dayOfWeekStar
        canEverFire = Self.canEverFire(fields)
    }

    public var description: String { source }

    /// Whether a day matches the day fields under Debian's rule (see the type's comment).
    func matchesDay(_ day: Int, weekday: Int) -> Bool {
        let dom = daysOfMonth.contains(day), dow = daysOfWeek.contains(weekday)
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow
    }

    /// Whether some day ever matches: only a restricted day-of-month under the both-rule (`*`
    /// day-of-week) can name no real date (`0 0 30 2 *`). Otherwise a date exists, and every
    /// date falls on every weekday within the 400-year Gregorian cycle.
    static func canEverFire(_ fields: CronSyntax.Fields) -> Bool {
        guard !fields.dayOfMonthStar && fields.dayOfWeekStar else { return true }
        return (1...12).contains { month in
            fields.months.contains(month)
                && (1...CivilTime.maximumDays(inMonth: month)).contains { fields.daysOfMonth.contains($0) }
        }
    }
}

/// The values one field allows, as a bit set (bit n = value n; values are at most 59).
struct CronValues: Sendable, Hashable {
    var bits: UInt64 = 0

    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }

    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }

    /// The smallest allowed value at or after `value`, if any.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let rest = bits & (~UInt64(0) << UInt64(max(value, 0)))
        return rest == 0 ? nil : rest.trailingZeroBitCount
    }
}
