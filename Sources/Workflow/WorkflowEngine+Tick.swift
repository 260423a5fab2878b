import Agreements
import Foundation
import ScriptHost
import Store

/// What one tick did.
public struct TickReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var number: String
        public var timer: String
        public var event: String
        /// The state entered (fired), or why it was dropped or failed.
        public var detail: String
    }
    public var fired: [Line] = []
    public var dropped: [Line] = []
    public var failed: [Line] = []
}

extension WorkflowEngine {
    /// How long a timer whose transition failed waits before the next try.
    static let retryDelay: TimeInterval = 3600

    /// Attempts after which a timer is set aside rather than fired: it was in a batch whose
    /// worker ended, then ended the worker again fired alone.
    static let maximumAttempts = 2

    /// Fires every timer due now (set before the tick began), as the system actor, in batches of
    /// `batchSize` committed together — each transition under its own savepoint, so a failing
    /// one rolls back alone (it is recorded and retried an hour later). A batch also commits
    /// once it has worked `batchSeconds` (after at least one timer): transitions that each run
    /// to their budget must not keep a batch open past the worker's kill, which would lose it
    /// whole, pass after pass. A timer whose event is no longer possible in its instance's
    /// state is dropped and recorded, never fired late into the wrong state.
    ///
    /// A transition stuck inside one C call past its budget ends the process (the watchdog), and
    /// its batch with it. So each batch is marked (`markAttempts`, committed) before it fires: a
    /// timer still marked at the next tick is fired alone, and one that ends the worker alone
    /// too is set aside — recorded as failed, retried an hour later — instead of ending every
    /// pass and the timers due after it.
    public func tick(batchSize: Int = 500, batchSeconds: TimeInterval = 60) throws -> TickReport {
        unloadable = [:]
        defer { unloadable = [:] }
        var report = TickReport()
        let instant = WorkCalendar.utcStamp(of: now)
        let today = calendar.date(of: now)
        let (numbers, lastId) = try workspace.database.read { unit in
            (try workspace.agreements.numbers(in: unit), try store.lastTimerId(in: unit))
        }
        func line(_ timer: WorkflowTimerRecord, _ detail: String) -> TickReport.Line {
            TickReport.Line(number: numbers[timer.agreementId] ?? String(timer.agreementId), timer: timer.name, event: timer.event,
                            detail: detail)
        }
        // Timers set during this tick (a transition may set one already due) wait for the next:
        // ids above `lastId` are new, and one reused below it is fired at most once (`seen`).
        var seen: Set<Int64> = []
        while true {
            let due = try workspace.database.read {
                try store.dueTimers(at: instant, today: today, limit: batchSize, upTo: lastId, in: $0)
            }.filter { !seen.contains($0.id) }
            guard !due.isEmpty else { break }
            var batch = due
            if let suspect = due.first(where: { $0.attempts > 0 }) {
                guard suspect.attempts < Self.maximumAttempts else {
                    seen.insert(suspect.id)
                    let why = "the process firing it ended \(suspect.attempts) times before the transition did "
                        + "(stuck inside one call past its budget, or killed); retried in an hour"
                    try workspace.database.write { try recordFailure(of: suspect, why, in: $0) }
                    report.failed.append(line(suspect, why))
                    continue
                }
                batch = [suspect]
            }
            try workspace.database.write { try store.markAttempts(batch.map(\.id), in: $0) }
            var handled = 0
            try workspace.database.group { group in
                let begun = DispatchTime.now().uptimeNanoseconds
                for timer in batch {
                    if handled > 0, Double(DispatchTime.now().uptimeNanoseconds - begun) > batchSeconds * 1e9 { break }
                    handled += 1
                    seen.insert(timer.id)
                    do {
                        // As the system, down to what its actions write through the API.
                        let outcome = try group.unit { unit in
                            try session.within(unit) { try session.acting(as: User.system) { try fireTimer(timer, in: unit) } }
                        }
                        switch outcome {
                        case .fired(let state): report.fired.append(line(timer, state))
                        case .dropped(let why): report.dropped.append(line(timer, why))
                        case .taken: break
                        }
                    } catch {
                        // A script chose much of this text (its error's message): kept, and shown, bounded.
                        let message = WorkflowName.bounded(String(describing: error), limit: WorkflowEngine.maximumNote - 200)
                        try group.unit { unit in try recordFailure(of: timer, message, in: unit) }
                        report.failed.append(line(timer, message))
                    }
                }
                try group.commit()
            }
            // A batch cut short takes its mark back from the timers it left: they were not tried.
            if handled < batch.count {
                try workspace.database.write { try store.markAttempts(batch[handled...].map(\.id), by: -1, in: $0) }
            } else if batch.count == due.count && due.count < batchSize {
                break
            }
        }
        return report
    }

    /// Records that `timer`'s fire failed (`why`) and postpones it by `retryDelay`.
    private func recordFailure(of timer: WorkflowTimerRecord, _ why: String, in unit: StoreUnit) throws {
        try store.postponeTimer(id: timer.id, to: WorkCalendar.utcStamp(of: now.addingTimeInterval(Self.retryDelay)), in: unit)
        try store.record(WorkflowHistoryRecord(agreementId: timer.agreementId, at: timestamp, actor: User.system.id, kind: .failed,
                                               event: timer.event, note: "timer \(timer.name): \(why)",
                                               version: try versionOf(timer.agreementId, unit)),
                         in: unit)
    }

    /// What became of a timer: fired (the state entered), dropped (why), or taken — another
    /// pass fired, postponed or re-set it after this one read it, so this one leaves it.
    enum TimerOutcome { case fired(String), dropped(String), taken }

    /// Fires one due timer in `unit`, or drops it when its event is not possible now; leaves it
    /// when it is no longer the timer read (two passes at once: each timer fires once).
    func fireTimer(_ timer: WorkflowTimerRecord, in unit: StoreUnit) throws -> TimerOutcome {
        guard try store.claimTimer(timer, in: unit) else { return .taken }
        guard let instance = try store.instance(of: timer.agreementId, in: unit) else { return .dropped("no workflow runs the agreement") }
        // A version that failed to load fails its other timers of this tick at once: loading it
        // again (a top level that loops to its budget) for each would outlast the tick's kill.
        if let failure = unloadable[instance.version] { throw failure }
        let workflow: LoadedWorkflow
        do {
            workflow = try catalog.pinned(instance.version, in: unit)
        } catch {
            unloadable[instance.version] = error
            throw error
        }
        let state = workflow.definition.states[instance.state]
        var reason: String?
        if let owner = timer.state, owner != instance.state {
            reason = "the deadline of \(owner) outlived its state (now \(instance.state))"
        } else if state?.events[timer.event] == nil {
            reason = "\(timer.event) is not possible in \(instance.state)"
        }
        if let reason {
            try store.record(WorkflowHistoryRecord(agreementId: timer.agreementId, at: timestamp, actor: User.system.id, kind: .dropped,
                                                   event: timer.event, from: instance.state, note: "timer \(timer.name): \(reason)",
                                                   version: instance.version), in: unit)
            return .dropped(reason)
        }
        // The tick's unit is this timer alone: a failure undoes it whole, the timer's deletion with it.
        let entered = try fire(agreementId: timer.agreementId, event: timer.event, note: "timer \(timer.name)",
                               actor: User.system, expectedState: instance.state, in: unit, savepoint: false, instance: instance)
        return .fired(entered)
    }

    private func versionOf(_ agreementId: Int64, _ unit: StoreUnit) throws -> String {
        try store.instance(of: agreementId, in: unit)?.version ?? ""
    }

    /// When the next timer is due (nil when none is set).
    public func nextDue() throws -> Date? {
        try WorkflowTimerClock(database: workspace.database, calendar: calendar).nextDue()
    }
}

/// When workflow timers fall due, read from the store alone (no Lua): what a scheduler loop
/// asks to know how long it may sleep.
public struct WorkflowTimerClock: Sendable {
    public let database: SinergiDatabase
    public let calendar: WorkCalendar

    public init(database: SinergiDatabase, calendar: WorkCalendar) {
        self.database = database
        self.calendar = calendar
    }

    /// The earliest instant a timer is due: a fixed one's, or the start of the day after the
    /// earliest date a field-bound timer follows. Nil when no timer is set.
    public func nextDue() throws -> Date? {
        let (instant, fieldDate) = try database.read { try WorkflowStore().nextDue(in: $0) }
        let formatter = ISO8601DateFormatter()
        let fixed = instant.flatMap { formatter.date(from: $0) }
        let field = fieldDate.flatMap { $0.offset(byDays: 1) }.flatMap { calendar.start(of: $0) }
        return [fixed, field].compactMap { $0 }.min()
    }
}
