import Foundation

/// A timer for deadlines armed far more often than they fall due: one per Lua run, and a
/// workflow tick makes thousands of runs a second, each over in well under its budget.
///
/// Rescheduling a dispatch timer wakes libdispatch's manager thread every time (an eventfd
/// write and a context switch): done per run, that cost a tick a fifth of its CPU. This timer is
/// rescheduled only when a deadline comes *earlier* than the one it is set for. When it fires,
/// `due` looks at what is running now — the run it was set for is usually long over, and the run
/// in progress has a later deadline — acts if something is overdue, and says when to look again.
/// So a stream of short runs costs one wake-up per budget period, not one per run.
final class LazyDeadlineTimer: @unchecked Sendable {
    private let lock = NSLock()
    private let queue: DispatchQueue
    private let source: DispatchSourceTimer
    /// When the source will fire (uptime nanoseconds); nil while it rests.
    private var setFor: UInt64?

    /// `due` runs on `queue` each time the timer fires: it does what is overdue and returns when
    /// to look again, or nil to rest until the next `arm`.
    init(queue: DispatchQueue, due: @escaping @Sendable () -> DispatchTime?) {
        self.queue = queue
        source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .distantFuture, repeating: .never)
        source.setEventHandler { [weak self] in
            guard let self else { return }
            // Cleared before `due` looks, so an `arm` racing with it either is seen by `due` or
            // sets the timer itself.
            lock.withLock { setFor = nil }
            if let next = due() { arm(at: next) }
        }
        source.resume()
    }

    /// Makes sure the timer fires no later than `deadline`.
    func arm(at deadline: DispatchTime) {
        lock.lock()
        defer { lock.unlock() }
        if let setFor, setFor <= deadline.uptimeNanoseconds { return }
        setFor = deadline.uptimeNanoseconds
        source.schedule(deadline: deadline, repeating: .never, leeway: .milliseconds(1))
    }

    /// Stops the timer for good and waits out a `due` in flight: after this returns, `due` never
    /// runs again (what it points at may be freed). Never call it from `queue`.
    func cancel() {
        source.cancel()
        queue.sync {}
    }

    deinit { source.cancel() }
}
