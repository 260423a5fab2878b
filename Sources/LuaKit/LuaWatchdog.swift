import Foundation

/// The last line of defence for work that runs in C where no hook fires.
///
/// The count hook stops Lua code within microseconds of its deadline; a run still going well
/// after that is stuck inside one C call (a pathological pattern, a huge sort). The watchdog
/// then calls `onStuck` from its own thread. What to do is the host's choice: the CLI reports
/// `error[timeout]` and exits; a long-running process runs jobs in a child process and kills it.
public final class LuaWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var generation = 0
    /// Set, under the lock, just before `onStuck` runs: from then on the run must not commit.
    private var fired = false
    private let onStuck: @Sendable () -> Void
    private static let queue = DispatchQueue(label: "sinergi.lua.watchdog")

    public init(onStuck: @escaping @Sendable () -> Void) {
        self.onStuck = onStuck
    }

    /// Watches a run with a budget of `seconds`; `onStuck` fires if `disarm` has not been called
    /// within the budget plus a grace period (1 s + 20 %).
    public func arm(seconds: Double) {
        lock.lock()
        generation += 1
        fired = false
        let mine = generation
        lock.unlock()
        let grace = seconds + 1 + seconds * 0.2
        // Its own serial queue: a global one may have every thread busy running the very code
        // being watched.
        LuaWatchdog.queue.asyncAfter(deadline: .now() + grace) { [self] in
            lock.lock()
            let stillRunning = generation == mine
            if stillRunning { fired = true }
            lock.unlock()
            if stillRunning { onStuck() }
        }
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
        generation += 1
        return true
    }
}
