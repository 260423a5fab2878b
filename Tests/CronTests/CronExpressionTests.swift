import Cron
import Foundation
import Testing

/// Fire times in Asia/Jakarta (WIB, +07:00 all year), vectors read off man 5 crontab (Debian).
@Suite struct CronExpressionTests {
    @Test func weekdayMorningsSkipTheWeekendAcrossTheYearEnd() throws {
        #expect(try Fires.list("0 8 * * 1-5", from: "2026-12-31T09:00:00+07:00", count: 3)
                == ["2027-01-01T08:00:00+07:00", "2027-01-04T08:00:00+07:00", "2027-01-05T08:00:00+07:00"])
    }

    @Test func theNextTimeIsStrictlyAfterTheGivenOne() throws {
        #expect(try Fires.list("0 8 * * 1-5", from: "2027-01-04T08:00:00+07:00", count: 1) == ["2027-01-05T08:00:00+07:00"])
        #expect(try Fires.list("0 8 * * 1-5", from: "2027-01-04T07:59:59+07:00", count: 1) == ["2027-01-04T08:00:00+07:00"])
        #expect(try Fires.list("* * * * *", from: "2027-01-04T08:00:30+07:00", count: 2)
                == ["2027-01-04T08:01:00+07:00", "2027-01-04T08:02:00+07:00"])
    }

    /// Both day fields restricted: a day matching either fires ("0 0 1,15 * mon": the 1st, the
    /// 15th and every Monday).
    @Test func restrictedDayFieldsMatchEither() throws {
        #expect(try Fires.list("0 0 1,15 * mon", from: "2027-01-01T00:00:00+07:00", count: 6)
                == ["2027-01-04T00:00:00+07:00", "2027-01-11T00:00:00+07:00", "2027-01-15T00:00:00+07:00",
                    "2027-01-18T00:00:00+07:00", "2027-01-25T00:00:00+07:00", "2027-02-01T00:00:00+07:00"])
    }

    /// A day field that starts with `*` (even `*/2`) makes the day match both fields.
    @Test func aStarredDayFieldMakesBothMatch() throws {
        #expect(try Fires.list("0 0 * * mon", from: "2027-01-01T00:00:00+07:00", count: 2)
                == ["2027-01-04T00:00:00+07:00", "2027-01-11T00:00:00+07:00"])
        // Odd days of the month that are Mondays.
        #expect(try Fires.list("0 0 */2 * mon", from: "2027-01-01T00:00:00+07:00", count: 4)
                == ["2027-01-11T00:00:00+07:00", "2027-01-25T00:00:00+07:00", "2027-02-01T00:00:00+07:00",
                    "2027-02-15T00:00:00+07:00"])
        // The 1st, when it is a Sunday, Tuesday, Thursday or Saturday.
        #expect(try Fires.list("0 0 1 * */2", from: "2027-01-01T00:00:00+07:00", count: 3)
                == ["2027-04-01T00:00:00+07:00", "2027-05-01T00:00:00+07:00", "2027-06-01T00:00:00+07:00"])
    }

    @Test func stepsCountFromTheStartOfTheirRange() throws {
        #expect(try Fires.list("*/15 * * * *", from: "2027-01-04T09:07:00+07:00", count: 4)
                == ["2027-01-04T09:15:00+07:00", "2027-01-04T09:30:00+07:00", "2027-01-04T09:45:00+07:00",
                    "2027-01-04T10:00:00+07:00"])
        #expect(try Fires.list("1-10/4 9 * * *", from: "2027-01-04T09:00:00+07:00", count: 4)
                == ["2027-01-04T09:01:00+07:00", "2027-01-04T09:05:00+07:00", "2027-01-04T09:09:00+07:00",
                    "2027-01-05T09:01:00+07:00"])
        #expect(try Fires.list("0 */6,23 * * *", from: "2027-01-04T00:00:00+07:00", count: 5)
                == ["2027-01-04T06:00:00+07:00", "2027-01-04T12:00:00+07:00", "2027-01-04T18:00:00+07:00",
                    "2027-01-04T23:00:00+07:00", "2027-01-05T00:00:00+07:00"])
    }

    @Test func monthAndDayNamesInAnyCaseInListsAndRanges() throws {
        #expect(try Fires.list("30 6 * jan,JUL Sun", from: "2027-01-01T00:00:00+07:00", count: 6)
                == ["2027-01-03T06:30:00+07:00", "2027-01-10T06:30:00+07:00", "2027-01-17T06:30:00+07:00",
                    "2027-01-24T06:30:00+07:00", "2027-01-31T06:30:00+07:00", "2027-07-04T06:30:00+07:00"])
        #expect(try Fires.list("0 12 * feb-mar mon-wed", from: "2027-01-01T00:00:00+07:00", count: 4)
                == ["2027-02-01T12:00:00+07:00", "2027-02-02T12:00:00+07:00", "2027-02-03T12:00:00+07:00",
                    "2027-02-08T12:00:00+07:00"])
    }

    @Test func sevenIsSundayLikeZero() throws {
        let sundays = ["2027-01-03T09:00:00+07:00", "2027-01-10T09:00:00+07:00"]
        for expression in ["0 9 * * 7", "0 9 * * 0", "0 9 * * sun"] {
            #expect(try Fires.list(expression, from: "2027-01-01T00:00:00+07:00", count: 2) == sundays, "\(expression)")
        }
        #expect(try Fires.list("0 9 * * 5-7", from: "2027-01-01T00:00:00+07:00", count: 4)
                == ["2027-01-01T09:00:00+07:00", "2027-01-02T09:00:00+07:00", "2027-01-03T09:00:00+07:00",
                    "2027-01-08T09:00:00+07:00"])
    }

    @Test func februaryTheTwentyNinthWaitsForALeapYear() throws {
        #expect(try Fires.list("0 0 29 2 *", from: "2026-01-01T00:00:00+07:00", count: 2)
                == ["2028-02-29T00:00:00+07:00", "2032-02-29T00:00:00+07:00"])
        // 2100 is no leap year.
        #expect(try Fires.list("0 0 29 2 *", from: "2097-01-01T00:00:00+07:00", count: 1) == ["2104-02-29T00:00:00+07:00"])
        // …and on a Sunday only (both rule), the first is 2032.
        #expect(try Fires.list("0 0 29 2 */7", from: "2026-01-01T00:00:00+07:00", count: 1) == ["2032-02-29T00:00:00+07:00"])
    }

    @Test func theThirtyFirstSkipsShorterMonths() throws {
        #expect(try Fires.list("0 0 31 * *", from: "2027-01-31T00:00:00+07:00", count: 6)
                == ["2027-03-31T00:00:00+07:00", "2027-05-31T00:00:00+07:00", "2027-07-31T00:00:00+07:00",
                    "2027-08-31T00:00:00+07:00", "2027-10-31T00:00:00+07:00", "2027-12-31T00:00:00+07:00"])
    }

    @Test func aDateThatNeverComesNeverFires() throws {
        let zone = try Fires.zone("Asia/Jakarta")
        let from = try Fires.instant("2027-01-01T00:00:00+07:00")
        #expect(try CronExpression("0 0 30 2 *").next(after: from, in: zone) == nil)
        #expect(try CronExpression("0 0 31 apr,jun,sep,nov *").next(after: from, in: zone) == nil)
        // With a restricted day-of-week the either-rule applies: Mondays of February.
        #expect(try Fires.list("0 0 30 2 mon", from: "2027-01-01T00:00:00+07:00", count: 1) == ["2027-02-01T00:00:00+07:00"])
    }

    @Test func shorthandsStandForTheirFields() throws {
        let from = "2026-12-31T09:00:00+07:00"
        #expect(try Fires.list("@yearly", from: from, count: 2) == ["2027-01-01T00:00:00+07:00", "2028-01-01T00:00:00+07:00"])
        #expect(try Fires.list("@annually", from: from, count: 1) == ["2027-01-01T00:00:00+07:00"])
        #expect(try Fires.list("@monthly", from: from, count: 2) == ["2027-01-01T00:00:00+07:00", "2027-02-01T00:00:00+07:00"])
        #expect(try Fires.list("@weekly", from: from, count: 2) == ["2027-01-03T00:00:00+07:00", "2027-01-10T00:00:00+07:00"])
        #expect(try Fires.list("@daily", from: from, count: 2) == ["2027-01-01T00:00:00+07:00", "2027-01-02T00:00:00+07:00"])
        #expect(try Fires.list("@midnight", from: from, count: 1) == ["2027-01-01T00:00:00+07:00"])
        #expect(try Fires.list("@hourly", from: from, count: 2) == ["2026-12-31T10:00:00+07:00", "2026-12-31T11:00:00+07:00"])
        #expect(try Fires.list("  @DAILY ", from: from, count: 1) == ["2027-01-01T00:00:00+07:00"])
    }

    @Test func theSourceIsKeptAndNamesTheValue() throws {
        let cron = try CronExpression("0 8 * * mon-fri")
        #expect(cron.source == "0 8 * * mon-fri")
        #expect(cron.description == "0 8 * * mon-fri")
        #expect(cron == (try CronExpression("0 8 * * mon-fri")))
        #expect(cron != (try CronExpression("0 8 * * 1-5")))
        #expect(Set([cron, try CronExpression("0 8 * * mon-fri")]).count == 1)
    }

    @Test func instantsOutsideYearsOneToNineThousandHaveNoNextTime() throws {
        let zone = try Fires.zone("Asia/Jakarta")
        let cron = try CronExpression("* * * * *")
        #expect(cron.next(after: Date(timeIntervalSince1970: 1e15), in: zone) == nil)
        #expect(cron.next(after: Date(timeIntervalSince1970: -1e15), in: zone) == nil)
        #expect(try Fires.list("@yearly", from: "9998-06-01T00:00:00+07:00", count: 1) == ["9999-01-01T00:00:00+07:00"])
        #expect(cron.next(after: Date(timeIntervalSince1970: .infinity), in: zone) == nil)
        #expect(cron.next(after: Date(timeIntervalSince1970: .nan), in: zone) == nil)
    }

    /// Both ends of years 1–9999 are inside: the first second (it was refused, so `cron next
    /// --from 0001-01-01T00:00:00Z` said the expression never fires) and the last.
    @Test func theFirstAndLastSecondsOfYearsOneToNineThousandHaveANextTime() throws {
        let cron = try CronExpression("* * * * *")
        #expect(cron.next(after: Date(timeIntervalSince1970: -62_135_596_800), in: try Fires.zone("UTC"))
                == Date(timeIntervalSince1970: -62_135_596_740))
        #expect(cron.next(after: Date(timeIntervalSince1970: -62_135_596_801), in: try Fires.zone("UTC")) == nil)
        #expect(cron.next(after: Date(timeIntervalSince1970: 253_402_300_799), in: try Fires.zone("UTC"))
                == Date(timeIntervalSince1970: 253_402_300_800))
        #expect(cron.next(after: Date(timeIntervalSince1970: 253_402_300_800), in: try Fires.zone("UTC")) == nil)
    }
}
