import Agreements
import Foundation
import GRDB

/// Delivery's side of the outbox: claiming a due message with a lease, and recording the outcome.
///
/// A claim is one short write unit: it picks the oldest due message whose lease is free or
/// expired and leases it to `owner` — an `UPDATE … WHERE` that re-checks the lease, so two
/// deliverers (two processes on one database) never hold one message at once. SQLite
/// serializes write units; on PostgreSQL the same shape is `SELECT … FOR UPDATE SKIP LOCKED`
/// then the `UPDATE`. A claim counts an attempt, so a message that crashes its deliverer still
/// reaches the dead state instead of looping. The outcome is recorded only by the lease's
/// owner while it holds it (`finish`): a deliverer that overran its lease learns it lost it.
/// All instants are Unix milliseconds.
extension Outbox {
    /// How a delivery attempt ended, as `finish` records it.
    public enum Outcome: Equatable, Sendable {
        /// Every target has it.
        case sent
        /// Some target failed: try again at `retryAt` (Unix ms).
        case retry(at: Int64, error: String)
        /// Give up (the attempts are used up): `notify retry` puts it back.
        case dead(error: String)
    }

    /// Leases the oldest message due at `now` to `owner` until `now + lease`, or nil when none is
    /// due. Only a message with attempts left (fewer than `maxAttempts`) is claimed, and none of
    /// `skipping` (what this deliverer already tried in its pass).
    public func claimNext(owner: String, now: Int64, lease: Int64, maxAttempts: Int = .max, skipping: Set<Int64> = [],
                          in unit: StoreUnit) throws -> OutboxEntry? {
        try unit.writing { db in
            let skipped = String(decoding: try JSONEncoder().encode(skipping.sorted()), as: UTF8.self)
            guard let id = try Int64.fetchOne(db, sql: """
                SELECT id FROM outbox
                WHERE status = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?) AND attempts < ?
                  AND id NOT IN (SELECT value FROM json_each(?))
                ORDER BY due_at, id LIMIT 1
                """, arguments: [now, now, maxAttempts, skipped]) else { return nil }
            try db.execute(sql: """
                UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
                WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)
                """, arguments: [owner, now + lease, id, now])
            guard db.changesCount == 1 else { return nil }
            return try Row.fetchOne(db, sql: "SELECT \(OutboxEntry.columns) FROM outbox WHERE id = ?", arguments: [id])
                .map(OutboxEntry.init(row:))
        }
    }

    /// Makes dead each message due at `now` whose lease is free but whose attempts are used up:
    /// every claim counted one, and these ended without an outcome (the deliverer was killed, or
    /// lost its lease), so another claim would only send again what may have gone out. How many.
    public func buryExhausted(maxAttempts: Int, now: Int64, in unit: StoreUnit) throws -> Int {
        try unit.writing { db in
            try db.execute(sql: """
                UPDATE outbox SET status = 'dead',
                                  last_error = 'its ' || attempts || ' attempts ended without an outcome (the deliverer stopped or lost its lease)'
                WHERE status = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?) AND attempts >= ?
                """, arguments: [now, now, maxAttempts])
            return db.changesCount
        }
    }

    /// Extends `owner`'s lease on message `id` to `now + lease` and records the targets that have
    /// it so far; false (nothing written) when `owner` no longer holds the lease at `now`. A
    /// deliverer renews before a send that could outlast the lease, so a message to many
    /// recipients never outlives it, and a lost lease stops it before it sends again what another
    /// deliverer may send.
    public func renew(id: Int64, owner: String, delivered: [String], now: Int64, lease: Int64, in unit: StoreUnit) throws -> Bool {
        let deliveredJSON = String(decoding: try JSONEncoder().encode(delivered), as: UTF8.self)
        return try unit.writing { db in
            try db.execute(sql: """
                UPDATE outbox SET lease_until = ?, delivered = ?
                WHERE id = ? AND status = 'pending' AND lease_owner = ? AND lease_until > ?
                """, arguments: [now + lease, deliveredJSON, id, owner, now])
            return db.changesCount == 1
        }
    }

    /// Records how `owner`'s attempt at message `id` ended, with the targets that now have it;
    /// false (nothing written) when `owner` no longer holds the lease at `now`.
    @discardableResult
    public func finish(id: Int64, owner: String, outcome: Outcome, delivered: [String], now: Int64,
                       in unit: StoreUnit) throws -> Bool {
        let deliveredJSON = String(decoding: try JSONEncoder().encode(delivered), as: UTF8.self)
        let (status, dueAt, error): (OutboxEntry.Status, Int64?, String?) = switch outcome {
        case .sent: (.sent, nil, nil)
        case let .retry(at, error): (.pending, at, error)
        case let .dead(error): (.dead, nil, error)
        }
        return try unit.writing { db in
            try db.execute(sql: """
                UPDATE outbox SET status = ?, due_at = coalesce(?, due_at), last_error = ?, delivered = ?,
                                  sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,
                                  lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND status = 'pending' AND lease_owner = ? AND lease_until > ?
                """, arguments: [status.rawValue, dueAt, error.map { String($0.prefix(2000)).recordable }, deliveredJSON,
                                 status.rawValue, now, id, owner, now])
            return db.changesCount == 1
        }
    }

    /// The audit trail's `entity` for outbox events.
    public static let entity = "outbox"

    /// Puts message `id` back to be delivered at once with fresh attempts: a dead one, or a
    /// pending one waiting for its next try. A sent message is refused (send a new one). An
    /// administrator's decision, so it is audited (`status`/`attempts` before and after).
    public func retry(id: Int64, by actor: String, at timestamp: String, in unit: StoreUnit) throws {
        guard let entry = try entry(id: id, in: unit) else {
            throw DomainError.notFound("no outbox message \(id) (see `sinergi notify list --status all`)")
        }
        guard entry.status != .sent else {
            throw DomainError.validation("outbox message \(id) was already sent; queue a new message to send it again")
        }
        try requeue([entry], by: actor, at: timestamp, in: unit)
    }

    /// Puts every dead message back, each audited; how many.
    public func retryDead(by actor: String, at timestamp: String, in unit: StoreUnit) throws -> Int {
        let dead = try list(status: .dead, limit: .max, in: unit)
        try requeue(dead, by: actor, at: timestamp, in: unit)
        return dead.count
    }

    /// Due now, attempts from zero; the last error stays until the next attempt ends. A lease is
    /// left alone: a message being delivered right now stays its deliverer's until it finishes.
    private func requeue(_ entries: [OutboxEntry], by actor: String, at timestamp: String, in unit: StoreUnit) throws {
        try unit.writing { db in
            for entry in entries {
                try db.execute(sql: "UPDATE outbox SET status = 'pending', due_at = 0, attempts = 0 WHERE id = ?", arguments: [entry.id])
                try AuditLog.append(unit, db, at: timestamp, actor: actor, action: "retry", entity: Self.entity, entityId: entry.id,
                                    before: #"{"attempts":\#(entry.attempts),"status":"\#(entry.status.rawValue)"}"#,
                                    after: #"{"attempts":0,"status":"pending"}"#)
            }
        }
    }

    /// How many messages are in each status.
    public func counts(in unit: StoreUnit) throws -> [OutboxEntry.Status: Int] {
        try unit.reading { db in
            var counts: [OutboxEntry.Status: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM outbox GROUP BY status") {
                let text: String = row[0]
                if let status = OutboxEntry.Status(rawValue: text) { counts[status] = row[1] }
            }
            return counts
        }
    }
}
