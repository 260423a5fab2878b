import Cron
import Testing

/// Mistakes are refused with the field, the 1-based character position and what to write.
@Suite struct CronParseErrorTests {
    struct Case: CustomStringConvertible, Sendable {
        var expression: String
        var field: String
        var position: Int
        var message: String
        var description: String { "'\(expression)'" }
    }

    static let cases: [Case] = [
        Case(expression: "0 8 * * mon-xyz", field: "day-of-week", position: 13, message: "'xyz' is not a day name (sun–sat or 0–7)"),
        Case(expression: "  0 8 * * mon-xyz", field: "day-of-week", position: 15, message: "'xyz' is not a day name (sun–sat or 0–7)"),
        Case(expression: "60 * * * *", field: "minute", position: 1, message: "'60' is not a minute (0–59)"),
        Case(expression: "a * * * *", field: "minute", position: 1, message: "'a' is not a minute (0–59)"),
        Case(expression: "0 24 * * *", field: "hour", position: 3, message: "'24' is not an hour (0–23)"),
        Case(expression: "0 0 0 * *", field: "day-of-month", position: 5, message: "'0' is not a day of the month (1–31)"),
        Case(expression: "0 0 1 13 *", field: "month", position: 7, message: "'13' is not a month (jan–dec or 1–12)"),
        Case(expression: "0 0 1 january *", field: "month", position: 7, message: "'january' is not a month (jan–dec or 1–12)"),
        Case(expression: "0 0 * * 8", field: "day-of-week", position: 9, message: "'8' is not a day name (sun–sat or 0–7)"),
        Case(expression: "0 0 10-5 * *", field: "day-of-month", position: 5,
             message: "range '10-5' runs backwards; write the smaller value first, or use a list (e.g. 28-31,1-3)"),
        Case(expression: "0 0 * * fri-sun", field: "day-of-week", position: 9,
             message: "range 'fri-sun' runs backwards; write the smaller value first, or note Sunday is also 7 (e.g. fri-7)"),
        Case(expression: "*/0 * * * *", field: "minute", position: 3, message: "step 0 never advances; use 1 or more"),
        Case(expression: "*/61 * * * *", field: "minute", position: 3, message: "step '61' is not a number from 1 to 60"),
        Case(expression: "0 1-5/ * * *", field: "hour", position: 7, message: "a step is missing after '/'"),
        Case(expression: "5/10 * * * *", field: "minute", position: 2,
             message: "a step needs a range or * before it (e.g. 5-59/10 or */10)"),
        Case(expression: "0 0 * * mon/2", field: "day-of-week", position: 12,
             message: "a step needs a range or * before it (e.g. mon-7/2 or */2)"),
        Case(expression: "1,,2 * * * *", field: "minute", position: 3, message: "empty list element (two commas, or a comma at an end)"),
        Case(expression: "1, * * * *", field: "minute", position: 3, message: "empty list element (two commas, or a comma at an end)"),
        Case(expression: "1-2-3 * * * *", field: "minute", position: 4, message: "'1-2-3' has more than one '-'"),
        Case(expression: "*/2/3 * * * *", field: "minute", position: 4, message: "'*/2/3' has more than one '/'"),
        Case(expression: "-5 * * * *", field: "minute", position: 1, message: "a value is missing"),
        Case(expression: "0 8 * *", field: "expression", position: 8,
             message: "expected 5 fields (minute hour day-of-month month day-of-week) or an @ shorthand, found 4"),
        Case(expression: "0 8 * * * /bin/true", field: "expression", position: 11,
             message: "expected 5 fields (minute hour day-of-month month day-of-week) or an @ shorthand, found 6"),
        Case(expression: "", field: "expression", position: 1,
             message: "expected 5 fields (minute hour day-of-month month day-of-week) or an @ shorthand, found 0"),
        Case(expression: "@reboot", field: "expression", position: 1,
             message: "@reboot has no fire time (it means \"at boot\"); give a time, e.g. @daily or 0 8 * * *"),
        Case(expression: "@sometimes", field: "expression", position: 1,
             message: "'@sometimes' is not a shorthand (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)"),
        Case(expression: "@daily 5", field: "expression", position: 8, message: "@daily stands alone; nothing may follow it"),
    ]

    @Test(arguments: cases) func aMistakeNamesItsFieldAndPosition(_ expected: Case) throws {
        let error = try #require(Fires.parseError(expected.expression))
        #expect(error.field == expected.field)
        #expect(error.position == expected.position)
        #expect(error.message == expected.message)
    }

    @Test func theDescriptionIsOneLineWithFieldAndPosition() throws {
        #expect(try #require(Fires.parseError("0 8 * * mon-xyz")).description
                == "cron: day-of-week field at position 13: 'xyz' is not a day name (sun–sat or 0–7)")
        #expect(try #require(Fires.parseError("@reboot")).description.hasPrefix("cron: at position 1: @reboot has no fire time"))
    }

    /// `sinergi.lua` and the command line reach the parser: long input costs linear time, and a
    /// mistake far into it is still placed exactly.
    @Test func longInputParsesOrPointsAtItsMistake() throws {
        let list = String(repeating: "1,", count: 50_000)
        #expect(Fires.parseError(list + "2 * * * *") == nil)
        let error = try #require(Fires.parseError(list + "x * * * *"))
        #expect(error.field == "minute")
        #expect(error.position == 100_001)
    }

    @Test func everythingTheManPageAllowsParses() {
        for expression in ["* * * * *", "0-59/5 0-23 1-31 1-12 0-7", "0 0 * * 0-7/7", "59 23 31 12 sat",
                           "0\t8 *  * *", "0 8 * JAN-Dec Mon,Wed-Fri", "0 0 */31 * *", "*/60 */24 * * *"] {
            #expect(Fires.parseError(expression) == nil, "\(expression)")
        }
    }
}
