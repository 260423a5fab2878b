import Foundation
import Store

extension Scheduler {
    /// What a `tick` did: the fires it handled and the items each source ran.
    public struct TickReport: Sendable {
        public var fires: [Handled]
        public var sources: [(name: String, count: Int)]
    }

    /// One pass, to the end: records what is due at the clock's now, runs every claimable fire
    /// (several at once; the next fire of a job after the previous one ends), runs each source's
    /// due work, and returns when every worker has ended. For `sinergi scheduler tick`.
    public func tick() throws -> TickReport {
        let now = clock.now()
        try recordDueFires(now: now)
        locked { handled = [] }
        defer { locked { handled = nil } }
        while true {
            let started = try claimAndStart(now: now)
            if started == 0 {
                let idle = locked { () -> Bool in
                    if running.isEmpty { return true }
                    waitForWorkerEnd()
                    return false
                }
                if idle { break }
            }
        }
        var counts: [(name: String, count: Int)] = []
        for source in sources { counts.append((source.name, try source.runDue(now: now))) }
        return TickReport(fires: locked { handled ?? [] }, sources: counts)
    }

    /// Claims as many fires as there are free workers and starts each on its own thread;
    /// returns how many it started. Nothing once stopping.
    @discardableResult
    public func claimAndStart(now: Date) throws -> Int {
        let jobs = self.jobs
        let free = locked { stopping ? 0 : settings.concurrency - running.count }
        guard free > 0 else { return 0 }
        let lease = lease(for: jobs)
        let fires = try database.write { try store.claim(limit: free, owner: settings.owner, now: now, lease: lease, in: $0) }
        let byName = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0) })
        for fire in fires {
            locked { _ = running.insert(fire.id) }
            let job = byName[fire.job]
            Thread.detachNewThread { [self] in
                let result = handle(fire, job: job)
                let notify = locked { () -> (@Sendable () -> Void)? in
                    running.remove(fire.id)
                    handled?.append(result)
                    lock.broadcast()
                    return onWorkerEnd
                }
                notify?()
            }
        }
        return fires.count
    }

    /// Runs one claimed fire through the handler and records its outcome (the handler records
    /// `done` itself, with the job's effects).
    func handle(_ fire: ScheduledFire, job: ScheduledJob?) -> Handled {
        var result = Handled(job: fire.job, scheduledAt: fire.scheduledAt, state: .done, message: nil)
        guard let token = fire.leaseToken else { return result }
        func finish(_ state: ScheduledFire.State, _ message: String?) {
            result.state = state
            result.message = message
            do {
                try database.write { try store.complete(fireID: fire.id, token: token, state: state, message: message, at: clock.now(), in: $0) }
            } catch {
                result.message = (message.map { $0 + "; " } ?? "") + "not recorded: \(error)"
            }
        }
        guard let job else {
            finish(.skipped, "the job is no longer in sinergi.lua")
            return result
        }
        guard fire.attempts <= settings.maxAttempts else {
            finish(.failed, "given up after \(fire.attempts - 1) attempts: its worker died each time")
            return result
        }
        let timeout = job.timeout ?? settings.defaultTimeout
        let claimed = ClaimedFire(fire: fire, job: job, token: token, timeout: timeout,
                                  killAfter: Self.killAfter(timeout: timeout))
        switch handler.run(claimed, stopping: { [weak self] in self?.isStopping ?? true }) {
        case .completed:
            let stored = try? database.read { try store.fire(id: fire.id, in: $0) }
            result.state = stored?.state ?? .done
            result.message = stored?.message
        case let .failed(message):
            finish(.failed, message)
        case let .crashed(message):
            result.state = .claimed
            result.message = message + "; re-claimable when its lease expires"
        case .interrupted:
            _ = try? database.write { try store.release(fireID: fire.id, token: token, in: $0) }
            result.state = .pending
            result.message = "interrupted: the scheduler stopped; released"
        }
        return result
    }

    /// Blocks until no worker runs.
    public func waitUntilIdle() {
        locked { while !running.isEmpty { waitForWorkerEnd() } }
    }

    /// How many workers run now.
    public var runningCount: Int { locked { running.count } }
}
