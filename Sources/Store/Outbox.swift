import Agreements
import Foundation
import GRDB

/// The durable outbox: notifications queued in the same transaction as the change that caused
/// them, and delivered later (by `sinergi notify deliver`, through the Notify module).
///
/// Queueing is exactly once by key: a message whose `key` is already in the outbox — in any
/// state, sent or dead included — is not queued again, so the same reminder for the same
/// agreement and day is never sent twice however often the script that queues it runs. Because
/// the row is written in the caller's unit, a script that fails leaves no message behind, and a
/// message is never queued for a change that was rolled back.
///
///     let queued = try database.write { unit in
///         try Outbox().enqueue(message, by: "sari", at: now, in: unit)
///     }
public struct Outbox: Sendable {
    public init() {}

    private static let insert = StoreSQL("""
        INSERT INTO outbox (key, recipient, subject, body, agreement_id, created_by, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING
        """)

    /// Queues `message` (validated first) in `unit`; false, and nothing written, when a message
    /// with the same key is already there.
    @discardableResult
    public func enqueue(_ message: OutboxMessage, by actor: String, at timestamp: String, in unit: StoreUnit) throws -> Bool {
        try message.validate()
        return try unit.writing { db in
            // INSERT … ON CONFLICT DO NOTHING: the unique index decides, so two units racing to
            // queue one key cannot both succeed (a plain SELECT-then-INSERT could).
            try StatementWrite.run(unit.statement(Self.insert, db), message.key, message.to, message.subject, message.body, message.agreementId,
                                   actor, timestamp) == 1
        }
    }

    /// The message with `id`, or nil.
    public func entry(id: Int64, in unit: StoreUnit) throws -> OutboxEntry? {
        try unit.reading { db in
            try Row.fetchOne(db, sql: "SELECT \(OutboxEntry.columns) FROM outbox WHERE id = ?", arguments: [id])
                .map(OutboxEntry.init(row:))
        }
    }

    /// Messages in `status` (nil: all), newest first, at most `limit`.
    public func list(status: OutboxEntry.Status?, limit: Int = 1000, in unit: StoreUnit) throws -> [OutboxEntry] {
        try unit.reading { db in
            let filter = status == nil ? "" : "WHERE status = ?"
            let arguments: StatementArguments = status.map { [$0.rawValue, limit] } ?? [limit]
            return try Row.fetchAll(db, sql: "SELECT \(OutboxEntry.columns) FROM outbox \(filter) ORDER BY id DESC LIMIT ?",
                                    arguments: arguments).map(OutboxEntry.init(row:))
        }
    }
}

/// One outbox row as the deliverer and `notify list` see it.
public struct OutboxEntry: Equatable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        /// Not yet delivered: due at `dueAt` (retries wait there).
        case pending
        /// Delivered to every target.
        case sent
        /// Given up after the maximum attempts; `notify retry` puts it back.
        case dead
    }

    public var id: Int64
    public var message: OutboxMessage
    public var createdBy: String
    public var createdAt: String
    public var status: Status
    public var attempts: Int
    /// When it is due (Unix milliseconds; 0: at once).
    public var dueAt: Int64
    public var leaseOwner: String?
    /// Until when the lease holds (Unix milliseconds).
    public var leaseUntil: Int64?
    public var lastError: String?
    /// When it was sent (Unix milliseconds).
    public var sentAt: Int64?
    /// The targets (`channel/user`) that already have it: a retry sends to the others only.
    public var delivered: [String]

    static let columns = "id, key, recipient, subject, body, agreement_id, created_by, created_at, status, attempts, "
        + "due_at, lease_owner, lease_until, last_error, sent_at, delivered"

    init(row: Row) throws {
        id = row["id"]
        message = OutboxMessage(to: row["recipient"], subject: row["subject"], body: row["body"], key: row["key"],
                                agreementId: row["agreement_id"])
        createdBy = row["created_by"]
        createdAt = row["created_at"]
        let statusText: String = row["status"]
        guard let status = Status(rawValue: statusText) else { throw StoreError.corrupt("outbox \(id): status '\(statusText)'") }
        self.status = status
        attempts = row["attempts"]
        dueAt = row["due_at"]
        leaseOwner = row["lease_owner"]
        leaseUntil = row["lease_until"]
        lastError = row["last_error"]
        sentAt = row["sent_at"]
        let deliveredText: String = row["delivered"]
        guard let list = try? JSONDecoder().decode([String].self, from: Data(deliveredText.utf8)) else {
            throw StoreError.corrupt("outbox \(id): delivered is not a JSON list")
        }
        delivered = list
    }
}
