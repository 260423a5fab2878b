import Foundation
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
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) } == .intact(rows: 5))
    }

    @Test func anEditedRowIsNamed() throws {
        let fixture = try fixtureWithRows(5)
        try fixture.tamper("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) }
                == .broken(rowId: 3, reason: "its contents do not match its hash (the row was edited)"))
    }

    @Test func aRecomputedHashStillBreaksTheNextLink() throws {
        let fixture = try fixtureWithRows(5)
        try fixture.tamper("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
        let entry = try #require(try fixture.database.read { try AuditLog.entries(in: $0) }.first { $0.id == 3 })
        try fixture.tamper("UPDATE audit_log SET hash = ? WHERE id = 3", arguments: [AuditLog.hash(of: entry)])
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) }
                == .broken(rowId: 4, reason: "its prev_hash does not match row 3's hash"))
    }

    @Test func aDeletedRowIsNoticed() throws {
        let fixture = try fixtureWithRows(5)
        try fixture.tamper("DELETE FROM audit_log WHERE id = 2")
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) }
                == .broken(rowId: 3, reason: "row 2 is missing (rows were deleted)"))
    }

    @Test func theSchemaEnforcesWhatItCan() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError.self) {
            try fixture.tamper("""
                INSERT INTO agreement (number, title, kind, lead_agency, status, stage, created_at, updated_at)
                VALUES ('x', 'x', 'nonsense', 'x', 'draft', 'persiapan', '', '')
                """)
        }
        let synchronous = try fixture.database.read { unit in try unit.reading { try Int.fetchOne($0, sql: "PRAGMA synchronous") } }
        #expect(synchronous == 2)  // FULL
        let journal = try fixture.database.read { unit in try unit.reading { try String.fetchOne($0, sql: "PRAGMA journal_mode") } }
        #expect(journal == "wal")
    }
}
