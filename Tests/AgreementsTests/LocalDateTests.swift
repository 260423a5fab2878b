import Agreements
import Foundation
import Testing

@Suite struct LocalDateTests {
    @Test func parsesOnlyRealDatesInTheStrictForm() {
        #expect(LocalDate("2027-03-01")?.description == "2027-03-01")
        #expect(LocalDate("2028-02-29") != nil)
        for bad in ["2027-02-29", "2027-13-01", "2027-3-1", "27-03-01", "2027/03/01", "2027-03-01T00:00", "", "abcd-ef-gh"] {
            #expect(LocalDate(bad) == nil, "\(bad) parsed")
        }
    }

    @Test func datesSubtractToDaysAndCompare() throws {
        let start = try #require(LocalDate("2026-12-30")), end = try #require(LocalDate("2027-01-02"))
        #expect(end - start == 3)
        #expect(start < end)
        #expect(start.adding(days: 3) == end)
        #expect(LocalDate("2024-02-29")?.adding(years: 1).description == "2025-02-28")
        #expect(LocalDate(dayNumber: 0).description == "1970-01-01")
        #expect(LocalDate("1969-12-31")?.dayNumber == -1)
    }

    @Test func weekdaysAreISO() {
        #expect(LocalDate("2026-11-30")?.weekday == 1)   // a Monday
        #expect(LocalDate("2026-12-06")?.weekday == 7)   // a Sunday
    }

    @Test func workdaysSkipWeekendsAndConfiguredHolidays() throws {
        let friday = try #require(LocalDate("2026-12-04"))
        let plain = WorkCalendar()
        #expect(plain.offset(byWorkdays: 1, from: friday)?.description == "2026-12-07")
        #expect(plain.offset(byWorkdays: -1, from: try #require(LocalDate("2026-12-07")))?.description == "2026-12-04")
        let withHoliday = WorkCalendar(holidays: [try #require(LocalDate("2026-12-07"))])
        #expect(withHoliday.offset(byWorkdays: 1, from: friday)?.description == "2026-12-08")
        #expect(withHoliday.offset(byWorkdays: 15, from: friday)?.description == "2026-12-28")
    }

    @Test func arithmeticPastTheRepresentableRangeIsNoDateNeverATrap() throws {
        let today = try #require(LocalDate("2026-11-30"))
        #expect(today.offset(byDays: .max) == nil)
        #expect(today.offset(byDays: .min) == nil)
        #expect(today.offset(byDays: 3_000_000) == nil)
        #expect(LocalDate.latest.offset(byDays: 1) == nil)
        #expect(LocalDate.earliest.offset(byDays: -1) == nil)
        #expect(LocalDate.latest.description == "9999-12-31")
        #expect(WorkCalendar().offset(byWorkdays: .min, from: today) == nil)
        #expect(WorkCalendar().offset(byWorkdays: 1_000_000_000_000, from: today) == nil)
        #expect(today.adding(years: .max) == LocalDate.latest)
    }

    @Test func todayIsTakenInTheWorkspaceTimeZone() throws {
        // 2026-11-30 20:00 UTC is already 1 December in Jakarta (UTC+7).
        let instant = try #require(ISO8601DateFormatter().date(from: "2026-11-30T20:00:00Z"))
        #expect(WorkCalendar().date(of: instant).description == "2026-12-01")
        #expect(WorkCalendar(timeZone: try #require(TimeZone(identifier: "UTC"))).date(of: instant).description == "2026-11-30")
    }
}
