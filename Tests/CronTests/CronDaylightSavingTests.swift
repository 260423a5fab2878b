import Cron
import Foundation
import Testing

/// The DST policy in zones that have it: a skipped wall-clock time fires once at the end of the
/// gap; a repeated one fires once, at its first occurrence. New York in 2027 springs forward on
/// 14 March (02:00 EST → 03:00 EDT) and falls back on 7 November (02:00 EDT → 01:00 EST); Berlin
/// on 28 March (02:00 → 03:00) and 31 October (03:00 → 02:00).
@Suite struct CronDaylightSavingTests {
    @Test func aTimeInTheSpringGapFiresAtTheGapsEnd() throws {
        #expect(try Fires.list("30 2 * * *", from: "2027-03-13T12:00:00-05:00", count: 3, zone: "America/New_York")
                == ["2027-03-14T03:00:00-04:00",
                    "2027-03-15T02:30:00-04:00", "2027-03-16T02:30:00-04:00"])
        #expect(try Fires.list("30 2 * * *", from: "2027-03-27T12:00:00+01:00", count: 2, zone: "Europe/Berlin")
                == ["2027-03-28T03:00:00+02:00", "2027-03-29T02:30:00+02:00"])
    }

    @Test func severalTimesInOneGapFireOnce() throws {
        #expect(try Fires.list("*/15 * * * *", from: "2027-03-14T01:50:00-05:00", count: 3, zone: "America/New_York")
                == ["2027-03-14T03:00:00-04:00", "2027-03-14T03:15:00-04:00", "2027-03-14T03:30:00-04:00"])
        #expect(try Fires.list("0,30 2,3 * * *", from: "2027-03-14T01:00:00-05:00", count: 2, zone: "America/New_York")
                == ["2027-03-14T03:00:00-04:00", "2027-03-14T03:30:00-04:00"])
    }

    @Test func timesAroundTheGapAreUntouched() throws {
        #expect(try Fires.list("0 1,3 * * *", from: "2027-03-14T00:00:00-05:00", count: 2, zone: "America/New_York")
                == ["2027-03-14T01:00:00-05:00", "2027-03-14T03:00:00-04:00"])
    }

    @Test func aRepeatedTimeFiresAtItsFirstOccurrenceOnly() throws {
        #expect(try Fires.list("30 1 * * *", from: "2027-11-06T12:00:00-04:00", count: 2, zone: "America/New_York")
                == ["2027-11-07T01:30:00-04:00", "2027-11-08T01:30:00-05:00"])
        #expect(try Fires.list("30 2 * * *", from: "2027-10-30T12:00:00+02:00", count: 2, zone: "Europe/Berlin")
                == ["2027-10-31T02:30:00+02:00", "2027-11-01T02:30:00+01:00"])
    }

    @Test func theRepeatedHourDoesNotFireAgain() throws {
        #expect(try Fires.list("*/30 * * * *", from: "2027-11-07T00:45:00-04:00", count: 4, zone: "America/New_York")
                == ["2027-11-07T01:00:00-04:00", "2027-11-07T01:30:00-04:00", "2027-11-07T02:00:00-05:00",
                    "2027-11-07T02:30:00-05:00"])
        // Asked from inside the second pass, the next time is after the overlap.
        #expect(try Fires.list("*/30 * * * *", from: "2027-11-07T01:10:00-05:00", count: 1, zone: "America/New_York")
                == ["2027-11-07T02:00:00-05:00"])
    }
}
