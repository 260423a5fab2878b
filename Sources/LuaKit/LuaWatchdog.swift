import Foundation

/// The last line of defence for work that runs in C where no hook fires.
///
/// The count hook stops Lua code within microseconds of its deadline; a run still going well
/// after that is stuck inside one C call (a pathological pattern, a huge sort). The watchdog
/// then calls `onStuck` from its own thread. What to do is the host's choice: the CLI reports
/// `error[timeout]` and exits; a long-running process runs jobs in a child process and kills it.
public final class LuaWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    /// When the run being watched counts as stuck; nil while no run is watched.
    private var stuckAt: DispatchTime?
    /// Set, under the lock, just before `onStuck` runs: from then on the run must not commit.
    private var fired = false
    private let onStuck: @Sendable () -> Void
    /// Its own serial queue: a global one may have every thread busy running the very code
    /// being watched.
    private static let queue = DispatchQueue(label: "sinergi.lua.watchdog")
    /// Armed per run but rescheduled only when a deadline comes earlier (a workflow tick arms
    /// it thousands of times a second).
    private var timer: LazyDeadlineTimer?

    public init(onStuck: @escaping @Sendable () -> Void) {
        self.onStuck = onStuck
        timer = LazyDeadlineTimer(queue: LuaWatchdog.queue) { [weak self] in self?.check() }
    }

    /// Watches a run with a budget of `seconds`; `onStuck` fires if `disarm` has not been called
    /// within the budget plus a grace period (1 s + 20 %).
    public func arm(seconds: Double) {
        let deadline = DispatchTime.now() + (seconds + 1 + seconds * 0.2)
        lock.withLock {
            stuckAt = deadline
            fired = false
        }
        timer?.arm(at: deadline)
    }

    /// The run finished (one way or another): the pending check does nothing. Returns false
    /// when the watchdog has already fired — the run was reported stuck, so whatever it did must
    /// not be committed (a caller disarms right before COMMIT, so the outcome reported is the
    /// outcome stored).
    @discardableResult
    public func disarm() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if fired { return false }
        stuckAt = nil
        return true
    }

    /// On the timer's queue: reports the watched run if it is past its time, else says when to
    /// look again (nil while none is watched).
    private func check() -> DispatchTime? {
        lock.lock()
        guard let stuckAt, !fired else {
            lock.unlock()
            return nil
        }
        guard DispatchTime.now() >= stuckAt else {
            lock.unlock()
            return stuckAt
        }
        fired = true
        lock.unlock()
        onStuck()
        return nil
    }
}
