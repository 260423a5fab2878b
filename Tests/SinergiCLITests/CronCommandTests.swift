import Foundation
import Testing

/// `sinergi cron next` end to end on the real binary: outside a workspace (Asia/Jakarta) and
/// inside one (its time zone and clock).
@Suite struct CronCommandTests {
    /// Runs `sinergi cron next ARGS` in an empty folder: no workspace.
    func outside(_ arguments: [String]) throws -> CLI.Result {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try CLI.run(["cron", "next"] + arguments, in: folder)
    }

    @Test func weekdayMorningsAcrossTheYearEndOutsideAWorkspace() throws {
        let result = try outside(["0 8 * * 1-5", "--from", "2026-12-31T09:00:00+07:00", "--count", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "2027-01-01T08:00:00+07:00\n2027-01-04T08:00:00+07:00\n2027-01-05T08:00:00+07:00\n")
        #expect(result.stderr == "")
    }

    @Test func anotherZoneKeepsItsOffsetAcrossDaylightSaving() throws {
        let result = try outside(["30 2 * * *", "--tz", "Europe/Berlin", "--from", "2027-03-27T12:00:00+01:00", "--count", "2"])
        #expect(result.stdout == "2027-03-28T03:00:00+02:00\n2027-03-29T02:30:00+02:00\n")
    }

    @Test func withoutFromTheNextTimeIsAfterNow() throws {
        let result = try outside(["@hourly"])
        #expect(result.status == 0)
        let line = result.stdout.trimmingCharacters(in: .newlines)
        let next = try #require(ISO8601DateFormatter().date(from: line), "\(line)")
        #expect(line.hasSuffix(":00:00+07:00"))
        #expect(next > Date())
    }

    @Test func aBadExpressionIsAValidationErrorNamingFieldAndPosition() throws {
        let result = try outside(["0 8 * * mon-xyz"])
        #expect(result.status == 7)
        #expect(result.stdout == "")
        #expect(result.stderr == "error[validation]: cron: day-of-week field at position 13: 'xyz' is not a day name (sun–sat or 0–7)\n")
        #expect(try outside(["@reboot"]).firstErrorLine.hasPrefix("error[validation]: cron: at position 1: @reboot has no fire time"))
    }

    @Test func anExpressionThatNeverFiresSaysSo() throws {
        let result = try outside(["0 0 30 2 *", "--from", "2027-01-01T00:00:00+07:00"])
        #expect(result.status == 7)
        #expect(result.stderr == "error[validation]: cron: '0 0 30 2 *' never fires after 2027-01-01T00:00:00+07:00: "
                + "the days it names never occur (like 30 February)\n")
    }

    @Test func badOptionsAreRefusedWithWhatToWrite() throws {
        let zone = try outside(["@daily", "--tz", "Jakarta"])
        #expect(zone.status == 7)
        #expect(zone.firstErrorLine == "error[validation]: --tz 'Jakarta' is not a time zone name (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)")
        let from = try outside(["@daily", "--from", "2027-01-15 09:00"])
        #expect(from.status == 7)
        #expect(from.firstErrorLine == "error[validation]: --from '2027-01-15 09:00' is not an ISO 8601 time with an offset (e.g. 2027-01-15T09:00:00+07:00)")
        let count = try outside(["@daily", "--count", "1001"])
        #expect(count.status == 64)
        #expect(count.firstErrorLine == "Error: --count must be from 1 to 1000, not 1001")
        #expect(try outside(["@daily", "--count", "0"]).status == 64)
        #expect(try outside(["@daily", "--now", "2027-01-01T00:00:00+07:00"]).firstErrorLine
                == "error[validation]: --now needs a workspace that allows it (testing = { clock_override = true }); outside one, use --from")
    }

    /// `--from` is read as strictly as `--now`: ISO 8601's formatter rolled 30 February over to
    /// 2 March, took 24:00 and an offset of +99:00, and the times printed ran into year 10000,
    /// where an instant past the last date blamed the expression ("like 30 February").
    @Test func fromIsReadStrictlyAndTimesStopAtTheLastDate() throws {
        for from in ["2027-02-30T00:00:00Z", "2027-01-01T24:00:00Z", "2027-01-01T00:00:00+99:00", "10000-01-01T00:00:00Z"] {
            let result = try outside(["@daily", "--from", from])
            #expect(result.status == 7, "\(from): \(result.stdout)")
            #expect(result.firstErrorLine.hasPrefix("error[validation]: --from '\(from)' is not an ISO 8601 time"), "\(from)")
        }
        let edge = try outside(["@daily", "--from", "9999-12-31T23:59:59Z"])
        #expect(edge.status == 7)
        #expect(edge.firstErrorLine == "error[validation]: --from '9999-12-31T23:59:59Z' is not within 0001-01-01 … 9999-12-31 "
                + "(in UTC and in Asia/Jakarta)")
        let last = try outside(["@daily", "--from", "9999-12-29T00:00:00+07:00", "--count", "5"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout == "9999-12-30T00:00:00+07:00\n9999-12-31T00:00:00+07:00\n")
        let first = try outside(["* * * * *", "--from", "0001-01-01T00:00:00Z", "--tz", "UTC", "--count", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "0001-01-01T00:01:00Z\n0001-01-01T00:02:00Z\n")
        let lastSecond = try outside(["* * * * *", "--from", "9999-12-31T23:59:59Z", "--tz", "UTC"])
        #expect(lastSecond.firstErrorLine == "error[validation]: cron: '* * * * *' has no fire time after 9999-12-31T23:59:59Z "
                + "on or before 9999-12-31, the last date Sinergi counts")
        let none = try outside(["@yearly", "--from", "9999-06-01T00:00:00+07:00"])
        #expect(none.status == 7)
        #expect(none.firstErrorLine == "error[validation]: cron: '@yearly' has no fire time after 9999-06-01T00:00:00+07:00 "
                + "on or before 9999-12-31, the last date Sinergi counts")
    }

    @Test func insideAWorkspaceItsZoneAndClockAreTheDefaults() throws {
        let sample = try SearchAndUsersCommandTests.sample(appending: "timezone = \"Asia/Jayapura\"\ntesting = { clock_override = true }")
        let result = try sample.run(["cron", "next", "@daily", "--now", "2027-01-01T00:00:00+07:00", "--count", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "2027-01-02T00:00:00+09:00\n2027-01-03T00:00:00+09:00\n")
        // --tz and --from still win.
        let explicit = try sample.run(["cron", "next", "@daily", "--tz", "Asia/Jakarta", "--from", "2027-01-01T00:00:00+07:00"])
        #expect(explicit.stdout == "2027-01-02T00:00:00+07:00\n")
    }
}
