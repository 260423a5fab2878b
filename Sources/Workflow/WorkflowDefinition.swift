// Workflow: loads and checks `workflows/*.lua`, pins versions, runs transitions, human tasks and
// timers. May import: ScriptHost (the Lua API the definitions' actions use), LuaKit, Agreements,
// Store, Foundation — never GRDB. Imported only by the CLI (and the scheduler's wiring there).
import Agreements
import Foundation

/// What a workflow definition declares, read from the table its file returns: the structure the
/// engine, `workflow check` and `workflow graph` work on. The Lua functions (guards, routes,
/// actions) stay in the Lua state; here only whether each exists.
public struct WorkflowDefinition: Sendable, Equatable {
    public var name: String
    public var title: String
    /// The kinds of agreement the track is for (`applies_to = { kind = … }`).
    public var kinds: [String]
    public var initial: String
    /// The states by name.
    public var states: [String: State]
    /// Every `fire = "EVENT"` the source names (deadlines and `ctx.timer{…}` calls alike): the
    /// events a clock may fire, for `workflow check`.
    public var timerEvents: Set<String> = []

    public struct State: Sendable, Equatable {
        public var name: String
        /// The regulation stage it belongs to (`a.stage` follows it); default its own name.
        public var stage: String
        /// The agreement status entering it sets (`draft active expired terminated`), if any.
        public var status: String?
        public var isFinal: Bool
        public var events: [String: Event]
        public var deadline: Deadline?
        public var hasOnEnter: Bool
        public var hasOnExit: Bool
        /// The line of the source where the state is declared (for `check`), when found.
        public var line: Int?

        /// The names of its events, sorted (a stable order for lists, tasks and graphs).
        public var eventNames: [String] { events.keys.sorted() }
    }

    public struct Event: Sendable, Equatable {
        public var name: String
        /// The possible targets: one, or several chosen by `route`.
        public var targets: [String]
        public var hasRoute: Bool
        public var roles: [String]
        /// Document kinds that must be attached before the event may fire.
        public var requires: [String]
        public var hasGuard: Bool
        /// Recorded in the history: `approved`, `rejected`, `deemed_approved`, …
        public var outcome: String?
        public var line: Int?
    }

    /// `deadline = { days = N | workdays = N, fire = EVENT }`: counted from the day the state is
    /// entered; cancelled when it is left.
    public struct Deadline: Sendable, Equatable {
        public var period: Period
        public var event: String
    }

    public var stateNames: [String] { states.keys.sorted() }

    /// The definition's states in a stable reading order: the initial state, then breadth-first
    /// along the events (targets in event-name order), then any unreachable ones by name.
    public var orderedStateNames: [String] {
        var order: [String] = []
        var seen: Set<String> = []
        var queue = [initial]
        while !queue.isEmpty {
            let name = queue.removeFirst()
            guard let state = states[name], seen.insert(name).inserted else { continue }
            order.append(name)
            for event in state.eventNames { queue.append(contentsOf: state.events[event]?.targets ?? []) }
        }
        return order + stateNames.filter { !seen.contains($0) }
    }

    /// Whether an agreement of `kind` is for this track.
    public func applies(to kind: String) -> Bool { kinds.contains(kind) }
}

/// A span of days as the law counts it: calendar days or hari kerja.
///
/// One rule for every period (deadlines, timers, the DPRD's 45 days): a period of N days counted
/// from a date starts the day after it (day 1) and ends with day N; it is over — its timer fires —
/// at the start (00:00 in the workspace's time zone) of the day after day N. A request received on
/// 1 March with 45 days: day 45 is 15 April, deemed approved at the start of 16 April. With
/// working days only Monday–Friday outside `holidays{…}` count.
public enum Period: Sendable, Equatable, CustomStringConvertible {
    case days(Int)
    case workdays(Int)

    /// The longest periods a deadline or `ctx.timer` counts: a century either way (a timer that
    /// must wait longer waits on a date field, `after_field`).
    public static let maximumDays = 36_500
    public static let maximumWorkdays = 25_000

    /// What a deadline (`least` 1) or a `ctx.timer` (`least` 0) asks, for messages.
    static func rule(least: Int) -> String {
        "days = N (\(least) to \(maximumDays)) or workdays = N (\(least) to \(maximumWorkdays)), one of them, a whole number"
    }

    /// The first day after the period that starts after `from`: when its timer is due.
    public func dueDay(from: LocalDate, calendar: WorkCalendar) -> LocalDate? {
        switch self {
        case .days(let count): return from.offset(byDays: Int64(count) + 1)
        case .workdays(let count):
            return calendar.offset(byWorkdays: Int64(count), from: from)?.offset(byDays: 1)
        }
    }

    public var description: String {
        switch self {
        case .days(let count): return "\(count) days"
        case .workdays(let count): return "\(count) hari kerja"
        }
    }
}
