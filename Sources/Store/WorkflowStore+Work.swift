import Agreements
import Foundation
import GRDB

/// A human task: a role's turn to act on an agreement in a state (one per role that may fire one
/// of the state's events). Closed when the state is left.
public struct WorkflowTaskRecord: Sendable, Equatable {
    public var id: Int64
    public var agreementId: Int64
    public var state: String
    public var role: String
    public var events: [String]
    public var openedAt: String
    public var closedAt: String?
    public var closedBy: String?
    public var closingEvent: String?
}

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

/// One line of an instance's history.
public struct WorkflowHistoryRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case start, adopt, transition, refused, dropped, failed, migrate }
    public var agreementId: Int64
    public var at: String
    public var actor: String
    public var kind: Kind
    public var event: String?
    public var from: String?
    public var to: String?
    public var outcome: String?
    public var note: String?
    public var version: String

    public init(agreementId: Int64, at: String, actor: String, kind: Kind, event: String? = nil, from: String? = nil,
                to: String? = nil, outcome: String? = nil, note: String? = nil, version: String) {
        self.agreementId = agreementId
        self.at = at
        self.actor = actor
        self.kind = kind
        self.event = event
        self.from = from
        self.to = to
        self.outcome = outcome
        self.note = note
        self.version = version
    }
}

extension WorkflowStore {
    // MARK: - Tasks

    public func openTask(agreementId: Int64, state: String, role: String, events: [String], at timestamp: String,
                         in unit: StoreUnit) throws {
        var list: [UInt8] = [UInt8(ascii: "[")]
        for (index, event) in events.enumerated() {
            if index > 0 { list.append(UInt8(ascii: ",")) }
            JSONString.append(event, to: &list)
        }
        list.append(UInt8(ascii: "]"))
        let text = String(decoding: list, as: UTF8.self)
        try unit.writing { db in
            try db.cachedStatement(sql: "INSERT INTO workflow_task (agreement_id, state, role, events, opened_at) VALUES (?, ?, ?, ?, ?)").execute(arguments: [agreementId, state, role, text, timestamp])
        }
    }

    /// Closes every open task of the agreement (its state was left by `event`, fired by `actor`).
    public func closeTasks(of agreementId: Int64, by actor: String, event: String, at timestamp: String, in unit: StoreUnit) throws {
        try unit.writing { db in
            try db.cachedStatement(sql: """
                UPDATE workflow_task SET closed_at = ?, closed_by = ?, closing_event = ?
                WHERE agreement_id = ? AND closed_at IS NULL
                """).execute(arguments: [timestamp, actor, event, agreementId])
        }
    }

    /// Open tasks, oldest first: of any of `roles` (all when nil), of one agreement when given.
    public func openTasks(roles: [String]? = nil, agreementId: Int64? = nil, in unit: StoreUnit) throws -> [WorkflowTaskRecord] {
        var tasks: [WorkflowTaskRecord] = []
        try openTasks(roles: roles, agreementId: agreementId, in: unit) { tasks.append($0) }
        return tasks
    }

    /// The open tasks handed to `each` one by one as they are read (`tasks.pending{}` charges
    /// each against the script's memory cap before keeping it).
    public func openTasks(roles: [String]? = nil, agreementId: Int64? = nil, in unit: StoreUnit,
                          each: (WorkflowTaskRecord) throws -> Void) throws {
        try unit.reading { db in
            var sql = "SELECT \(Self.taskColumns) FROM workflow_task WHERE closed_at IS NULL"
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let roles {
                guard !roles.isEmpty else { return }
                sql += " AND role IN (\(Array(repeating: "?", count: roles.count).joined(separator: ",")))"
                arguments += roles.map { $0 as (any DatabaseValueConvertible)? }
            }
            if let agreementId { sql += " AND agreement_id = ?"; arguments.append(agreementId) }
            try StatementRows.each(db.cachedStatement(sql: sql + " ORDER BY id"), arguments: StatementArguments(arguments)) { try each(Self.task(from: $0)) }
        }
    }

    public func task(id: Int64, in unit: StoreUnit) throws -> WorkflowTaskRecord? {
        try unit.reading { db in
            try StatementRows.first(db.cachedStatement(sql: "SELECT \(Self.taskColumns) FROM workflow_task WHERE id = ?"), arguments: [id],
                                    Self.task(from:))
        }
    }

    /// The columns `task(from:)` reads, in its order.
    static let taskColumns = "id, agreement_id, state, role, events, opened_at, closed_at, closed_by, closing_event"

    static func task(from row: SQLiteRow) -> WorkflowTaskRecord {
        let events = (try? JSONDecoder().decode([String].self, from: Data((row.optionalText(4) ?? "[]").utf8))) ?? []
        return WorkflowTaskRecord(id: row.integer(0), agreementId: row.integer(1), state: row.text(2), role: row.text(3),
                                  events: events, openedAt: row.text(5), closedAt: row.optionalText(6),
                                  closedBy: row.optionalText(7), closingEvent: row.optionalText(8))
    }

    // MARK: - Timers

    /// Sets a timer; one with the same name on the agreement is replaced.
    public func setTimer(_ timer: WorkflowTimerRecord, in unit: StoreUnit) throws {
        try unit.writing { db in
            try db.cachedStatement(sql: """
                INSERT INTO workflow_timer (agreement_id, name, event, due_at, after_field, state, set_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agreement_id, name) DO UPDATE SET event = excluded.event, due_at = excluded.due_at,
                    after_field = excluded.after_field, state = excluded.state, set_at = excluded.set_at, attempts = 0
                """).execute(arguments: [timer.agreementId, timer.name, timer.event, timer.dueAt, timer.afterField, timer.state, timer.setAt])
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
            try db.cachedStatement(sql: "DELETE FROM workflow_timer WHERE agreement_id = ? AND state = ?").execute(arguments: [agreementId, state])
        }
    }

    public func timers(of agreementId: Int64, in unit: StoreUnit) throws -> [WorkflowTimerRecord] {
        try unit.reading { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM workflow_timer WHERE agreement_id = ? ORDER BY id"), arguments: [agreementId])
                .map(Self.timer(from:))
        }
    }

    /// Timers due at `instant` (UTC stamp): a fixed one at or before it, a field-bound one whose
    /// agreement date is before `today` (the day after it has begun). Earliest first; only those
    /// with an id up to `lastId` (see `lastTimerId`), when given.
    public func dueTimers(at instant: String, today: LocalDate, limit: Int, upTo lastId: Int64 = .max,
                          in unit: StoreUnit) throws -> [WorkflowTimerRecord] {
        try unit.reading { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT t.* FROM workflow_timer t WHERE t.due_at IS NOT NULL AND t.due_at <= ? AND t.id <= ?
                UNION ALL
                SELECT t.* FROM workflow_timer t JOIN agreement a ON a.id = t.agreement_id
                WHERE ((t.after_field = 'ends_on' AND a.ends_on < ?) OR (t.after_field = 'pks_ends_on' AND a.pks_ends_on < ?))
                  AND t.id <= ?
                ORDER BY id LIMIT ?
                """), arguments: [instant, lastId, today.description, today.description, lastId, limit]).map(Self.timer(from:))
        }
    }

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

    static func timer(from row: Row) -> WorkflowTimerRecord {
        WorkflowTimerRecord(id: row["id"], agreementId: row["agreement_id"], name: row["name"], event: row["event"],
                            dueAt: row["due_at"], afterField: row["after_field"], state: row["state"], setAt: row["set_at"],
                            attempts: row["attempts"])
    }

    // MARK: - History

    /// Appends a line of history and its audit row (entity `workflow`, the agreement's id).
    public func record(_ line: WorkflowHistoryRecord, in unit: StoreUnit) throws {
        var line = line
        line.note = line.note?.recordable
        // Canonical JSON, keys sorted, absent fields left out (as the agreement snapshots are).
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (key, value) in [("event", line.event), ("from", line.from), ("kind", line.kind.rawValue), ("note", line.note),
                             ("outcome", line.outcome), ("to", line.to), ("version", line.version)] {
            guard let value else { continue }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            JSONString.append(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONString.append(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        let audit = String(decoding: bytes, as: UTF8.self)
        try unit.writing { db in
            try db.cachedStatement(sql: """
                INSERT INTO workflow_history (agreement_id, at, actor, kind, event, from_state, to_state, outcome, note, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [line.agreementId, line.at, line.actor, line.kind.rawValue, line.event, line.from, line.to,
                                 line.outcome, line.note, line.version])
            try AuditLog.append(db, at: line.at, actor: line.actor, action: "workflow." + line.kind.rawValue, entity: "workflow",
                                entityId: line.agreementId, before: nil, after: audit)
        }
    }

    public func history(of agreementId: Int64, in unit: StoreUnit) throws -> [WorkflowHistoryRecord] {
        var lines: [WorkflowHistoryRecord] = []
        try history(of: agreementId, in: unit) { lines.append($0) }
        return lines
    }

    /// The agreement's history, oldest first, handed to `each` line by line as it is read: a
    /// script's `a:history()` charges each line against its memory cap before keeping it (a
    /// history grows with every transition, without bound).
    public func history(of agreementId: Int64, in unit: StoreUnit, each: (WorkflowHistoryRecord) throws -> Void) throws {
        try unit.reading { db in
            try StatementRows.each(db.cachedStatement(sql: """
                SELECT agreement_id, at, actor, kind, event, from_state, to_state, outcome, note, version
                FROM workflow_history WHERE agreement_id = ? ORDER BY id
                """), arguments: [agreementId]) { row in
                try each(WorkflowHistoryRecord(agreementId: row.integer(0), at: row.text(1), actor: row.text(2),
                                               kind: WorkflowHistoryRecord.Kind(rawValue: row.text(3)) ?? .transition, event: row.optionalText(4),
                                               from: row.optionalText(5), to: row.optionalText(6), outcome: row.optionalText(7),
                                               note: row.optionalText(8), version: row.text(9)))
            }
        }
    }
}

extension WorkflowStore {
    /// Removes a timer (it fired, or was dropped).
    public func deleteTimer(id: Int64, in unit: StoreUnit) throws {
        try unit.writing { db in try db.cachedStatement(sql: "DELETE FROM workflow_timer WHERE id = ?").execute(arguments: [id]) }
    }

    /// Moves a timer to a fixed instant (a fire that failed is retried then), its attempts
    /// forgotten: the failure was recorded.
    public func postponeTimer(id: Int64, to instant: String, in unit: StoreUnit) throws {
        try unit.writing { db in
            try db.cachedStatement(sql: "UPDATE workflow_timer SET due_at = ?, after_field = NULL, attempts = 0 WHERE id = ?")
                .execute(arguments: [instant, id])
        }
    }

    /// Adds `by` to the attempts of the timers `ids`: a tick marks a batch in a unit committed
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
