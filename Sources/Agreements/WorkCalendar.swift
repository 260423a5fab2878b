import Foundation

/// The source of "now". Injected everywhere so tests and rehearsals can travel in time
/// (DESIGN.md conventions; `--now` on the CLI).
public protocol Clock: Sendable {
    func now() -> Date
}

/// The machine's clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock stopped at one instant.
public struct FixedClock: Clock {
    public let instant: Date
    public init(_ instant: Date) { self.instant = instant }
    public func now() -> Date { instant }
}

/// Days and hari kerja in the workspace's time zone, with its holiday list.
///
/// Permendagri 22/2020 counts its periods in "hari": calendar days is the literal reading, and
/// whether regions count them so is unconfirmed (domain.md 4.3), hence the DPRD step's
/// `dprd_days` setting. Foreign cooperation counts "hari kerja" by law (PP 28/2018 Pasal 30(4)). Working days skip Saturdays, Sundays and the holidays
/// the workspace configures (national holidays and cuti bersama change every year).
public struct WorkCalendar: Sendable {
    public var timeZone: TimeZone
    public var holidays: Set<LocalDate>

    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta") ?? .current, holidays: Set<LocalDate> = []) {
        self.timeZone = timeZone
        self.holidays = holidays
    }

    /// The date of `instant` in the workspace time zone.
    public func date(of instant: Date) -> LocalDate {
        if let wall = wallClock(of: instant) { return LocalDate(dayNumber: wall.days) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? LocalDate(dayNumber: 0)
    }

    /// `instant` as ISO 8601 with the workspace's offset (`2026-03-09T08:00:00+07:00`; `Z` when
    /// the offset is zero; `+07:07:12` for a local mean time's offset in seconds), whole seconds.
    public func timestamp(of instant: Date) -> String {
        guard let wall = wallClock(of: instant) else {
            return TimestampFormatters.shared.string(from: instant, in: timeZone)
        }
        let (year, month, day) = LocalDate(dayNumber: wall.days).components
        // Written as bytes into the string's own storage: every row a transition writes is stamped.
        return String(unsafeUninitializedCapacity: 28) { bytes in
            var end = 0
            func put(_ separator: Unicode.Scalar) {
                bytes[end] = UInt8(ascii: separator)
                end += 1
            }
            func put(_ number: Int, digits: Int) {
                var rest = number
                for position in (0..<digits).reversed() {
                    bytes[end + position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += digits
            }
            put(year, digits: 4); put("-"); put(month, digits: 2); put("-"); put(day, digits: 2)
            put("T"); put(wall.second / 3600, digits: 2); put(":"); put(wall.second / 60 % 60, digits: 2)
            put(":"); put(wall.second % 60, digits: 2)
            if wall.offset == 0 {
                put("Z")
            } else {
                put(wall.offset < 0 ? "-" : "+")
                put(abs(wall.offset) / 3600, digits: 2); put(":"); put(abs(wall.offset) / 60 % 60, digits: 2)
                if wall.offset % 60 != 0 { put(":"); put(abs(wall.offset) % 60, digits: 2) }
            }
            return end
        }
    }

    /// The day (since 1970-01-01) and second of that day `instant` falls on in the workspace
    /// zone, and the zone's offset then — by arithmetic on the offset, not through ICU: every
    /// row a transition writes is stamped, and its `ctx.today` is a date. Nil when the local
    /// time falls outside the years 1–9999, which the formatter handles (in the Julian calendar
    /// before 1582 — so everything inside, its first and last day too, is done here).
    private func wallClock(of instant: Date) -> (days: Int, second: Int, offset: Int)? {
        let since1970 = instant.timeIntervalSince1970
        guard since1970.isFinite, abs(since1970) < 1e15 else { return nil }
        let offset = timeZone.secondsFromGMT(for: instant)
        let local = Int(since1970.rounded(.down)) + offset
        guard local >= -62_135_596_800, local < 253_402_300_800 else { return nil }
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (days, local - days * 86_400, offset)
    }

    /// The first instant (00:00) of `date` in the workspace time zone: when a period ending the
    /// day before is over.
    public func start(of date: LocalDate) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = date.components
        return calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day))
    }

    /// `instant` in UTC (`2026-03-09T01:00:00Z`): stored instants that must order as text.
    public static func utcStamp(of instant: Date) -> String {
        utc.timestamp(of: instant)
    }

    private static let utc = WorkCalendar(timeZone: TimeZone(identifier: "UTC") ?? .current)

    public func isWorkday(_ date: LocalDate) -> Bool {
        date.weekday <= 5 && !holidays.contains(date)
    }

}

/// One ISO 8601 formatter per time zone, made once: making one costs ≈0.3 ms (ICU), which a
/// transition that stamps half a dozen rows paid each time. Formatting is thread-safe; the
/// lock only guards the table.
final class TimestampFormatters: @unchecked Sendable {
    static let shared = TimestampFormatters()
    private let lock = NSLock()
    private var formatters: [String: ISO8601DateFormatter] = [:]

    func string(from instant: Date, in zone: TimeZone) -> String {
        lock.lock()
        let formatter = formatters[zone.identifier] ?? {
            let made = ISO8601DateFormatter()
            made.timeZone = zone
            made.formatOptions = [.withInternetDateTime]
            formatters[zone.identifier] = made
            return made
        }()
        lock.unlock()
        return formatter.string(from: instant)
    }
}
