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
            try StatementWrite.run(unit.statement(Self.insertTask, db), agreementId, state, role, text, timestamp)
        }
    }

    private static let insertTask = StoreSQL("INSERT INTO workflow_task (agreement_id, state, role, events, opened_at) VALUES (?, ?, ?, ?, ?)")
    private static let closeTasks = StoreSQL("""
        UPDATE workflow_task SET closed_at = ?, closed_by = ?, closing_event = ? WHERE agreement_id = ? AND closed_at IS NULL
        """)

    /// Closes every open task of the agreement (its state was left by `event`, fired by `actor`).
    public func closeTasks(of agreementId: Int64, by actor: String, event: String, at timestamp: String, in unit: StoreUnit) throws {
        try unit.writing { db in
            try StatementWrite.run(unit.statement(Self.closeTasks, db), timestamp, actor, event, agreementId)
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

    // MARK: - History

    private static let insertHistory = StoreSQL("""
        INSERT INTO workflow_history (agreement_id, at, actor, kind, event, from_state, to_state, outcome, note, version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)

    /// Appends a line of history and its audit row (entity `workflow`, the agreement's id).
    public func record(_ line: WorkflowHistoryRecord, in unit: StoreUnit) throws {
        try record(line, moving: nil, in: unit)
    }

    /// Appends a line of history and its audit row; with `moving`, the agreement's fields the
    /// line's move changed (`AgreementStore.setProgress`) as JSON before and after, which the
    /// row keeps as its `before` and as the `agreement` member of its `after`.
    func record(_ line: WorkflowHistoryRecord, moving agreement: (before: String, after: String)?, in unit: StoreUnit) throws {
        var line = line
        line.note = line.note?.recordable
        let audit = Self.auditJSON(kind: line.kind.rawValue, event: line.event, from: line.from, to: line.to,
                                   outcome: line.outcome, note: line.note, version: line.version, agreement: agreement?.after)
        try unit.writing { db in
            try StatementWrite.run(unit.statement(Self.insertHistory, db), line.agreementId, line.at, line.actor, line.kind.rawValue, line.event, line.from, line.to,
                                   line.outcome, line.note, line.version)
            try AuditLog.append(unit, db, at: line.at, actor: line.actor, action: "workflow." + line.kind.rawValue, entity: "workflow",
                                entityId: line.agreementId, before: agreement?.before, after: audit)
        }
    }

    /// A history line as its audit row's `after`: canonical JSON, keys sorted, absent fields left
    /// out (as the agreement snapshots are). `AuditLog.verifyWorkflows` rebuilds it from the row,
    /// without the `agreement` member (JSON of the fields a move changed).
    static func auditJSON(kind: String, event: String?, from: String?, to: String?, outcome: String?, note: String?,
                          version: String, agreement: String? = nil) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        if let agreement {
            JSONString.append(AuditLog.movedAgreement, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: agreement.utf8)
        }
        for (key, value) in [("event", event), ("from", from), ("kind", kind), ("note", note),
                             ("outcome", outcome), ("to", to), ("version", version)] {
            guard let value else { continue }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            JSONString.append(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONString.append(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
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
