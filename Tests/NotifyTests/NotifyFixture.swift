import Agreements
import Foundation
@testable import Notify
import Store

/// A fresh database in a temporary folder (the workspace root for file channels), users with
/// contacts, a clock the test moves, and deliverers on it.
final class NotifyFixture {
    let folder: URL
    let database: SinergiDatabase
    let clock = TestClock()
    let users = [
        User(id: "sari", name: "Sari", roles: ["sekretariat"], contact: ["email": "sari@example.org", "phone": "+6281200001"]),
        User(id: "budi", name: "Budi Santoso", roles: ["sekretariat", "pd:DLH"], contact: ["email": "budi@example.org"]),
        User(id: "admin", name: "Admin", roles: ["admin"]),
    ]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-notify-\(UUID().uuidString)")
        database = try SinergiDatabase(path: folder.appendingPathComponent(".sinergi/sinergi.db").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    @discardableResult
    func enqueue(_ subject: String, to: String = "role:sekretariat", key: String? = nil, body: String = "Isi pesan.\n") throws -> Bool {
        try database.write {
            try Outbox().enqueue(OutboxMessage(to: to, subject: subject, body: body, key: key), by: "admin",
                                 at: "2026-12-01T08:00:00+07:00", in: $0)
        }
    }

    func deliverer(_ specs: [ChannelSpec], policy: DeliveryPolicy = DeliveryPolicy(), owner: String? = nil) -> Deliverer {
        let channels = specs.map { $0.channel(root: folder, console: { _ in }) }
        return Deliverer(database: database, users: users, channels: channels, policy: policy, clock: clock,
                         owner: owner, jitter: { 0 })
    }

    func entries() throws -> [OutboxEntry] {
        try database.read { try Outbox().list(status: nil, in: $0) }.reversed()
    }
}

/// A clock that moves only when the test says.
final class TestClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant = Date(timeIntervalSince1970: 1_796_000_000)

    func now() -> Date { lock.withLock { instant } }
    func advance(_ seconds: TimeInterval) { lock.withLock { instant += seconds } }
}
