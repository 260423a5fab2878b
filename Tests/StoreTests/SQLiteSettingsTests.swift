import CSQLiteShim
import Foundation
import GRDB
import GRDBSQLite
import Testing
@testable import Store

/// SQLite's process-wide settings, made before the first connection opens.
@Suite struct SQLiteSettingsTests {
    /// With memory statistics on, every allocation inside SQLite takes a global mutex (≈ 1,500
    /// lock and unlock calls a workflow transition). Off, SQLite counts nothing: the memory it
    /// reports in use stays 0 while a unit of work allocates.
    @Test func sqliteKeepsNoMemoryStatistics() throws {
        let fixture = try StoreFixture()
        try fixture.create(StoreFixture.agreement("S/1"))
        #expect(SinergiDatabase.sqliteStarted == SQLITE_OK)
        var current: sqlite3_int64 = -1, highest: sqlite3_int64 = -1
        #expect(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &current, &highest, 0) == SQLITE_OK)
        #expect(current == 0 && highest == 0)
    }

    /// Freed statement-journal chunks are handed to the next journal: a second savepoint that
    /// journals as many pages as the first takes its chunks from those the first freed. Either
    /// unit rolls back alone, whole, and its group keeps the other.
    @Test func statementJournalsReuseFreedChunksAndStillRollBackAlone() throws {
        let fixture = try StoreFixture()
        // ≈ 4 MB of rows, committed: rewriting them all journals every page (4,000 chunks).
        try fixture.tamper("CREATE TABLE filler (line TEXT NOT NULL)")
        try fixture.tamper("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
            INSERT INTO filler SELECT printf('%04d', i) || zeroblob(1000) FROM n
            """)
        let digest = "SELECT count(*), sum(length(line)), min(line), max(line) FROM filler"
        let before = try fixture.database.read { unit in try unit.reading { try Row.fetchOne($0, sql: digest) } }
        struct Boom: Error {}
        let reusedBefore = sinergi_sqlite_reused_chunks()
        var failures = 0
        try fixture.database.group { group in
            for number in ["J/1", "J/2"] {
                do {
                    try group.unit { unit in
                        try fixture.store.create(StoreFixture.agreement(number), by: fixture.admin, at: "t", in: unit)
                        try unit.writing { try $0.execute(sql: "UPDATE filler SET line = 'x' || line") }
                        throw Boom()
                    }
                } catch is Boom {
                    failures += 1
                }
            }
            try group.unit { try fixture.store.create(StoreFixture.agreement("J/3"), by: fixture.admin, at: "t", in: $0) }
        }
        #expect(failures == 2)
        // Other tests running alongside can only add to the count.
        #expect(sinergi_sqlite_reused_chunks() - reusedBefore >= 1000)
        // The journals freed ≈ 8 MB of chunks on this thread; it keeps 1 MB of them, and never
        // more than 5 MB in all, whatever other tests allocated on it before.
        #expect(sinergi_sqlite_kept_bytes() >= 1 << 20 && sinergi_sqlite_kept_bytes() <= 5 << 20)
        #expect(try fixture.database.read { unit in try unit.reading { try Row.fetchOne($0, sql: digest) } } == before)
        let numbers = try fixture.database.read { try fixture.store.all(AgreementFilter(), withParties: false, in: $0) }.map(\.number)
        #expect(numbers == ["J/3"])
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) } == .intact(rows: 1))
    }

    /// Connections on several threads share the kept chunks (the scheduler and the outbox's
    /// deliverer may write at once): each still rolls back and keeps exactly its own work.
    @Test func connectionsOnSeveralThreadsShareTheKeptChunksSafely() throws {
        let fixtures = try (0..<4).map { _ in try StoreFixture() }
        for fixture in fixtures {
            try fixture.tamper("CREATE TABLE filler (line TEXT NOT NULL)")
            try fixture.tamper("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                INSERT INTO filler SELECT printf('%04d', i) || zeroblob(1000) FROM n
                """)
        }
        let failures = Failures()
        nonisolated(unsafe) let shared = fixtures
        DispatchQueue.concurrentPerform(iterations: shared.count) { index in
            if let failure = Self.rewriteRounds(shared[index]) { failures.add("connection \(index): \(failure)") }
        }
        #expect(failures.all.isEmpty)
    }
}

extension SQLiteSettingsTests {
    struct Boom: Error {}

    /// Five groups on `fixture`, each with a unit that rewrites every row and fails, then one
    /// that stamps half the rows with its round: what is wrong at the end, or nil.
    static func rewriteRounds(_ fixture: StoreFixture) -> String? {
        do {
            for round in 0..<5 {
                try fixture.database.group { group in
                    do {
                        try group.unit { unit in
                            try unit.writing { try $0.execute(sql: "UPDATE filler SET line = 'x' || line") }
                            throw Boom()
                        }
                    } catch is Boom {}
                    try group.unit { unit in
                        try unit.writing { try $0.execute(sql: "UPDATE filler SET line = substr(line, 1, 4) || 'r\(round)' WHERE rowid <= 500") }
                    }
                }
            }
            let counts: [Int] = try fixture.database.read { unit in
                try unit.reading { db in
                    let row = try Row.fetchOne(db, sql: "SELECT count(*), sum(line LIKE '____r4'), sum(line LIKE 'x%') FROM filler")
                    return [row?[0] ?? -1, row?[1] ?? -1, row?[2] ?? -1]
                }
            }
            return counts == [1000, 500, 0] ? nil : "rows, stamped, rewritten: \(counts)"
        } catch {
            return "\(error)"
        }
    }
}

/// What the threads of a test found wrong, gathered under a lock.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [String] = []
    func add(_ failure: String) { lock.withLock { found.append(failure) } }
    var all: [String] { lock.withLock { found } }
}
