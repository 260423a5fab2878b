import Foundation
import Store

extension Scheduler {
    /// One line of `sinergi scheduler list`: a job, its last recorded fire and its next instant.
    public struct JobStatus: Sendable {
        public var job: ScheduledJob
        public var lastFire: ScheduledFire?
        /// The next instant the job fires (in the past when it is due and not yet recorded).
        public var nextFire: Date?
    }

    /// Each configured job with its last fire and its next one, at the clock's now.
    public func status() throws -> [JobStatus] {
        let now = clock.now()
        return try database.read { unit in
            let jobs = self.jobs
            let seen = Dictionary(uniqueKeysWithValues: try store.seenJobs(in: unit).map { ($0.name, $0) })
            let last = try store.lastFires(of: jobs.map(\.name), in: unit)
            return jobs.map { job in
                JobStatus(job: job, lastFire: last[job.name],
                          nextFire: nextInstant(of: job, seen: seen[job.name], last: last[job.name], now: now))
            }
        }
    }

    /// When the loop must wake at the latest: the earliest of every job's next instant, every
    /// recorded fire that becomes claimable, and every source's next due work.
    public func nextWake(now: Date) throws -> Date? {
        var candidates: [Date] = []
        try database.read { unit in
            let jobs = self.jobs
            let seen = Dictionary(uniqueKeysWithValues: try store.seenJobs(in: unit).map { ($0.name, $0) })
            let last = try store.lastFires(of: jobs.map(\.name), in: unit)
            candidates += jobs.compactMap { nextInstant(of: $0, seen: seen[$0.name], last: last[$0.name], now: now) }
            if let claimable = try store.nextClaimable(now: now, in: unit) { candidates.append(claimable) }
        }
        for source in sources { if let due = try source.nextDue() { candidates.append(due) } }
        return candidates.min()
    }

    /// The first cron instant after the job's anchor (its last fire, or when it was first seen
    /// or its cron changed).
    func nextInstant(of job: ScheduledJob, seen: SeenJob?, last: ScheduledFire?, now: Date) -> Date? {
        let (since, _) = Self.since(of: job, seen: seen, now: now)
        return job.cron.next(after: max(since, last?.scheduledAt ?? since), in: timeZone)
    }
}
