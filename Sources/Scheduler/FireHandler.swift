import Foundation
import Store

/// A fire the scheduler has claimed and hands to a `FireHandler`, with what the handler needs
/// to finish it: the token that proves the claim, and the job's time budget.
public struct ClaimedFire: Sendable {
    public let fire: ScheduledFire
    public let job: ScheduledJob
    /// The claim's token: the handler finishes the fire with it (`FireStore.complete`).
    public let token: String
    /// The job's budget (its `timeout`, else the workspace default), in seconds.
    public let timeout: TimeInterval
    /// When the handler must give up on a worker that has not ended (it is stuck in C, or its
    /// own watchdog is): `Scheduler.killAfter(timeout:)`.
    public let killAfter: TimeInterval
}

/// What became of a fire the handler ran.
public enum FireOutcome: Sendable, Equatable {
    /// The handler finished the fire itself — `done`, in the unit that kept the job's effects.
    case completed
    /// The job failed (an error, a timeout, a worker killed past its deadline): the scheduler
    /// records the fire `failed` with this message. Failures are final, never retried.
    case failed(String)
    /// The worker died without a word (killed from outside, the machine's OOM killer): the fire
    /// stays claimed and is re-claimable when its lease expires (up to `maxAttempts`).
    case crashed(String)
    /// The scheduler is stopping and the worker was interrupted: the fire is released, pending
    /// again, its attempt not counted.
    case interrupted
}

/// Runs a claimed fire. The CLI's handler runs the job's script in a child process
/// (`sinergi scheduler fire`), which finishes the fire in the script's own unit of work.
///
/// Called on a worker thread, several at once (one per running fire): an implementation must
/// be safe to call concurrently.
public protocol FireHandler: Sendable {
    func run(_ claimed: ClaimedFire, stopping: @escaping @Sendable () -> Bool) -> FireOutcome
}

/// Other work with due instants that the scheduler's loop drives: the workflow engine's timers.
///
/// The loop sleeps until the earliest `nextDue()` of all its sources and the jobs' fires, and
/// calls `runDue(now:)` when that instant has come; `tick` calls `runDue` once.
public protocol DueWorkSource: Sendable {
    /// A name for reports (`workflow timers`).
    var name: String { get }
    /// The earliest instant some work is due, or nil when nothing is waiting.
    func nextDue() throws -> Date?
    /// Runs the work due at `now`; returns how many items it ran.
    func runDue(now: Date) throws -> Int
}
