import Foundation
import GRDB

/// What the workspace's configuration granted when it was last loaded, so that a change to it
/// is noticed and audited.
///
/// Whoever can write `sinergi.lua` can make anyone an admin; the file lives outside the database
/// and its hash chain. So each load compares a canonical summary of the file's users, roles and
/// rules with the one kept here, and a difference becomes one audit event in the same
/// transaction that keeps the new summary (issue #7, finding 14). The summary's form belongs to
/// the caller (ScriptHost); this table only keeps it.
public enum ConfigurationLog {
    /// The audit trail's `entity` for these events.
    public static let entity = "configuration"

    /// A summary as kept: the canonical text and the SHA-256 of the file it came from.
    public struct Seen: Equatable, Sendable {
        public var summary: String
        public var fileSHA256: String

        public init(summary: String, fileSHA256: String) {
            self.summary = summary
            self.fileSHA256 = fileSHA256
        }
    }

    /// The summary last recorded, or nil before the first load.
    public static func lastSeen(in unit: StoreUnit) throws -> Seen? {
        try unit.reading { db in
            try Row.fetchOne(db, sql: "SELECT summary, file_sha256 FROM configuration_seen WHERE id = 1")
                .map { Seen(summary: $0[0], fileSHA256: $0[1]) }
        }
    }

    /// Keeps `seen` and appends its audit event (`before`/`after` as the caller describes the
    /// change), in the caller's transaction.
    public static func record(_ seen: Seen, before: String?, after: String, actor: String, at timestamp: String,
                              in unit: StoreUnit) throws {
        try unit.writing { db in
            try db.execute(sql: """
                INSERT INTO configuration_seen (id, summary, file_sha256, seen_at) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET summary = excluded.summary, file_sha256 = excluded.file_sha256,
                                               seen_at = excluded.seen_at
                """, arguments: [seen.summary, seen.fileSHA256, timestamp])
            try AuditLog.append(unit, db, at: timestamp, actor: actor, action: "configure", entity: entity, entityId: nil,
                                before: before, after: after)
        }
    }
}
