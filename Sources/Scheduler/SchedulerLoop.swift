import Agreements
import Foundation

/// How the loop sleeps: up to a number of seconds, woken early by `poke` (a worker ended) or
/// `stop`. Tests give a waiter that moves a manual clock instead of sleeping.
public protocol LoopWaiting: AnyObject, Sendable {
    /// Sleeps up to `seconds`; returns true when woken early by `poke` or `stop`.
    func wait(seconds: TimeInterval) -> Bool
    func poke()
    func stop()
    var isStopped: Bool { get }
}

/// The long-running loop of `sinergi scheduler run`.
///
/// It sleeps until the earliest due instant — a job's next fire, a fire becoming claimable,
/// a source's timer — and never polls the tables. The only periodic work is a cheap check every
/// `checkInterval` (one second): `changeToken`, which the CLI makes from SQLite's data_version
/// and sinergi.lua's identity, so a timer added by another process or an edited sinergi.lua is
/// seen within a second. When the token changes, `reload` re-reads the configuration.
public final class SchedulerLoop {
    let scheduler: Scheduler
    let waiter: any LoopWaiting
    let checkInterval: TimeInterval
    let changeToken: () -> AnyHashable
    let reload: () throws -> Void
    let log: (String) -> Void

    public init(scheduler: Scheduler, waiter: any LoopWaiting, checkInterval: TimeInterval = 1,
                changeToken: @escaping () -> AnyHashable, reload: @escaping () throws -> Void,
                log: @escaping (String) -> Void) {
        self.scheduler = scheduler
        self.waiter = waiter
        self.checkInterval = checkInterval
        self.changeToken = changeToken
        self.reload = reload
        self.log = log
    }

    /// Runs until the waiter is stopped (SIGINT/SIGTERM); then claims nothing more and returns
    /// when the running workers have ended — finished, or interrupted and their fires released.
    public func run() {
        let waiter = self.waiter
        scheduler.locked { scheduler.onWorkerEnd = { waiter.poke() } }
        defer {
            scheduler.stop()
            scheduler.waitUntilIdle()
            scheduler.locked { scheduler.onWorkerEnd = nil }
        }
        var token = changeToken()
        while !waiter.isStopped {
            let wake: Date?
            var progressed = false
            do {
                (wake, progressed) = try pass()
            } catch {
                log("scheduler: \(error); trying again in \(Int(checkInterval * 5)) s")
                wake = scheduler.clock.now().addingTimeInterval(checkInterval * 5)
            }
            // A pass that could do nothing while something is "due" (a source whose work waits
            // on something else) must not spin: it waits for the next check at least.
            var mustWait = !progressed
            while !waiter.isStopped {
                let remaining = wake.map { $0.timeIntervalSince(scheduler.clock.now()) } ?? .infinity
                if remaining <= 0 && !mustWait { break }
                mustWait = false
                if waiter.wait(seconds: min(max(remaining, 0.001), checkInterval)) && remaining > 0 { break }
                let current = changeToken()
                if current != token {
                    token = current
                    do { try reload() } catch { log("scheduler: sinergi.lua not reloaded, the jobs stay as they were: \(error)") }
                    break
                }
            }
        }
    }

    /// Records and claims what is due now, runs the sources' due work; returns when to wake and
    /// whether anything was started.
    func pass() throws -> (Date?, Bool) {
        let now = scheduler.clock.now()
        try scheduler.recordDueFires(now: now)
        var progressed = try scheduler.claimAndStart(now: now) > 0
        for source in scheduler.sources {
            if let due = try source.nextDue(), due <= now, try source.runDue(now: now) > 0 { progressed = true }
        }
        return (try scheduler.nextWake(now: now), progressed)
    }
}

/// The real waiter: a condition variable, stopped by SIGINT or SIGTERM (`stopOnTermination`).
public final class LoopSignal: LoopWaiting, @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var poked = false
    private var signalSources: [any DispatchSourceSignal] = []

    public init() {}

    public func wait(seconds: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !stopped && !poked {
            if !condition.wait(until: deadline) { break }
        }
        let early = stopped || poked
        poked = false
        return early
    }

    public func poke() {
        condition.lock()
        poked = true
        condition.broadcast()
        condition.unlock()
    }

    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    public var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// Stops the loop on SIGINT and SIGTERM, handled on a dispatch queue (not in a signal
    /// handler, where almost nothing is safe): the default actions are ignored so the process
    /// ends by returning from the loop, after its workers.
    public func stopOnTermination() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.stop() }
            source.resume()
            signalSources.append(source)
        }
    }
}
