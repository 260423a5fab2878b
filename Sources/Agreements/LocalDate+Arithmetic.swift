/// Date arithmetic that cannot overflow: scripts add any integer to a date
/// (`today() + math.maxinteger`), and the answer to an impossible date is "no date", never a trap.
extension LocalDate {
    /// The first date Sinergi can represent, 0001-01-01.
    public static let earliest = LocalDate(dayNumber: LocalDate.days(fromCivil: 1, 1, 1))
    /// The last date Sinergi can represent, 9999-12-31 (the text form has four year digits).
    public static let latest = LocalDate(dayNumber: LocalDate.days(fromCivil: 9999, 12, 31))

    /// True when the date lies between `earliest` and `latest`.
    public var isRepresentable: Bool { (LocalDate.earliest...LocalDate.latest).contains(self) }

    /// The date `days` later (earlier, for a negative count), or nil when it would leave
    /// 0001-01-01…9999-12-31.
    public func offset(byDays days: Int64) -> LocalDate? {
        let (sum, overflow) = Int64(dayNumber).addingReportingOverflow(days)
        guard !overflow, sum >= Int64(LocalDate.earliest.dayNumber), sum <= Int64(LocalDate.latest.dayNumber) else { return nil }
        return LocalDate(dayNumber: Int(sum))
    }
}

extension WorkCalendar {
    /// The date `count` working days after `date` (before, for a negative count), or nil when it
    /// would leave the representable range. The walk is bounded by that range, so any count ends.
    public func offset(byWorkdays count: Int64, from date: LocalDate) -> LocalDate? {
        let span = Int64(LocalDate.latest.dayNumber - LocalDate.earliest.dayNumber)
        guard count.magnitude <= UInt64(span) else { return nil }
        var current = date
        var remaining = count.magnitude
        let step: Int64 = count >= 0 ? 1 : -1
        while remaining > 0 {
            guard let next = current.offset(byDays: step) else { return nil }
            current = next
            if isWorkday(current) { remaining -= 1 }
        }
        return current
    }
}
