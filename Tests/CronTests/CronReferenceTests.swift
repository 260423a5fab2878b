@testable import Cron
import Foundation
import Testing

/// `next` against a plain reference: Foundation's calendar walked day by day and minute by
/// minute in UTC, with the day rule written out again from the man page. The skipping search
/// and the integer date arithmetic must agree with it everywhere.
@Suite struct CronReferenceTests {
    static let expressions = [
        "0 8 * * 1-5", "*/7 */5 * * *", "15 3 1,15 * mon", "0 0 */2 * mon", "0 0 1 * */2", "0 12 29-31 * *",
        "0 0 29 2 *", "5 4 * feb,sep sat", "0 22 * * 0-7/3", "59 23 31 12 *", "0 0 13 * fri", "@weekly", "@monthly",
    ]

    /// The first fire time after `start`, found by looking at every minute of every day.
    static func reference(_ cron: CronExpression, after start: Date, calendar: Calendar) -> Date? {
        var day = calendar.startOfDay(for: start)
        for _ in 0..<(366 * 9) {
            let parts = calendar.dateComponents([.month, .day, .weekday], from: day)
            let (month, dayOfMonth, weekday) = (parts.month ?? 0, parts.day ?? 0, (parts.weekday ?? 0) - 1)
            let domMatches = cron.daysOfMonth.contains(dayOfMonth), dowMatches = cron.daysOfWeek.contains(weekday)
            let dayMatches = cron.dayOfMonthStar || cron.dayOfWeekStar ? domMatches && dowMatches : domMatches || dowMatches
            if cron.months.contains(month) && dayMatches {
                for minute in 0..<1440 where cron.hours.contains(minute / 60) && cron.minutes.contains(minute % 60) {
                    let time = day.addingTimeInterval(TimeInterval(minute * 60))
                    if time > start { return time }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = following
        }
        return nil
    }

    @Test(arguments: expressions) func agreesWithTheMinuteByMinuteReference(_ expression: String) throws {
        let cron = try CronExpression(expression)
        let utc = try Fires.zone("UTC")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        // Starts spread over ordinary years, leap years, a century year and before 1970.
        for start in ["2027-01-01T00:00:00Z", "2027-12-31T23:59:00Z", "2028-02-28T12:34:56Z", "2099-11-30T08:00:00Z",
                      "1969-12-31T23:30:00Z", "2031-06-15T22:22:00Z"] {
            var after = try Fires.instant(start)
            for _ in 0..<4 {
                let expected = Self.reference(cron, after: after, calendar: calendar)
                let actual = cron.next(after: after, in: utc)
                #expect(actual == expected, "\(expression) after \(start)")
                guard let actual else { break }
                after = actual
            }
        }
    }
}
