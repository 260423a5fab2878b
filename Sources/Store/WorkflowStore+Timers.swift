import Agreements
import Foundation
import GRDB

/// A timer: a state's deadline (`state` set, cancelled when it is left) or a named timer that
/// spans states. Due at `dueAt` (UTC), or the day after the agreement's `afterField` date.
public struct WorkflowTimerRecord: Sendable, Equatable {
    public var id: Int64
    public var agreementId: Int64
    public var name: String
    public var event: String
    public var dueAt: String?
    public var afterField: String?
    public var state: String?
    public var setAt: String
    /// Ticks that took the timer up and did not end (`WorkflowStore.markAttempts`).
    public var attempts: Int

    public init(id: Int64 = 0, agreementId: Int64, name: String, event: String, dueAt: String?, afterField: String?,
                state: String?, setAt: String, attempts: Int = 0) {
        self.id = id
        self.agreementId = agreementId
        self.name = name
        self.event = event
        self.dueAt = dueAt
        self.afterField = afterField
        self.state = state
        self.setAt = setAt
        self.attempts = attempts
    }
}

extension WorkflowStore {
    private static let setTimer = StoreSQL("""
        INSERT INTO workflow_timer (agreement_id, name, event, due_at, after_field, state, set_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (agreement_id, name) DO UPDATE SET event = excluded.event, due_at = excluded.due_at,
            after_field = excluded.after_field, state = excluded.state, set_at = excluded.set_at, attempts = 0
        """)
    private static let cancelDeadlines = StoreSQL("DELETE FROM workflow_timer WHERE agreement_id = ? AND state = ?")
    private static let claimTimer = StoreSQL("""
        DELETE FROM workflow_timer
        WHERE id = ? AND event = ? AND set_at = ? AND due_at IS ? AND after_field IS ? AND state IS ?
        """)

    /// Sets a timer; one with the same name on the agreement is replaced.
    public func setTimer(_ timer: WorkflowTimerRecord, in unit: StoreUnit) throws {
        try unit.writing { db in
            try StatementWrite.run(unit.statement(Self.setTimer, db), timer.agreementId, timer.name, timer.event, timer.dueAt, timer.afterField, timer.state, timer.setAt)
        }
    }

    /// Cancels the named timer; false when there was none.
    @discardableResult
    public func cancelTimer(of agreementId: Int64, named name: String, in unit: StoreUnit) throws -> Bool {
        try unit.writing { db in
            try db.cachedStatement(sql: "DELETE FROM workflow_timer WHERE agreement_id = ? AND name = ?").execute(arguments: [agreementId, name])
            return db.changesCount > 0
        }
    }

    /// Cancels the deadlines of `state` (it is being left).
    public func cancelDeadlines(of agreementId: Int64, state: String, in unit: StoreUnit) throws {
        try unit.writing { db in
            try StatementWrite.run(unit.statement(Self.cancelDeadlines, db), agreementId, state)
        }
    }

    public func timers(of agreementId: Int64, in unit: StoreUnit) throws -> [WorkflowTimerRecord] {
        try unit.reading { db in
            var timers: [WorkflowTimerRecord] = []
            try StatementRows.each(db.cachedStatement(sql: "SELECT \(Self.timerColumns) FROM workflow_timer WHERE agreement_id = ? ORDER BY id"),
                                   binding: agreementId) { timers.append(Self.timer(from: $0)) }
            return timers
        }
    }

    /// Timers due at `instant` (UTC stamp): a fixed one at or before it, a field-bound one whose
    /// agreement date is before `today` (the day after it has begun). Earliest first; only those
    /// with an id up to `lastId` (see `lastTimerId`), when given.
    public func dueTimers(at instant: String, today: LocalDate, limit: Int, upTo lastId: Int64 = .max,
                          in unit: StoreUnit) throws -> [WorkflowTimerRecord] {
        try unit.reading { db in
            // Read by position (a tick reads a batch of a thousand): GRDB's rows found each of
            // nine columns by its lowercased name, 4 % of a timer's transition.
            var timers: [WorkflowTimerRecord] = []
            let day = today.description
            try StatementRows.each(unit.statement(Self.due, db), binding: instant, lastId, day, day, lastId, limit) {
                timers.append(Self.timer(from: $0))
            }
            return timers
        }
    }

    /// The columns `timer(from:)` reads, in its order.
    private static let timerColumnNames = ["id", "agreement_id", "name", "event", "due_at", "after_field", "state", "set_at", "attempts"]
    static let timerColumns = timerColumnNames.joined(separator: ", ")
    private static let due: StoreSQL = {
        let columns = timerColumnNames.map { "t." + $0 }.joined(separator: ", ")
        return StoreSQL("""
            SELECT \(columns) FROM workflow_timer t WHERE t.due_at IS NOT NULL AND t.due_at <= ? AND t.id <= ?
            UNION ALL
            SELECT \(columns) FROM workflow_timer t JOIN agreement a ON a.id = t.agreement_id
            WHERE ((t.after_field = 'ends_on' AND a.ends_on < ?) OR (t.after_field = 'pks_ends_on' AND a.pks_ends_on < ?))
              AND t.id <= ?
            ORDER BY id LIMIT ?
            """)
    }()

    /// The highest timer id now (0 when none): a tick fires the timers set before it began, so
    /// a transition that sets its own timer due again cannot keep one tick going.
    public func lastTimerId(in unit: StoreUnit) throws -> Int64 {
        try unit.reading { db in try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM workflow_timer")) ?? 0 }
    }

    /// The earliest fixed due instant, and the earliest date a field-bound timer's field holds.
    public func nextDue(in unit: StoreUnit) throws -> (instant: String?, fieldDate: LocalDate?) {
        try unit.reading { db in
            let instant = try String.fetchOne(db.cachedStatement(sql: "SELECT min(due_at) FROM workflow_timer"))
            let field = try String.fetchOne(db.cachedStatement(sql: """
                SELECT min(CASE t.after_field WHEN 'ends_on' THEN a.ends_on ELSE a.pks_ends_on END)
                FROM workflow_timer t JOIN agreement a ON a.id = t.agreement_id WHERE t.after_field IS NOT NULL
                """))
            return (instant, field.flatMap(LocalDate.init))
        }
    }

    static func timer(from row: SQLiteRow) -> WorkflowTimerRecord {
        WorkflowTimerRecord(id: row.integer(0), agreementId: row.integer(1), name: row.text(2), event: row.text(3),
                            dueAt: row.optionalText(4), afterField: row.optionalText(5), state: row.optionalText(6), setAt: row.text(7),
                            attempts: Int(row.integer(8)))
    }

    /// Removes the timer as `timer` read it (it fires, or is dropped), and says whether it was
    /// still there so. A tick reads its timers before it takes the write lock, and another tick
    /// may have fired one meanwhile — its transition possibly setting it again under the same id
    /// (`setTimer` replaces by name), or a failure postponing it: only the tick whose deletion
    /// finds the row unchanged fires it, so a stale copy never fires a second time.
    public func claimTimer(_ timer: WorkflowTimerRecord, in unit: StoreUnit) throws -> Bool {
        try unit.writing { db in
            try StatementWrite.run(unit.statement(Self.claimTimer, db), timer.id, timer.event, timer.setAt, timer.dueAt, timer.afterField,
                                   timer.state) > 0
        }
    }

    /// Moves a timer to a fixed instant (a fire that failed is retried then), its attempts
    /// forgotten: the failure was recorded.
    public func postponeTimer(id: Int64, to instant: String, in unit: StoreUnit) throws {
        try unit.writing { db in
            try db.cachedStatement(sql: "UPDATE workflow_timer SET due_at = ?, after_field = NULL, attempts = 0 WHERE id = ?")
                .execute(arguments: [instant, id])
        }
    }

    /// Adds `change` to the attempts of the timers `ids`: a tick marks a batch in a unit committed
    /// before it fires them (+1), and takes the mark back from those a cut batch left (−1). A
    /// timer still marked at the next tick was in a batch whose worker ended.
    public func markAttempts(_ ids: [Int64], by change: Int = 1, in unit: StoreUnit) throws {
        guard !ids.isEmpty else { return }
        try unit.writing { db in
            let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
            try db.cachedStatement(sql: "UPDATE workflow_timer SET attempts = max(attempts + ?, 0) WHERE id IN (SELECT value FROM json_each(?))")
                .execute(arguments: [change, list])
        }
    }
}
