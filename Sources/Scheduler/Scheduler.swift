import Agreements
import Cron
import Foundation
import Store

/// The scheduler: records the fires that are due, claims them under a lease, hands each to the
/// `FireHandler` on its own worker thread, and records what became of it.
///
/// Several schedulers may share one database (two `scheduler run` processes, a `tick` from a
/// systemd timer beside them): fires are rows keyed by (job, instant), recorded idempotently and
/// claimed atomically, so none runs twice and none is lost. Time comes from the injected clock.
///
///     let scheduler = Scheduler(database: db, jobs: jobs, timeZone: zone, clock: SystemClock(), handler: handler)
///     let report = try scheduler.tick()
public final class Scheduler: @unchecked Sendable {
    /// Tunables, each injectable so tests need not wait in real time.
    public struct Settings: Sendable {
        /// How long a claim holds at least (seconds). The lease actually taken is longer when a
        /// job's kill deadline needs it (`lease(for:)`): a fire is never re-claimed while its
        /// worker may still run.
        public var lease: TimeInterval = 300
        /// How late a fire may be and still count as on time (seconds).
        public var misfireGrace: TimeInterval = 300
        /// The most missed fires `misfire = "all"` runs after a downtime (the newest ones).
        public var catchUpLimit = 100
        /// How far back the scheduler looks for missed instants at most (seconds; 31 days).
        public var catchUpHorizon: TimeInterval = 31 * 86_400
        /// Claims of one fire after which it is given up as failed (its worker died each time).
        public var maxAttempts = 3
        /// Fires running at once (each in its own worker).
        public var concurrency = 4
        /// The budget of a job without `timeout` (the workspace's `limits.timeout`).
        public var defaultTimeout: TimeInterval = 5
        /// Who claims, as shown in the fires' `lease_owner`: `host:pid`.
        public var owner = "\(Settings.hostName):\(ProcessInfo.processInfo.processIdentifier)"

        public init() {}

        /// The machine's name from `gethostname` (Foundation's `hostName` may ask DNS, and a
        /// scheduler must start without the network).
        static var hostName: String {
            var buffer = [CChar](repeating: 0, count: 256)
            guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// What one fire came to, for `tick`'s report.
    public struct Handled: Sendable, Equatable {
        public var job: String
        public var scheduledAt: Date
        public var state: ScheduledFire.State
        public var message: String?
    }

    public let database: SinergiDatabase
    public let timeZone: TimeZone
    public let clock: any Clock
    public let settings: Settings
    let handler: any FireHandler
    let sources: [any DueWorkSource]
    let store = FireStore()

    /// Guards the jobs, the running workers, `handled`, `stopping` and `onWorkerEnd`; its
    /// condition is signalled when a worker ends or the scheduler stops.
    let lock = NSCondition()
    private var currentJobs: [ScheduledJob]
    /// The ids of the fires whose workers run now.
    var running: Set<Int64> = []
    /// What the workers handled, collected during a `tick` only (a loop runs for months).
    var handled: [Handled]?
    var stopping = false
    /// Called when a worker ends (the loop wakes to claim what waited behind it); set under the lock.
    var onWorkerEnd: (@Sendable () -> Void)?

    public init(database: SinergiDatabase, jobs: [ScheduledJob], timeZone: TimeZone, clock: any Clock,
                handler: any FireHandler, sources: [any DueWorkSource] = [], settings: Settings = Settings()) {
        self.database = database
        self.currentJobs = jobs
        self.timeZone = timeZone
        self.clock = clock
        self.handler = handler
        self.sources = sources
        self.settings = settings
    }

    /// Runs `body` holding the scheduler's lock (its jobs, workers and stop flag).
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Waits on the lock's condition; call inside `locked`.
    func waitForWorkerEnd() { lock.wait() }

    /// The jobs as last configured.
    public var jobs: [ScheduledJob] { locked { currentJobs } }

    /// Replaces the jobs (sinergi.lua was edited): a removed job's waiting fires are skipped at
    /// the next pass, a changed cron counts from now on.
    public func reload(jobs: [ScheduledJob]) { locked { currentJobs = jobs } }

    /// From now on no fire is claimed; running workers finish (or are interrupted and released).
    public func stop() {
        locked { stopping = true; lock.broadcast() }
    }

    public var isStopping: Bool { locked { stopping } }

    /// When the parent kills a worker that has not ended: past the child's own watchdog
    /// (budget + 1 s + 20 %), so the child reports its own timeout whenever it can.
    public static func killAfter(timeout: TimeInterval) -> TimeInterval { timeout * 1.25 + 3 }

    /// The lease a claim takes: the configured one, or longer than any job's kill deadline.
    func lease(for jobs: [ScheduledJob]) -> TimeInterval {
        let longest = jobs.map { Self.killAfter(timeout: $0.timeout ?? settings.defaultTimeout) }.max() ?? 0
        return max(settings.lease, longest + 30)
    }

    // MARK: - Recording due fires

    /// Records the fires due at `now` for every configured job (misfire and overlap policies
    /// applied), and skips the waiting fires of jobs no longer configured — one unit of work.
    /// Returns how many fires were recorded.
    @discardableResult
    public func recordDueFires(now: Date) throws -> Int {
        let jobs = self.jobs
        return try database.write { unit in
            try store.forgetJobs(except: jobs.map(\.name), at: now, in: unit)
            let seen = Dictionary(uniqueKeysWithValues: try store.seenJobs(in: unit).map { ($0.name, $0) })
            let last = try store.lastFires(of: jobs.map(\.name), in: unit)
            var recorded = 0
            for job in jobs {
                var since = try sinceInstant(job, seen: seen[job.name], now: now, in: unit)
                let anchor = max(since, last[job.name]?.scheduledAt ?? since)
                let plan = FirePlan.make(job: job, anchor: anchor, now: now, zone: timeZone, grace: settings.misfireGrace,
                                         limit: settings.catchUpLimit, horizon: settings.catchUpHorizon)
                if let advanced = plan.advancedSince, advanced > since {
                    since = advanced
                    try store.saveSeenJob(SeenJob(name: job.name, cron: job.cron.source, since: since), in: unit)
                }
                for entry in plan.entries {
                    var entry = entry
                    if entry.state == .pending, job.overlap == .skip, try store.isRunning(job: job.name, now: now, in: unit) {
                        entry.state = .skipped
                        entry.message = "the previous fire was still running (overlap = skip)"
                    }
                    if try store.record(job: job.name, at: entry.instant, state: entry.state, message: entry.message, now: now, in: unit) {
                        recorded += 1
                    }
                }
            }
            return recorded
        }
    }

    /// The instant after which `job`'s fires count: as recorded, or — for a job seen for the
    /// first time or whose cron changed — the start of the current minute (so a fire due this
    /// very minute runs, and nothing older is caught up). Saved when it is new.
    private func sinceInstant(_ job: ScheduledJob, seen: SeenJob?, now: Date, in unit: StoreUnit) throws -> Date {
        let (since, isNew) = Self.since(of: job, seen: seen, now: now)
        if isNew { try store.saveSeenJob(SeenJob(name: job.name, cron: job.cron.source, since: since), in: unit) }
        return since
    }

    /// `sinceInstant` without saving: the recorded instant, or the start of `now`'s minute (new).
    static func since(of job: ScheduledJob, seen: SeenJob?, now: Date) -> (Date, isNew: Bool) {
        if let seen, seen.cron == job.cron.source { return (seen.since, false) }
        let minute = (now.timeIntervalSince1970 / 60).rounded(.down) * 60
        return (Date(timeIntervalSince1970: minute - 0.001), true)
    }
}
