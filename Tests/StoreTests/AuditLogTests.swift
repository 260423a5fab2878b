import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct AuditLogTests {
    func fixtureWithRows(_ count: Int) throws -> StoreFixture {
        let fixture = try StoreFixture()
        for index in 1...count { try fixture.create(StoreFixture.agreement("A/\(index)")) }
        return fixture
    }

    @Test func anIntactChainVerifies() throws {
        let fixture = try fixtureWithRows(5)
        #expect(try fixture.database.queue.read { try AuditLog.verify($0) } == .intact(rows: 5))
    }

    @Test func anEditedRowIsNamed() throws {
        let fixture = try fixtureWithRows(5)
        try fixture.database.queue.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE id = 3") }
        #expect(try fixture.database.queue.read { try AuditLog.verify($0) }
                == .broken(rowId: 3, reason: "its contents do not match its hash (the row was edited)"))
    }

    @Test func aRecomputedHashStillBreaksTheNextLink() throws {
        let fixture = try fixtureWithRows(5)
        try fixture.database.queue.write { db in
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
            let entry = try #require(try AuditLog.entries(db).first { $0.id == 3 })
            try db.execute(sql: "UPDATE audit_log SET hash = ? WHERE id = 3", arguments: [AuditLog.hash(of: entry)])
        }
        #expect(try fixture.database.queue.read { try AuditLog.verify($0) }
                == .broken(rowId: 4, reason: "its prev_hash does not match row 3's hash"))
    }

    @Test func aDeletedRowIsNoticed() throws {
        let fixture = try fixtureWithRows(5)
        try fixture.database.queue.write { try $0.execute(sql: "DELETE FROM audit_log WHERE id = 2") }
        #expect(try fixture.database.queue.read { try AuditLog.verify($0) }
                == .broken(rowId: 3, reason: "row 2 is missing (rows were deleted)"))
    }

    @Test func theSchemaEnforcesWhatItCan() throws {
        let fixture = try StoreFixture()
        #expect(throws: DatabaseError.self) {
            try fixture.database.queue.write {
                try $0.execute(sql: """
                    INSERT INTO agreement (number, title, kind, lead_agency, status, stage, created_at, updated_at)
                    VALUES ('x', 'x', 'nonsense', 'x', 'draft', 'persiapan', '', '')
                    """)
            }
        }
        let synchronous = try fixture.database.queue.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)  // FULL
        let journal = try fixture.database.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }
}
