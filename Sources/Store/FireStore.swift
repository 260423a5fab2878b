import Agreements
import Foundation
import GRDB

/// The scheduler's fires and the jobs it has seen, read and written through units of work.
///
/// A fire's key is (job, scheduled instant): recording is idempotent, so two schedulers — or a
/// scheduler and a restarted one — recording the same due fire keep one row. Claims take a
/// lease; a holder finishes a fire by showing its token, in the same unit as the job's effects,
/// so a crash before COMMIT leaves the fire re-claimable once the lease expires and a crash after
/// it never runs the fire again.
///
///     let fires = try database.write { try FireStore().claim(limit: 10, owner: "host:42", now: now, lease: 300, in: $0) }
public struct FireStore: Sendable {
    public init() {}

    static let columns = "id, job, scheduled_at, state, lease_owner, lease_token, lease_expires_at, attempts, started_at, finished_at, message"

    // MARK: - Jobs seen

    /// The jobs recorded by `saveSeenJob`.
    public func seenJobs(in unit: StoreUnit) throws -> [SeenJob] {
        try unit.reading { db in
            try Row.fetchAll(db, sql: "SELECT name, cron, since FROM scheduled_job ORDER BY name").map { row in
                SeenJob(name: row[0], cron: row[1], since: FireInstant.date(row[2] as Int64))
            }
        }
    }

    /// Records a job as seen (or its new cron, and the instant from which that cron counts).
    public func saveSeenJob(_ job: SeenJob, in unit: StoreUnit) throws {
        try unit.writing { db in
            try db.execute(sql: """
                INSERT INTO scheduled_job (name, cron, since) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET cron = excluded.cron, since = excluded.since
                """, arguments: [job.name, job.cron, FireInstant.millis(job.since)])
        }
    }

    /// Forgets the jobs not in `names` (removed from sinergi.lua): their pending fires are
    /// recorded `skipped` — never run — and their seen row goes, so a job added back later starts
    /// afresh instead of catching up. Returns how many fires were skipped.
    @discardableResult
    public func forgetJobs(except names: [String], at now: Date, in unit: StoreUnit) throws -> Int {
        let list = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        return try unit.writing { db in
            try db.execute(sql: "DELETE FROM scheduled_job WHERE name NOT IN (SELECT value FROM json_each(?))", arguments: [list])
            try db.execute(sql: """
                UPDATE scheduled_fire SET state = 'skipped', finished_at = ?, outcome = 'skipped',
                    message = 'the job was removed from sinergi.lua'
                WHERE state = 'pending' AND job NOT IN (SELECT value FROM json_each(?))
                """, arguments: [FireInstant.millis(now), list])
            return db.changesCount
        }
    }

    // MARK: - Recording and reading fires

    /// Records the fire of `job` due at `instant` as `pending` (to run) or `skipped` (with why);
    /// false when it was already recorded — by this or another scheduler — and left unchanged.
    @discardableResult
    public func record(job: String, at instant: Date, state: ScheduledFire.State = .pending, message: String? = nil,
                       now: Date, in unit: StoreUnit) throws -> Bool {
        guard state == .pending || state == .skipped else {
            throw StoreError.misuse("a fire is recorded pending or skipped, not \(state.rawValue)")
        }
        return try unit.writing { db in
            try db.cachedStatement(sql: """
                INSERT INTO scheduled_fire (job, scheduled_at, state, finished_at, outcome, message)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(job, scheduled_at) DO NOTHING
                """).execute(arguments: [job, FireInstant.millis(instant), state.rawValue,
                                 state == .skipped ? FireInstant.millis(now) : nil,
                                 state == .skipped ? "skipped" : nil, message])
            return db.changesCount == 1
        }
    }

    /// The latest recorded fire of each of `jobs` (by scheduled instant), one indexed probe each.
    public func lastFires(of jobs: [String], in unit: StoreUnit) throws -> [String: ScheduledFire] {
        try unit.reading { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.columns) FROM scheduled_fire WHERE job = ? ORDER BY scheduled_at DESC LIMIT 1
                """)
            var result: [String: ScheduledFire] = [:]
            for job in jobs {
                if let row = try Row.fetchOne(statement, arguments: [job]) { result[job] = try Self.fire(row) }
            }
            return result
        }
    }

    /// The fire with this id, or nil.
    public func fire(id: Int64, in unit: StoreUnit) throws -> ScheduledFire? {
        try unit.reading { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM scheduled_fire WHERE id = ?", arguments: [id]).map(Self.fire)
        }
    }

    /// The fires of `job`, oldest first (for tests and reports).
    public func fires(of job: String, in unit: StoreUnit) throws -> [ScheduledFire] {
        try unit.reading { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM scheduled_fire WHERE job = ? ORDER BY scheduled_at",
                             arguments: [job]).map(Self.fire)
        }
    }

    /// Whether a fire of `job` is running: claimed under a lease that has not expired at `now`.
    public func isRunning(job: String, now: Date, in unit: StoreUnit) throws -> Bool {
        try unit.reading { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM scheduled_fire WHERE job = ? AND state = 'claimed' AND +lease_expires_at > ?)
                """, arguments: [job, FireInstant.millis(now)]) ?? false
        }
    }

    /// The earliest instant at which some recorded fire becomes claimable at or after `now`: a
    /// pending fire's due instant (unless a fire of its job runs: it waits for that one's end)
    /// or a claim's lease expiry; nil when there is none. The loop sleeps until then.
    public func nextClaimable(now: Date, in unit: StoreUnit) throws -> Date? {
        try unit.reading { db in
            let millis = try Int64.fetchOne(db, sql: """
                SELECT MIN(at) FROM (
                    SELECT MIN(f.scheduled_at) AS at FROM scheduled_fire f
                    WHERE f.state = 'pending' AND NOT EXISTS (SELECT 1 FROM scheduled_fire o
                        WHERE o.job = f.job AND o.state = 'claimed' AND +o.lease_expires_at > :now)
                    UNION ALL SELECT MIN(lease_expires_at) FROM scheduled_fire WHERE state = 'claimed')
                """, arguments: ["now": FireInstant.millis(now)])
            return FireInstant.date(millis)
        }
    }

    static func fire(_ row: Row) throws -> ScheduledFire {
        let stateText: String = row["state"]
        guard let state = ScheduledFire.State(rawValue: stateText) else {
            throw StoreError.corrupt("scheduled_fire \(row["id"] as Int64? ?? 0) has state '\(stateText)'")
        }
        return ScheduledFire(id: row["id"], job: row["job"], scheduledAt: FireInstant.date(row["scheduled_at"] as Int64),
                             state: state, leaseOwner: row["lease_owner"], leaseToken: row["lease_token"],
                             leaseExpiresAt: FireInstant.date(row["lease_expires_at"] as Int64?), attempts: row["attempts"],
                             startedAt: FireInstant.date(row["started_at"] as Int64?),
                             finishedAt: FireInstant.date(row["finished_at"] as Int64?), message: row["message"])
    }
}
