import Agreements
import Foundation
import Testing

/// `timestamp(of:)` and `date(of:)` work by arithmetic on the zone's offset; they must say what
/// ICU's ISO 8601 formatter and Gregorian calendar say, across offsets of every shape (half and
/// three-quarter hours, west of Greenwich, DST changes, a zero offset) and centuries.
@Suite struct WorkCalendarStampTests {
    static let zones = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC", "Europe/London", "Europe/Berlin",
                        "America/St_Johns", "America/Los_Angeles", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Kiritimati"]

    /// Instants spread over 1900–2200, and the seconds either side of midnights and DST changes.
    static var instants: [Date] {
        var seconds: [Double] = [0, -1, 1, 86_399, 86_400, 951_782_400, 1_711_846_800, 1_711_846_799, 1_729_990_800,
                                 4_102_444_799, 4_102_444_800, -2_208_988_800, 7_258_118_400]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 { seconds.append(Double(Int.random(in: -2_208_988_800...7_258_118_400, using: &generator))) }
        seconds.append(1_798_761_600.75)  // a fraction of a second is cut, as the formatter does
        seconds.append(-0.25)
        return seconds.map(Date.init(timeIntervalSince1970:))
    }

    @Test(arguments: zones)
    func stampsAndDatesAgreeWithICU(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let calendar = WorkCalendar(timeZone: zone)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        for instant in Self.instants {
            #expect(calendar.timestamp(of: instant) == formatter.string(from: instant), "\(zoneName) \(instant.timeIntervalSince1970)")
            let parts = gregorian.dateComponents([.year, .month, .day], from: instant)
            #expect(calendar.date(of: instant) == LocalDate(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0),
                    "\(zoneName) \(instant.timeIntervalSince1970)")
        }
    }

    @Test func utcStampsEndInZ() {
        #expect(WorkCalendar.utcStamp(of: Date(timeIntervalSince1970: 1_798_761_600)) == "2027-01-01T00:00:00Z")
        #expect(WorkCalendar().timestamp(of: Date(timeIntervalSince1970: 1_798_761_600)) == "2027-01-01T07:00:00+07:00")
    }

    /// The first and last days of years 1–9999 are stamped here too, in the proleptic Gregorian
    /// calendar Sinergi's dates use: the formatter (Julian before 1582) stamped the first second
    /// as 0001-01-03 and `cron next --from 0001-01-01T00:00:00Z` printed that.
    @Test func theFirstAndLastDaysAreStampedInTheGregorianCalendar() throws {
        let utc = WorkCalendar(timeZone: try #require(TimeZone(identifier: "UTC")))
        #expect(utc.timestamp(of: Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(utc.timestamp(of: Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(WorkCalendar().timestamp(of: Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T07:07:12+07:07:12")
    }
}
