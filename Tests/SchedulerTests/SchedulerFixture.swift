import Agreements
import Cron
import Foundation
import Store
@testable import Scheduler

/// A clock the test moves by hand.
final class ManualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    init(_ instant: Date) { self.instant = instant }
    func now() -> Date { lock.lock(); defer { lock.unlock() }; return instant }
    func set(_ date: Date) { lock.lock(); instant = date; lock.unlock() }
    func advance(_ seconds: TimeInterval) { lock.lock(); instant += seconds; lock.unlock() }
}

/// A handler that does in-process what the CLI's worker does in a child: it "runs" the job
/// (counting each run by fire key) and finishes the fire with its token in one unit of work.
/// `script` decides the outcome per fire (default: completed).
final class RecordingHandler: FireHandler, @unchecked Sendable {
    let database: SinergiDatabase
    let clock: any Clock
    private let lock = NSLock()
    private(set) var runs: [String] = []
    var script: @Sendable (ClaimedFire) -> FireOutcome = { _ in .completed }

    init(database: SinergiDatabase, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    func run(_ claimed: ClaimedFire, stopping: @escaping @Sendable () -> Bool) -> FireOutcome {
        let outcome = script(claimed)
        guard outcome == .completed else { return outcome }
        do {
            try database.write { unit in
                try FireStore().complete(fireID: claimed.fire.id, token: claimed.token, state: .done, at: clock.now(), in: unit)
            }
            lock.lock()
            runs.append(Self.key(claimed.fire.job, claimed.fire.scheduledAt))
            lock.unlock()
            return .completed
        } catch {
            return .failed("\(error)")
        }
    }

    var runKeys: [String] { lock.lock(); defer { lock.unlock() }; return runs }

    static func key(_ job: String, _ instant: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = jakarta
        return "\(job)@\(formatter.string(from: instant))"
    }
}

let jakarta = TimeZone(identifier: "Asia/Jakarta") ?? .current

/// An instant in Asia/Jakarta: `at("2027-01-04 08:00")`.
func at(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = jakarta
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return formatter.date(from: text.count == 16 ? text + ":00" : text) ?? Date(timeIntervalSince1970: 0)
}

/// A fresh database in a temporary folder with a scheduler over it.
final class SchedulerFixture {
    let folder: URL
    let database: SinergiDatabase
    let clock: ManualClock
    let handler: RecordingHandler
    let scheduler: Scheduler

    init(jobs: [ScheduledJob], now: Date, settings: Scheduler.Settings = SchedulerFixture.settings) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-scheduler-\(UUID().uuidString)")
        database = try SinergiDatabase(path: folder.appendingPathComponent("sinergi.db").path)
        clock = ManualClock(now)
        handler = RecordingHandler(database: database, clock: clock)
        scheduler = Scheduler(database: database, jobs: jobs, timeZone: jakarta, clock: clock, handler: handler, settings: settings)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static var settings: Scheduler.Settings {
        var settings = Scheduler.Settings()
        settings.lease = 60
        settings.defaultTimeout = 5
        settings.owner = "test"
        return settings
    }

    /// A second scheduler on the same database file, through its own connection and clock.
    func secondScheduler(jobs: [ScheduledJob], clock: any Clock, handler: RecordingHandler? = nil) throws -> (Scheduler, RecordingHandler) {
        let database = try SinergiDatabase(path: self.database.path)
        let handler = handler ?? RecordingHandler(database: database, clock: clock)
        var settings = Self.settings
        settings.owner = "second"
        return (Scheduler(database: database, jobs: jobs, timeZone: jakarta, clock: clock, handler: handler, settings: settings), handler)
    }

    func fires(_ job: String) throws -> [ScheduledFire] {
        try database.read { try FireStore().fires(of: job, in: $0) }
    }

    /// Ticks at `instant`.
    @discardableResult
    func tick(at instant: Date) throws -> Scheduler.TickReport {
        clock.set(instant)
        return try scheduler.tick()
    }
}

func job(_ name: String, _ cron: String, misfire: ScheduledJob.Misfire = .once, overlap: ScheduledJob.Overlap = .skip) throws -> ScheduledJob {
    ScheduledJob(name: name, cron: try CronExpression(cron), run: "scripts/\(name).lua", misfire: misfire, overlap: overlap)
}
