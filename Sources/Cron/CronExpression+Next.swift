import Foundation

extension CronExpression {
    /// How far `next(after:in:)` looks: the Gregorian calendar repeats every 400 years, so an
    /// expression that can fire at all fires within one cycle (`canEverFire` settles the rest).
    static let searchYears = 401

    /// The first fire time strictly after `date`, on the wall clock of `zone`.
    ///
    /// Nil only when the expression can never fire (`0 0 30 2 *`: February has no 30th), or for
    /// a `date` outside years 1–9999. Times are whole minutes; daylight-saving gaps and overlaps
    /// follow the policy in the type's comment. The search skips whole months, days and hours
    /// that cannot match, so a call costs a few dozen steps and a handful of zone lookups.
    public func next(after date: Date, in zone: TimeZone) -> Date? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        // Years 1–9999, both ends included (0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z), which
        // also keeps every later conversion to Int exact. A time after the last second may lie
        // in year 10000: the caller decides whether it counts (`cron next` stops at 9999-12-31).
        guard canEverFire, seconds.isFinite, seconds >= -62_135_596_800, seconds <= 253_402_300_799 else { return nil }
        let after = Int(seconds)
        var candidate = CivilTime.floorDivide(CivilTime.wallSecond(of: after, in: zone), 60) + 1
        let lastYear = CivilTime.date(ofDayNumber: CivilTime.floorDivide(candidate, 1440)).year + Self.searchYears
        while let wallMinute = nextWallMinute(atOrAfter: candidate, through: lastYear) {
            // Past the first pass of a fall-back overlap, earlier wall times map to instants
            // already behind us: they have fired, so look further.
            let instant = CivilTime.instant(ofWallSecond: wallMinute * 60, in: zone)
            if instant > after { return Date(timeIntervalSince1970: TimeInterval(instant)) }
            candidate = wallMinute + 1
        }
        return nil
    }

    /// The first matching wall-clock minute (minutes since 1970-01-01 00:00 on the zone's
    /// clock) at or after `start`, if one comes by the end of `lastYear`.
    func nextWallMinute(atOrAfter start: Int, through lastYear: Int) -> Int? {
        let startDay = CivilTime.floorDivide(start, 1440)
        var (year, month, day) = CivilTime.date(ofDayNumber: startDay)
        let minuteOfDay = start - startDay * 1440
        var hour = minuteOfDay / 60, minute = minuteOfDay % 60
        while year <= lastYear {
            guard let matchingMonth = months.first(atOrAfter: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if matchingMonth != month { (month, day, hour, minute) = (matchingMonth, 1, 0, 0) }
            guard let matchingDay = firstDay(atOrAfter: day, month: month, year: year) else {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                continue
            }
            if matchingDay != day { (day, hour, minute) = (matchingDay, 0, 0) }
            guard let matchingHour = hours.first(atOrAfter: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if matchingHour != hour { (hour, minute) = (matchingHour, 0) }
            guard let matchingMinute = minutes.first(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return CivilTime.dayNumber(year: year, month: month, day: day) * 1440 + hour * 60 + matchingMinute
        }
        return nil
    }

    /// The first day of the month from `day` on that the day fields match (Debian's rule).
    func firstDay(atOrAfter day: Int, month: Int, year: Int) -> Int? {
        let length = CivilTime.days(inMonth: month, of: year)
        guard day <= length else { return nil }
        var weekday = CivilTime.weekday(ofDayNumber: CivilTime.dayNumber(year: year, month: month, day: day))
        for candidate in day...length {
            if matchesDay(candidate, weekday: weekday) { return candidate }
            weekday = (weekday + 1) % 7
        }
        return nil
    }
}
