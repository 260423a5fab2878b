import Agreements
import Foundation
import GRDB
import Testing
@testable import Store

/// The store's units of work — the only way to a transaction: a read snapshot, a write unit, and
/// a grouped unit whose units each roll back alone.
@Suite struct StoreUnitTests {
    struct Boom: Error {}

    func numbers(_ fixture: StoreFixture) throws -> [String] {
        try fixture.database.read { try fixture.store.all(AgreementFilter(), withParties: false, in: $0) }.map(\.number)
    }

    /// The file change counter (bytes 24–27 of SQLite's header) moves with every committed write.
    func changeCounter(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path))[24..<28])
    }

    @Test func openingAndReadingAnExistingDatabaseWritesNothing() throws {
        let fixture = try StoreFixture()
        try fixture.create(StoreFixture.agreement("R/1"))
        let path = fixture.database.path
        // Closed: the last connection checkpoints the log into the file and removes it.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let copy = folder.appendingPathComponent("copy.db").path
        try fixture.database.backup(to: copy)
        let before = try changeCounter(copy)
        // A read-only command's whole life: open, read, close (GRDB's own WAL set-up wrote a
        // table and dropped it at every such open — four fsyncs for `sinergi eval 'return 1'`).
        do {
            let reopened = try SinergiDatabase(path: copy)
            #expect(try reopened.read { try fixture.store.all(AgreementFilter(), withParties: false, in: $0) }.count == 1)
            let journal = try reopened.read { unit in try unit.reading { try String.fetchOne($0, sql: "PRAGMA journal_mode") } }
            #expect(journal == "wal")
        }
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
        #expect(try changeCounter(copy) == before)
    }

    @Test func aBatchKeepsItsGoodUnitsAndAFailingUnitRollsBackAlone() throws {
        let fixture = try StoreFixture()
        var failures: [String] = []
        try fixture.database.group { group in
            for number in ["B/1", "B/2", "B/3"] {
                do {
                    try group.unit { unit in
                        try fixture.store.create(StoreFixture.agreement(number), by: fixture.admin, at: "t", in: unit)
                        // The second unit fails after it wrote its row and audit entry.
                        if number == "B/2" { throw Boom() }
                    }
                } catch {
                    failures.append(number)
                }
            }
        }
        #expect(failures == ["B/2"])
        #expect(try numbers(fixture) == ["B/1", "B/3"])
        // The audit trail has the kept units' rows only, and its chain is whole.
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) } == .intact(rows: 2))
    }

    /// When SQLite itself rolls a group's transaction back (here `INSERT OR ROLLBACK` on a
    /// duplicate number), the units after it fail rather than run — and commit — on their own,
    /// and the group keeps nothing.
    @Test func unitsAfterTheEngineRolledTheGroupBackFailAndNothingIsKept() throws {
        let fixture = try StoreFixture()
        try fixture.create(StoreFixture.agreement("R/0"))
        var failures: [String] = []
        #expect(throws: StoreError.self) {
            try fixture.database.group { group in
                try group.unit { try fixture.store.create(StoreFixture.agreement("R/1"), by: fixture.admin, at: "t", in: $0) }
                for step in ["duplicate", "after"] {
                    do {
                        try group.unit { unit in
                            if step == "duplicate" {
                                try unit.writing { try $0.execute(sql: """
                                    INSERT OR ROLLBACK INTO agreement (number, title, kind, lead_agency, status, stage, created_at, updated_at)
                                    VALUES ('R/0', 'x', 'ksdpk', 'Bappeda', 'draft', 'persiapan', 't', 't')
                                    """) }
                            } else {
                                try fixture.store.create(StoreFixture.agreement("R/2"), by: fixture.admin, at: "t", in: unit)
                            }
                        }
                    } catch {
                        failures.append(step)
                    }
                }
            }
        }
        #expect(failures == ["duplicate", "after"])
        #expect(try numbers(fixture) == ["R/0"])
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) } == .intact(rows: 1))
    }

    @Test func aGroupKeepsNothingWhenItsBodyThrowsOrItRollsBack() throws {
        let fixture = try StoreFixture()
        #expect(throws: Boom.self) {
            try fixture.database.group { group in
                try group.unit { try fixture.store.create(StoreFixture.agreement("G/1"), by: fixture.admin, at: "t", in: $0) }
                throw Boom()
            }
        }
        try fixture.database.group { group in
            try group.unit { try fixture.store.create(StoreFixture.agreement("G/2"), by: fixture.admin, at: "t", in: $0) }
            try group.rollback()
        }
        #expect(try numbers(fixture).isEmpty)
    }

    @Test func aGroupLeftOpenWhenItsSessionEndsIsRolledBack() throws {
        let fixture = try StoreFixture()
        try fixture.database.session { session in
            let group = try session.beginGroup()
            try group.unit { try fixture.store.create(StoreFixture.agreement("O/1"), by: fixture.admin, at: "t", in: $0) }
            #expect(throws: StoreError.self) { try session.read { _ in } }
        }
        #expect(try numbers(fixture).isEmpty)
    }

    @Test func aWriteUnitWithoutCommitKeepsNothing() throws {
        let fixture = try StoreFixture()
        let created = try fixture.database.write(commit: false) { unit in
            try fixture.store.create(StoreFixture.agreement("D/1"), by: fixture.admin, at: "t", in: unit)
        }
        #expect(created.number == "D/1")
        #expect(try numbers(fixture).isEmpty)
    }

    @Test func aReadUnitRefusesWritesAndNeverTakesTheWriteLock() throws {
        let fixture = try StoreFixture()
        let other = try SinergiDatabase(path: fixture.database.path)
        try fixture.database.read { unit in
            #expect(throws: StoreError.misuse("this unit only reads; a change needs a write unit")) {
                try fixture.store.create(StoreFixture.agreement("R/1"), by: fixture.admin, at: "t", in: unit)
            }
            #expect(try fixture.store.count(AgreementFilter(), in: unit) == 0)
            // Another connection writes while the snapshot is open (a write lock would make it
            // wait out the busy timeout and fail).
            let start = Date()
            try other.write { try fixture.store.create(StoreFixture.agreement("W/1"), by: fixture.admin, at: "t", in: $0) }
            #expect(Date().timeIntervalSince(start) < 5)
            // The snapshot does not see it.
            #expect(try fixture.store.count(AgreementFilter(), in: unit) == 0)
        }
        #expect(try numbers(fixture) == ["W/1"])
    }

    @Test func aUnitUsedAfterItEndedIsRefused() throws {
        let fixture = try StoreFixture()
        var escaped: StoreUnit?
        try fixture.database.read { escaped = $0 }
        let unit = try #require(escaped)
        #expect(throws: StoreError.misuse("a unit of work was used after it ended")) {
            try fixture.store.count(AgreementFilter(), in: unit)
        }
    }

    @Test func anEngineErrorIsAStoreErrorThatNamesNoBoundValue() throws {
        let fixture = try StoreFixture()
        do {
            try fixture.tamper("INSERT INTO agreement (number, title, kind, lead_agency, status, stage, created_at, updated_at) "
                               + "VALUES (?, NULL, 'ksdpk', 'x', 'draft', 'persiapan', '', '')", arguments: ["secret-number"])
            Issue.record("no error")
        } catch let StoreError.database(message) {
            #expect(message == "NOT NULL constraint failed: agreement.title")
        }
    }
}
