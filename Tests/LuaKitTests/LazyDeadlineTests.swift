import Foundation
import Testing
@testable import LuaKit

/// The deadline timers are rescheduled only when a deadline comes earlier than the one they are
/// set for (`LazyDeadlineTimer`): a short budget after long ones must still stop its run at its
/// own deadline, not at theirs. The bounds below are many times the budgets involved, and far
/// below the long deadlines a broken reschedule would wait for.
@Suite struct LazyDeadlineTests {
    @Test func aShortBudgetAfterManyLongOnesStopsAtItsOwnDeadline() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        for index in 0..<2000 {
            let values = try sandbox.run(source: "return ...", chunkName: "quick.lua", arguments: [.integer(Int64(index))],
                                         limits: LuaLimits(timeout: 120, memory: nil))
            #expect(values == [.integer(Int64(index))])
        }
        let start = Date()
        #expect(throws: LuaError.self) {
            try sandbox.run(source: "while true do end", chunkName: "loop.lua", limits: LuaLimits(timeout: 0.2, memory: nil))
        }
        #expect(Date().timeIntervalSince(start) < 30, "the loop ran until the long budgets' deadline")
        sandbox.state.resetAfterKill()
        // And a long budget after it still runs to completion: the short deadline is not inherited.
        let values = try sandbox.run(source: "local n = 0 for i = 1, 1e6 do n = n + 1 end return n", chunkName: "count.lua",
                                     limits: LuaLimits(timeout: 120, memory: nil))
        #expect(values == [.integer(1_000_000)])
    }

    @Test func aLoopAfterManyQuickRunsIsStoppedWithTheTimeoutClass() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        for _ in 0..<500 { _ = try sandbox.run(source: "return 1", chunkName: "quick.lua", limits: LuaLimits(timeout: 0.3, memory: nil)) }
        do {
            _ = try sandbox.run(source: "while true do end", chunkName: "loop.lua", limits: LuaLimits(timeout: 0.3, memory: nil))
            Issue.record("the loop was not stopped")
        } catch let error as LuaError {
            guard case .timeout = error else { Issue.record("not a timeout: \(error)"); return }
        }
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func raise() { lock.withLock { count += 1 } }
        var raised: Int { lock.withLock { count } }
    }

    @Test func theWatchdogFiresForAShortRunArmedAfterLongOnes() throws {
        let flag = Flag()
        let watchdog = LuaWatchdog { flag.raise() }
        for _ in 0..<1000 {
            watchdog.arm(seconds: 100)
            #expect(watchdog.disarm())
        }
        watchdog.arm(seconds: 0.01)  // stuck after 1.012 s; the long ones' check is due after 121 s
        let start = Date()
        while flag.raised == 0 && Date().timeIntervalSince(start) < 30 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(flag.raised == 1)
        #expect(!watchdog.disarm(), "a run reported stuck must not commit")
    }
}
