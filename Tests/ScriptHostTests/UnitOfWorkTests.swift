import Foundation
import LuaKit
import Store
import Testing
@testable import ScriptHost

/// The outcome reported is the outcome stored (review finding 6): once the watchdog has reported
/// a unit stuck, nothing of it is committed, and a unit it did not stop commits as reported.
@Suite struct UnitOfWorkTests {
    final class Fired: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var fired: Bool { lock.lock(); defer { lock.unlock() }; return value }
        func set() { lock.lock(); value = true; lock.unlock() }
    }

    @Test func aUnitTheWatchdogReportedStuckCommitsNothing() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(AgreementsAPITests.create)
        let session = try fixture.session(limits: LuaLimits(timeout: 0.1, memory: nil))
        let fired = Fired()
        session.watchdog = LuaWatchdog { fired.set() }
        #expect(throws: LuaError.self) {
            try session.unitOfWork {
                _ = try session.evalInCurrentUnit("agreements.get('180/1/2027'):update{ title = 'stuck after writing' }")
                // Stands for a host call stuck past the budget and its grace (no Lua hook can stop it).
                while !fired.fired { Thread.sleep(forTimeInterval: 0.05) }
            }
        }
        #expect(try fixture.eval("return agreements.get('180/1/2027').title") == [.text("Pengelolaan sampah")])
    }

    @Test func aUnitWithinItsBudgetCommitsAndDisarmsTheWatchdog() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(AgreementsAPITests.create)
        let session = try fixture.session()
        let fired = Fired()
        session.watchdog = LuaWatchdog { fired.set() }
        try session.unitOfWork {
            _ = try session.evalInCurrentUnit("agreements.get('180/1/2027'):update{ title = 'kept' }")
        }
        #expect(try fixture.eval("return agreements.get('180/1/2027').title") == [.text("kept")])
        #expect(!fired.fired)
    }

    @Test func aReadOnlyRunReadsASnapshotAndNeverHoldsTheWriteLock() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(AgreementsAPITests.create)
        let session = try fixture.session(readOnly: true)
        let other = try SinergiDatabase(path: fixture.workspace.database.path)
        let user = try fixture.workspace.actingUser(requested: nil, osLogin: "tester")
        let titles = try session.unitOfWork { () -> [LuaValue] in
            let before = try session.evalInCurrentUnit("return agreements.get('180/1/2027').title")
            // Another process writes while the run reads (a write lock would make it time out).
            try other.write { unit in
                var agreement = try require_(try fixture.workspace.agreements.agreement(idOrNumber: "180/1/2027", in: unit))
                agreement.title = "written meanwhile"
                try fixture.workspace.agreements.update(agreement, by: user, at: "t", in: unit)
            }
            return before + (try session.evalInCurrentUnit("return agreements.get('180/1/2027').title"))
        }
        #expect(titles == [.text("Pengelolaan sampah"), .text("Pengelolaan sampah")])
        #expect(try fixture.eval("return agreements.get('180/1/2027').title") == [.text("written meanwhile")])
    }
}

/// A session and everything its API holds (its context, the workspace's connection) is freed with
/// it: a long-running process makes one per job.
@Suite struct SessionLifetimeTests {
    @Test func aFinishedSessionLeavesNothingBehind() throws {
        let fixture = try ScriptHostFixture(sample: true)
        weak var context: RunContext?
        weak var state: LuaState?
        do {
            let session = try fixture.session()
            _ = try session.eval("local a = agreements.find{}[1] return a.title, today() + 1, a.parties")
            context = session.context
            state = session.sandbox.state
            #expect(context != nil)
        }
        #expect(state == nil)
        #expect(context == nil, "the session's context outlived it (a reference cycle)")
    }
}
