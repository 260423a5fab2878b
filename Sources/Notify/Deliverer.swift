import Agreements
import Foundation
import Store

/// Delivers what is due in the outbox: claims one message at a time with a lease, sends it to
/// every recipient through every channel that can reach them, and records the outcome.
///
/// Delivery is at least once. A message's targets (`channel/user`) that succeeded are recorded,
/// so a retry sends only to the others; but a crash between a send and its record sends that
/// one again, which is what the idempotency key (`Delivery.idempotencyKey`) is for. A failed
/// attempt is retried after `DeliveryPolicy.delay` (exponential, with jitter); after
/// `maxAttempts` the message is dead, with its last error, until `notify retry`.
///
///     let summary = try Deliverer(database: db, users: config.users, channels: channels).deliverDue()
public final class Deliverer {
    let database: SinergiDatabase
    let users: [User]
    let agencies: AgencyDirectory
    let channels: [any NotifyChannel]
    let policy: DeliveryPolicy
    let clock: any Clock
    /// Who holds the leases this deliverer takes: unique per deliverer, so a lease is never
    /// mistaken for another process's.
    public let owner: String
    let jitter: () -> Double
    let outbox = Outbox()

    /// - Parameters:
    ///   - users: the workspace's users (`sinergi.lua`), through whose roles and contacts recipients resolve.
    ///   - agencies: the short names of `perangkat_daerah{}`, so `role:pd:DLH` reaches `pd:Dinas Lingkungan Hidup`.
    ///   - clock: the time due dates, leases and backoff are measured in (injected by tests).
    ///   - jitter: a number in 0..<1 for each backoff (random by default).
    public init(database: SinergiDatabase, users: [User], agencies: AgencyDirectory = AgencyDirectory(),
                channels: [any NotifyChannel], policy: DeliveryPolicy = DeliveryPolicy(),
                clock: any Clock = SystemClock(), owner: String? = nil, jitter: @escaping () -> Double = { Double.random(in: 0..<1) }) {
        self.database = database
        self.users = users
        self.agencies = agencies
        self.channels = channels
        self.policy = policy
        self.clock = clock
        self.owner = owner ?? "pid\(getpid())-\(UUID().uuidString.prefix(8))"
        self.jitter = jitter
    }

    /// What one pass did.
    public struct Summary: Equatable, Sendable {
        public var sent = 0
        /// Failed this time, to be tried again later.
        public var retrying = 0
        /// Failed for the last allowed time.
        public var dead = 0
        /// Attempts whose lease ran out before they finished (another deliverer may send again).
        public var leaseLost = 0
        /// Each failed message's id and error.
        public var failures: [Failure] = []

        public struct Failure: Equatable, Sendable {
            public var id: Int64
            public var error: String
        }
    }

    /// One pass: delivers every message due now (at most `limit`) and returns what happened. A
    /// message that fails is due again only later, and one whose lease was lost is not claimed
    /// again in the same pass, so a pass always ends. Messages whose attempts all ended without
    /// an outcome (a killed deliverer) are made dead first.
    public func deliverDue(limit: Int = .max) throws -> Summary {
        var summary = Summary()
        var handled = 0
        var lost: Set<Int64> = []
        let lease = Int64(policy.lease * 1000)
        summary.dead += try database.write { try outbox.buryExhausted(maxAttempts: policy.maxAttempts, now: Self.milliseconds(clock.now()), in: $0) }
        while handled < limit {
            let claimedAt = Self.milliseconds(clock.now())
            guard let entry = try database.write({
                try outbox.claimNext(owner: owner, now: claimedAt, lease: lease, maxAttempts: policy.maxAttempts, skipping: lost, in: $0)
            }) else { break }
            handled += 1
            var leaseUntil = claimedAt + lease
            let renew = { [self] (delivered: [String], timeout: TimeInterval) throws -> Bool in
                let now = Self.milliseconds(clock.now())
                // A renewal is a commit: made only when the send could outlast what is left of the lease.
                guard now + Int64((timeout + DeliveryPolicy.sendStopMargin) * 1000) >= leaseUntil else { return true }
                guard try database.write({
                    try outbox.renew(id: entry.id, owner: owner, delivered: delivered, now: now, lease: lease, in: $0)
                }) else { return false }
                leaseUntil = now + lease
                return true
            }
            guard let (outcome, delivered) = try attempt(entry, renewingLease: renew) else {
                summary.leaseLost += 1
                lost.insert(entry.id)
                continue
            }
            let recorded = try database.write {
                try outbox.finish(id: entry.id, owner: owner, outcome: outcome, delivered: delivered,
                                  now: Self.milliseconds(clock.now()), in: $0)
            }
            guard recorded else {
                summary.leaseLost += 1
                lost.insert(entry.id)
                continue
            }
            switch outcome {
            case .sent: summary.sent += 1
            case let .retry(_, error):
                summary.retrying += 1
                summary.failures.append(.init(id: entry.id, error: error))
            case let .dead(error):
                summary.dead += 1
                summary.failures.append(.init(id: entry.id, error: error))
            }
        }
        return summary
    }

    /// Sends `entry` to each target it has not reached yet; the outcome and the targets reached,
    /// or nil when the lease was lost: before each send, `renewingLease` is given the targets
    /// reached so far and the channel's timeout, extends the lease if the send could outlast it,
    /// and answers whether this deliverer still holds it.
    func attempt(_ entry: OutboxEntry, renewingLease renew: ([String], TimeInterval) throws -> Bool = { _, _ in true }) throws
        -> (Outbox.Outcome, [String])? {
        var delivered = entry.delivered
        var errors: [String] = []
        let recipients: [User]
        do {
            recipients = try Self.users(for: try entry.message.recipient, in: users, agencies: agencies)
        } catch {
            recipients = []
            errors.append("\(error)")
        }
        for user in recipients {
            var reachable = false
            for channel in channels {
                var address: String?
                if let key = channel.spec.contact {
                    guard let value = user.contact[key], !value.isEmpty else { continue }
                    address = value
                }
                reachable = true
                let target = "\(channel.spec.name)/\(user.id)"
                guard !delivered.contains(target) else { continue }
                guard try renew(delivered, channel.spec.timeout) else { return nil }
                do {
                    try channel.send(Delivery(entry: entry, user: user, address: address))
                    delivered.append(target)
                } catch {
                    errors.append("\(target): \(error)")
                }
            }
            if !reachable {
                let needs = channels.compactMap { $0.spec.contact.map { "contact.\($0)" } }
                errors.append("\(user.id) has none of the contacts the channels send to (\(needs.joined(separator: ", ")))")
            }
        }
        guard !errors.isEmpty else { return (.sent, delivered) }
        let error = errors.joined(separator: "; ")
        guard entry.attempts < policy.maxAttempts else { return (.dead(error: error), delivered) }
        let wait = policy.delay(afterAttempts: entry.attempts, jitter: jitter())
        return (.retry(at: Self.milliseconds(clock.now()) + Int64(wait * 1000), error: error), delivered)
    }

    /// The users a recipient names: everyone with the role, or the one user. None is an error —
    /// a message to no one is not sent. A role matches exactly (`role:pd` is not sent to
    /// `pd:DLH`), but for an agency's short name (`pd:DLH` is `pd:Dinas Lingkungan Hidup`).
    public static func users(for recipient: OutboxRecipient, in users: [User],
                             agencies: AgencyDirectory = AgencyDirectory()) throws -> [User] {
        switch recipient {
        case let .role(name):
            let found = users.filter { $0.roles.contains { Self.sameRole($0, name, agencies: agencies) } }
            guard !found.isEmpty else { throw DeliveryError.unreachable("no user has the role \(name) in sinergi.lua") }
            return found
        case let .user(id):
            guard let user = users.first(where: { $0.id == id }) else {
                throw DeliveryError.unreachable("no user \(id) in sinergi.lua")
            }
            return [user]
        }
    }

    static func sameRole(_ one: String, _ other: String, agencies: AgencyDirectory) -> Bool {
        if one == other { return true }
        guard one.hasPrefix("pd:"), other.hasPrefix("pd:") else { return false }
        return agencies.resolve(String(one.dropFirst(3))).caseInsensitiveCompare(agencies.resolve(String(other.dropFirst(3)))) == .orderedSame
    }

    /// Unix milliseconds, the outbox's unit for instants.
    public static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
