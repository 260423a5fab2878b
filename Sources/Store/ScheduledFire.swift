import Foundation

/// One fire of a scheduled job: the job and the instant it was due, unique together, with where
/// it stands (`FireStore` keeps them).
public struct ScheduledFire: Equatable, Sendable {
    /// Where a fire stands. `pending` waits to be claimed; `claimed` is held by a scheduler under
    /// a lease; `done`, `failed` and `skipped` are final.
    public enum State: String, Sendable, CaseIterable {
        case pending, claimed, done, failed, skipped
    }

    public var id: Int64
    public var job: String
    public var scheduledAt: Date
    public var state: State
    /// Who holds the claim (e.g. `host:pid`), for people reading `scheduler list`.
    public var leaseOwner: String?
    /// The secret a holder shows to finish the fire: a fire re-claimed after its lease expired
    /// gets a new token, so the first holder's late completion is refused.
    public var leaseToken: String?
    public var leaseExpiresAt: Date?
    /// How many times it was claimed (a claim lost to a crash counts).
    public var attempts: Int
    public var startedAt: Date?
    public var finishedAt: Date?
    public var message: String?

    public init(id: Int64, job: String, scheduledAt: Date, state: State, leaseOwner: String? = nil,
                leaseToken: String? = nil, leaseExpiresAt: Date? = nil, attempts: Int = 0,
                startedAt: Date? = nil, finishedAt: Date? = nil, message: String? = nil) {
        self.id = id
        self.job = job
        self.scheduledAt = scheduledAt
        self.state = state
        self.leaseOwner = leaseOwner
        self.leaseToken = leaseToken
        self.leaseExpiresAt = leaseExpiresAt
        self.attempts = attempts
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
    }
}

/// A job as the scheduler last saw it in `sinergi.lua`: its cron text and the instant after
/// which its fires count (first sight, or the last change of its cron).
public struct SeenJob: Equatable, Sendable {
    public var name: String
    public var cron: String
    public var since: Date

    public init(name: String, cron: String, since: Date) {
        self.name = name
        self.cron = cron
        self.since = since
    }
}

/// Instants in the scheduler's tables: integer milliseconds since 1970, UTC.
enum FireInstant {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    static func date(_ millis: Int64?) -> Date? { millis.map(date) }
}
