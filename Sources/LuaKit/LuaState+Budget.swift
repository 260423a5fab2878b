import CLua
import CLuaShim
import Foundation

/// A state's budget: one per outermost run, its deadline timer, and interrupting a run.
extension LuaState {
    /// Runs `body` — several calls into Lua and the Swift work between them — under one budget:
    /// the calls inside are nested in it, so the whole of `body` has `limits` (a workflow
    /// transition's guard, actions and their database work share one second), and a deadline
    /// timer is armed once, not per call. Nested in a run already under way, that run's budget holds.
    public func budgeted<T>(_ limits: LuaLimits, _ body: () throws -> T) rethrows -> T {
        try withBudget(limits, body)
    }

    /// Arms the budget for the duration of `body`. It leaves `strict` alone: `body` may be Swift
    /// (a `budgeted` transition's work between its Lua calls), where an allocation over the cap
    /// must succeed and only mark the kill; the calls into Lua inside set it themselves.
    ///
    /// No hook runs while the run is within budget. A timer pokes this OS thread at the
    /// deadline; the poke's signal handler arms the stopping hook (see CLuaShim.h).
    func withBudget<T>(_ limits: LuaLimits, _ body: () throws -> T) rethrows -> T {
        let nested = callDepth > 0
        if !nested {
            budget.pointee.kill = Int32(SINERGI_KILL_NONE)
            budget.pointee.refused_size = 0
            budget.pointee.where.0 = 0
            budget.pointee.host_transient = 0
            // What earlier runs left is not this run's: start it within its cap. Garbage alone would
            // go in the run's own emergency collections, but those never shrink a thread's stack
            // or call list (a runaway recursion's): collect now when an eighth of the cap is held.
            if let cap = limits.memory, cap > 0, sinergi_budget_total(budget) > cap / 8 { collectGarbage() }
            if budget.pointee.reserve == nil { budget.pointee.reserve = LuaState.makeReserve() }
            hostErrors.removeAll()
            budget.pointee.limit = limits.memory.map { max(0, $0) } ?? 0
            sinergi_set_deadline(budget, limits.timeout.map { sinergi_now_ns() + Int64($0 * 1e9) } ?? 0)
            activeLimits = limits
            sinergi_run_begin(budget, L)
            if let timeout = limits.timeout { armDeadline(after: timeout) }
        }
        callDepth += 1
        defer {
            callDepth -= 1
            if !nested {
                sinergi_run_end(budget)
                // The outermost run's limits stay in `activeLimits`: its failure is classified after this.
                sinergi_set_deadline(budget, 0)
            }
        }
        return try body()
    }

    /// The queue deadline timers fire on. A queue of its own (serial, so libdispatch gives it a
    /// thread even when every pooled thread is busy — for instance running Lua on Swift
    /// concurrency's executor, which here is the global queue itself).
    static let timerQueue = DispatchQueue(label: "sinergi.lua.deadline")

    /// Arms the state's deadline timer: it pokes the run's thread at the deadline (and every
    /// 50 ms after, in case the first poke landed between two runs of a long host call). One
    /// lazy timer per state, made on the first timed run: a run that ends in time leaves it
    /// set, and the next run's later deadline does not reschedule it (`LazyDeadlineTimer`).
    private func armDeadline(after seconds: Double) {
        if deadlineTimer == nil {
            let target = PokeTarget(budget: budget)
            deadlineTimer = LazyDeadlineTimer(queue: LuaState.timerQueue) { LuaState.pokeIfOverdue(target) }
        }
        deadlineTimer?.arm(at: .now() + seconds)
    }

    /// On the timer's queue: pokes the run in progress if it is past its deadline (its own
    /// thread then checks and stops it), and says when to look again — in 50 ms, at the
    /// deadline of the run now in progress, or never while no timed run is active.
    private static func pokeIfOverdue(_ target: PokeTarget) -> DispatchTime? {
        let left = sinergi_time_left_ns(target.budget)
        if left == Int64.max { return nil }
        if left > 0 { return .now() + .nanoseconds(Int(left)) }
        sinergi_poke(target.budget)
        return .now() + .milliseconds(50)
    }

    /// Clears a kill left by the last run so the state can be used again (the REPL does this).
    public func resetAfterKill() {
        budget.pointee.kill = Int32(SINERGI_KILL_NONE)
        budget.pointee.where.0 = 0
        budget.pointee.limit = 0
        budget.pointee.host_transient = 0
        lua_sethook(L, nil, 0, 0)
        collectGarbage()
    }

    /// A handle another thread may use to interrupt the run in progress (the REPL's Ctrl-C).
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(budget: budget) }
}

/// Interrupts a state's run from another thread: sets the kill flag, which the count hook turns
/// into an `interrupted` error inside the VM. Valid while the state lives.
public struct LuaInterruptHandle: @unchecked Sendable {
    let budget: UnsafeMutablePointer<sinergi_budget>

    public func interrupt() { sinergi_interrupt(budget) }

    /// Makes Ctrl-C (SIGINT) interrupt this state's runs, as lua.c does: the handler only sets
    /// the kill flag atomically (async-signal-safe); the error is raised by the hook inside the
    /// VM, never from the handler. A stale interrupt is cleared when the next run starts.
    public func interruptOnSIGINT() {
        sigintTarget = budget
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if let target = sigintTarget { sinergi_interrupt(target) }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        // A parent may have left SIGINT blocked (spawned processes inherit the mask).
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }
}

/// The budget a deadline timer pokes; the pointer stays valid while the state lives, and the
/// timer is cancelled before the run (let alone the state) ends.
private struct PokeTarget: @unchecked Sendable {
    let budget: UnsafeMutablePointer<sinergi_budget>
}

/// The budget SIGINT interrupts (one REPL per process).
nonisolated(unsafe) var sigintTarget: UnsafeMutablePointer<sinergi_budget>?
