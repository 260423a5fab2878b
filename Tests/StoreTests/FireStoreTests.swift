import Agreements
import Foundation
import Testing
@testable import Store

/// The scheduler's fires in the store: idempotent recording, claims under a lease, tokens.
@Suite struct FireStoreTests {
    let store = FireStore()
    let eight = Date(timeIntervalSince1970: 1_798_765_200)   // 2027-01-01T08:00:00+07:00

    @Test func recordingAFireTwiceKeepsOne() throws {
        let fixture = try StoreFixture()
        let first = try fixture.database.write { try store.record(job: "j", at: eight, now: eight, in: $0) }
        let again = try fixture.database.write { try store.record(job: "j", at: eight, state: .skipped, now: eight, in: $0) }
        #expect(first && !again)
        #expect(try fixture.database.read { try store.fires(of: "j", in: $0) }.map(\.state) == [.pending])
    }

    @Test func aClaimTakesDueFiresOncePerJobInOrderWithALease() throws {
        let fixture = try StoreFixture()
        try fixture.database.write { unit in
            for minute in 0..<3 { try store.record(job: "a", at: eight + Double(minute * 60), now: eight, in: unit) }
            try store.record(job: "b", at: eight + 60, now: eight, in: unit)
            try store.record(job: "later", at: eight + 3600, now: eight, in: unit)
        }
        let claimed = try fixture.database.write { try store.claim(limit: 10, owner: "me", now: eight + 300, lease: 60, in: $0) }
        #expect(claimed.map(\.job) == ["a", "b"])
        #expect(claimed.allSatisfy { $0.state == .claimed && $0.attempts == 1 && $0.leaseExpiresAt == eight + 360 && $0.leaseToken?.count == 32 })
        #expect(claimed[0].leaseToken != claimed[1].leaseToken)
        // While a's first fire runs, its next waits; another claimer gets nothing.
        #expect(try fixture.database.write { try store.claim(limit: 10, owner: "you", now: eight + 301, lease: 60, in: $0) }.isEmpty)
        #expect(try fixture.database.read { try store.nextClaimable(now: eight + 301, in: $0) } == eight + 360)
        try fixture.database.write { try store.complete(fireID: claimed[0].id, token: claimed[0].leaseToken ?? "", state: .done, at: eight + 302, in: $0) }
        #expect(try fixture.database.write { try store.claim(limit: 10, owner: "you", now: eight + 303, lease: 60, in: $0) }.map(\.scheduledAt) == [eight + 60])
    }

    /// A failure's message is the script's words: one holding NUL, which SQLite's text binding
    /// would end it at, is kept whole with each NUL shown as ␀.
    @Test func aFailedFiresMessageIsKeptWholeWithNULShown() throws {
        let fixture = try StoreFixture()
        try fixture.database.write { try store.record(job: "j", at: eight, now: eight, in: $0) }
        let fire = try fixture.database.write { try store.claim(limit: 1, owner: "me", now: eight, lease: 60, in: $0) }[0]
        try fixture.database.write {
            try store.complete(fireID: fire.id, token: fire.leaseToken ?? "", state: .failed, message: "vor\u{0}nach", at: eight + 1, in: $0)
        }
        #expect(try fixture.database.read { try store.fire(id: fire.id, in: $0) }?.message == "vor\u{2400}nach")
    }

    @Test func aReleasedFireIsPendingAgainWithItsAttemptNotCounted() throws {
        let fixture = try StoreFixture()
        try fixture.database.write { try store.record(job: "j", at: eight, now: eight, in: $0) }
        let fire = try fixture.database.write { try store.claim(limit: 1, owner: "me", now: eight, lease: 60, in: $0) }[0]
        #expect(try fixture.database.write { try store.release(fireID: fire.id, token: "wrong", in: $0) } == false)
        #expect(try fixture.database.write { try store.release(fireID: fire.id, token: fire.leaseToken ?? "", in: $0) })
        let again = try fixture.database.read { try store.fire(id: fire.id, in: $0) }
        #expect(again?.state == .pending && again?.attempts == 0 && again?.leaseToken == nil)
    }

    @Test func forgettingAJobSkipsItsWaitingFires() throws {
        let fixture = try StoreFixture()
        try fixture.database.write { unit in
            try store.saveSeenJob(SeenJob(name: "gone", cron: "@daily", since: eight), in: unit)
            try store.record(job: "gone", at: eight, now: eight, in: unit)
            try store.record(job: "kept", at: eight, now: eight, in: unit)
            #expect(try store.forgetJobs(except: ["kept"], at: eight, in: unit) == 1)
        }
        #expect(try fixture.database.read { try store.seenJobs(in: $0) }.isEmpty)
        #expect(try fixture.database.read { try store.fires(of: "gone", in: $0) }.map(\.state) == [.skipped])
        #expect(try fixture.database.read { try store.fires(of: "kept", in: $0) }.map(\.state) == [.pending])
    }

    /// The loop's cheap check: another connection's commit changes the counter; reading does not.
    @Test func theChangeCounterMovesWhenAnotherConnectionCommits() throws {
        let fixture = try StoreFixture()
        let other = try SinergiDatabase(path: fixture.database.path)
        let before = try fixture.database.changeCounter()
        _ = try other.read { try store.fires(of: "j", in: $0) }
        #expect(try fixture.database.changeCounter() == before)
        try other.write { try store.record(job: "j", at: eight, now: eight, in: $0) }
        #expect(try fixture.database.changeCounter() != before)
    }
}
