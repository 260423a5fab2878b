import Foundation
import GRDB

extension FireStore {
    /// How many fires are due by `now` (pending, or claimed with an expired lease).
    public func countDue(now: Date, in unit: StoreUnit) throws -> Int {
        try unit.reading { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM scheduled_fire WHERE state = 'pending' AND scheduled_at <= :now)
                     + (SELECT COUNT(*) FROM scheduled_fire WHERE state = 'claimed' AND lease_expires_at <= :now)
                """, arguments: ["now": FireInstant.millis(now)]) ?? 0
        }
    }

    /// The floor `sinergi bench scheduler` compares `claim` with: the same UPDATE of the first
    /// `limit` due pending fires, without the per-job order (an earlier fire waiting, a fire
    /// running) or expired leases. It may claim two fires of one job at once, so it is only for
    /// a database made for the benchmark; it lives here because no SQL leaves the store.
    public func benchmarkBareClaim(limit: Int, now: Date, in unit: StoreUnit) throws -> Int {
        try unit.writing { db in
            try db.execute(sql: """
                UPDATE scheduled_fire SET state = 'claimed', lease_owner = 'bare', lease_token = lower(hex(randomblob(16))),
                    lease_expires_at = :expires, attempts = attempts + 1, started_at = :now
                WHERE id IN (SELECT id FROM scheduled_fire WHERE state = 'pending' AND scheduled_at <= :now
                             ORDER BY scheduled_at, id LIMIT :limit)
                """, arguments: ["now": FireInstant.millis(now), "expires": FireInstant.millis(now) + 300_000, "limit": limit])
            return db.changesCount
        }
    }
}
