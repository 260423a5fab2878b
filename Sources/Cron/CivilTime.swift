import Foundation

/// Proleptic Gregorian wall-clock arithmetic on plain integers, and the mapping between wall
/// clocks and instants in a time zone.
///
/// `next(after:in:)` searches wall-clock fields with skips (month, day, hour, minute), so it
/// wants dates as numbers rather than `Calendar` calls: the day-number conversions are Howard
/// Hinnant's `days_from_civil` / `civil_from_days`. Only the offset lookups ask the zone.
enum CivilTime {
    /// Days since 1970-01-01 of a year, month (1–12) and day.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year, month (1–12) and day of a day number.
    static func date(ofDayNumber number: Int) -> (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(ofDayNumber number: Int) -> Int { ((number % 7) + 11) % 7 }

    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func days(inMonth month: Int, of year: Int) -> Int {
        month == 2 ? (isLeapYear(year) ? 29 : 28) : maximumDays(inMonth: month)
    }

    /// The most days a month ever has (February: 29).
    static func maximumDays(inMonth month: Int) -> Int {
        switch month {
        case 2: return 29
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `a / b` rounded down (Swift's `/` rounds toward zero), for instants before 1970.
    static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// The wall-clock second (seconds since 1970-01-01 00:00 on the zone's clock) of an instant.
    static func wallSecond(of instant: Int, in zone: TimeZone) -> Int {
        instant + offset(at: instant, in: zone)
    }

    /// The instant a wall-clock second names in `zone`, under the DST policy of `CronExpression`:
    /// the earlier of two instants in a fall-back overlap, the end of the gap for a time a
    /// spring-forward skipped.
    static func instant(ofWallSecond wall: Int, in zone: TimeZone) -> Int {
        // Offsets in force a day either side cover every transition that can touch this time.
        let offsets = Set([wall - 86_400, wall, wall + 86_400].map { offset(at: $0, in: zone) })
        let valid = offsets.map { wall - $0 }.filter { offset(at: $0, in: zone) == wall - $0 }
        if let earliest = valid.min() { return earliest }
        // In a gap: the clock jumped from the smaller offset to the larger one somewhere in
        // (wall - larger, wall - smaller]; the jump's instant is the first one after the gap.
        guard let larger = offsets.max(), let smaller = offsets.min() else { return wall }
        var low = wall - larger, high = wall - smaller
        let before = offset(at: low, in: zone)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle, in: zone) == before { low = middle } else { high = middle }
        }
        return high
    }

    static func offset(at instant: Int, in zone: TimeZone) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }
}
