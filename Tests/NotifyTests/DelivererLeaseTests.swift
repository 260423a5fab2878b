import Agreements
import Foundation
import Testing
@testable import Notify
import Store

/// Leases that sends outlive, and deliverers that die: a pass always ends, nothing is sent past
/// the attempts allowed, and a message whose attempts all ended without an outcome goes dead.
@Suite struct DelivererLeaseTests {
    /// A channel whose every send takes `seconds` on the fixture's clock, counting its sends.
    final class SlowChannel: NotifyChannel, @unchecked Sendable {
        let spec: ChannelSpec
        let clock: TestClock
        let seconds: TimeInterval
        private(set) var sends: [String] = []

        init(clock: TestClock, seconds: TimeInterval, timeout: TimeInterval = 1) throws {
            spec = try ChannelSpec(name: "lambat", kind: .console, timeout: timeout)
            self.clock = clock
            self.seconds = seconds
        }

        func send(_ delivery: Delivery) throws {
            sends.append(delivery.user.id)
            clock.advance(seconds)
        }
    }

    func deliverer(_ fixture: NotifyFixture, _ channel: SlowChannel, lease: TimeInterval, owner: String? = nil) -> Deliverer {
        var policy = DeliveryPolicy()
        policy.lease = lease
        policy.maxAttempts = 3
        return Deliverer(database: fixture.database, users: fixture.users, channels: [channel], policy: policy, clock: fixture.clock,
                         owner: owner, jitter: { 0 })
    }

    /// The lease is renewed before a send that could outlast it: a message to two users whose
    /// sends together take longer than the lease, each within its channel's timeout, is sent
    /// once to each and recorded.
    @Test func aSendThatCouldOutlastTheLeaseRenewsIt() throws {
        let fixture = try NotifyFixture()
        let channel = try SlowChannel(clock: fixture.clock, seconds: 40, timeout: 40)
        try fixture.enqueue("Dua penerima")
        #expect(try deliverer(fixture, channel, lease: 60).deliverDue() == Deliverer.Summary(sent: 1))
        #expect(channel.sends == ["sari", "budi"])
        #expect(try fixture.entries().first?.status == .sent)
    }

    /// A send that outlives the lease (a channel stalled past its timeout): the pass ends,
    /// counting the lease lost, without claiming the message again and without sending to the
    /// next recipient; passes after it try again until the attempts are used up, then it is dead.
    @Test func aLostLeaseEndsThePassAndTheAttemptsStillRunOut() throws {
        let fixture = try NotifyFixture()
        let channel = try SlowChannel(clock: fixture.clock, seconds: 90)
        try fixture.enqueue("Lambat")
        let slow = deliverer(fixture, channel, lease: 60)
        #expect(try slow.deliverDue() == Deliverer.Summary(leaseLost: 1))
        #expect(channel.sends == ["sari"])
        var entry = try #require(try fixture.entries().first)
        #expect(entry.status == .pending && entry.attempts == 1)
        for _ in 2...3 { #expect(try slow.deliverDue().leaseLost == 1) }
        #expect(try slow.deliverDue() == Deliverer.Summary(dead: 1))
        #expect(channel.sends == ["sari", "sari", "sari"])
        entry = try #require(try fixture.entries().first)
        #expect(entry.status == .dead && entry.attempts == 3)
    }

    /// Claims count attempts; a message whose attempts all ended without an outcome (its
    /// deliverer killed each time) is made dead, not claimed a fourth time.
    @Test func aMessageWhoseDeliverersAllDiedGoesDead() throws {
        let fixture = try NotifyFixture()
        let channel = try SlowChannel(clock: fixture.clock, seconds: 0)
        try fixture.enqueue("Mati", to: "user:sari")
        for owner in ["A", "B", "C"] {
            let now = Deliverer.milliseconds(fixture.clock.now())
            #expect(try fixture.database.write {
                try Outbox().claimNext(owner: owner, now: now, lease: 60_000, maxAttempts: 3, in: $0)
            } != nil)
            fixture.clock.advance(61)
        }
        let summary = try deliverer(fixture, channel, lease: 60).deliverDue()
        #expect(summary.dead == 1 && summary.sent == 0)
        #expect(channel.sends.isEmpty)
        let entry = try #require(try fixture.entries().first)
        #expect(entry.status == .dead && entry.attempts == 3)
        #expect(entry.lastError?.contains("3 attempts ended without an outcome") == true)
    }
}
