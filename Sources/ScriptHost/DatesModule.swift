import Agreements
import Foundation
import LuaKit

/// A date as scripts see it: compares, subtracts (`a.ends_on - today()` is days), adds days or
/// working days (`today() + 30`, `today() + workdays(10)`), prints as `2027-03-01`.
final class DateValue {
    let date: LocalDate
    init(_ date: LocalDate) { self.date = date }
}

/// `workdays(n)`: a span of hari kerja, counted with the workspace's holidays when added to a date.
final class WorkdaySpan {
    let count: Int64
    init(_ count: Int64) { self.count = count }
}

/// The date functions: `today() now() date(text) days(n) workdays(n)` and the date metatable.
struct DatesModule {
    let dates = LuaClass<DateValue>(name: "date", readOnlyMessage: "dates are values; make a new one with date(\"YYYY-MM-DD\")")
    let spans = LuaClass<WorkdaySpan>(name: "workdays")

    init(context: RunContext) {
        dates.describe = { $0.date.description }
        dates.field("year") { value, call in call.push(integer: Int64(value.date.components.year)) }
        dates.field("month") { value, call in call.push(integer: Int64(value.date.components.month)) }
        dates.field("day") { value, call in call.push(integer: Int64(value.date.components.day)) }
        dates.field("weekday") { value, call in call.push(integer: Int64(value.date.weekday)) }
        let dates = self.dates, spans = self.spans
        spans.describe = { "workdays(\($0.count))" }
        let calendar = context.calendar
        // Every result is checked: a date outside 0001-01-01…9999-12-31 is a runtime error, like
        // Lua's own arithmetic errors, whatever integer a script adds.
        func shifted(_ date: LocalDate, by amount: Int64, workdays: Bool) throws -> DateValue {
            let result = workdays ? calendar.offset(byWorkdays: amount, from: date) : date.offset(byDays: amount)
            guard let result else { throw DatesModule.outOfRange(date, amount, workdays: workdays) }
            return DateValue(result)
        }
        dates.metamethod(.sub) { call in
            guard let lhs = dates.object(at: 1, in: call) else { throw call.badArgument(1, expected: "date") }
            if let rhs = dates.object(at: 2, in: call) {
                call.push(integer: Int64(lhs.date - rhs.date))
            } else if let span = spans.object(at: 2, in: call) {
                call.push(try shifted(lhs.date, by: 0 &- span.count, workdays: true), as: dates)
            } else {
                let days = try call.integer(2)
                guard days != .min else { throw DatesModule.outOfRange(lhs.date, days, workdays: false) }
                call.push(try shifted(lhs.date, by: -days, workdays: false), as: dates)
            }
            return 1
        }
        dates.metamethod(.add) { call in
            let (dateIndex, otherIndex): (Int32, Int32) = dates.object(at: 1, in: call) != nil ? (1, 2) : (2, 1)
            guard let value = dates.object(at: dateIndex, in: call) else { throw call.badArgument(1, expected: "date") }
            if let span = spans.object(at: otherIndex, in: call) {
                call.push(try shifted(value.date, by: span.count, workdays: true), as: dates)
            } else {
                call.push(try shifted(value.date, by: try call.integer(otherIndex), workdays: false), as: dates)
            }
            return 1
        }
        dates.metamethod(.eq) { call in
            call.push(boolean: dates.object(at: 1, in: call)?.date == dates.object(at: 2, in: call)?.date)
            return 1
        }
        dates.metamethod(.lt) { call in
            call.push(boolean: try Self.date(call, 1, dates) < Self.date(call, 2, dates))
            return 1
        }
        dates.metamethod(.le) { call in
            call.push(boolean: try Self.date(call, 1, dates) <= Self.date(call, 2, dates))
            return 1
        }
        dates.metamethod(.concat) { call in
            let lhs = try dates.object(at: 1, in: call).map(\.date.description) ?? call.string(1)
            let rhs = try dates.object(at: 2, in: call).map(\.date.description) ?? call.string(2)
            call.push(string: lhs + rhs)
            return 1
        }
    }

    /// The error for date arithmetic that leaves the representable range.
    static func outOfRange(_ date: LocalDate, _ amount: Int64, workdays: Bool) -> LuaError {
        .runtime(message: "date arithmetic out of range: \(date) \(amount < 0 ? "-" : "+") \(amount.magnitude) "
                 + "\(workdays ? "working days" : "days") leaves \(LocalDate.earliest)…\(LocalDate.latest)",
                 location: nil, traceback: "")
    }

    static func date(_ call: LuaCall, _ position: Int32, _ dates: LuaClass<DateValue>) throws -> LocalDate {
        guard let value = dates.object(at: position, in: call) else { throw call.badArgument(position, expected: "date") }
        return value.date
    }

    func register(in state: LuaState) { state.register(dates); state.register(spans) }

    /// The global functions.
    func globals(context: RunContext, state: LuaState) -> [String: LuaValue] {
        let dates = self.dates, spans = self.spans
        return [
            "today": state.functionValue(name: "today") { call in
                try context.requireNoDefinitionBeingBuilt(RunContext.clockReading)
                call.push(DateValue(context.today), as: dates)
                return 1
            },
            "now": state.functionValue(name: "now") { call in
                try context.requireNoDefinitionBeingBuilt(RunContext.clockReading)
                call.push(string: context.timestamp)
                return 1
            },
            "date": state.functionValue(name: "date") { call in
                let text = try call.string(1)
                guard let date = LocalDate(text) else {
                    throw DomainError.validation("date: '\(text)' is not a date (write YYYY-MM-DD, e.g. 2027-03-01)")
                }
                call.push(DateValue(date), as: dates)
                return 1
            },
            "days": state.functionValue(name: "days") { call in
                call.push(integer: try call.integer(1))
                return 1
            },
            "workdays": state.functionValue(name: "workdays") { call in
                call.push(WorkdaySpan(try call.integer(1)), as: spans)
                return 1
            },
        ]
    }
}
