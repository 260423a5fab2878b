import Agreements
import Crypto
import Foundation
import Testing
@testable import Store

@Suite struct AuditLogTests {
    func fixtureWithRows(_ count: Int) throws -> StoreFixture {
        let fixture = try StoreFixture()
        for index in 1...count { try fixture.create(StoreFixture.agreement("A/\(index)")) }
        return fixture
    }

    /// The hex every stored hash is written in: FIPS 180-2's test vectors, and the two ends of a byte.
    @Test func digestsAreLowerCaseHex() {
        #expect(AuditLog.hex(SHA256.hash(data: Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(AuditLog.hex(SHA256.hash(data: [UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(AuditLog.hex([0x00, 0x0f, 0xa0, 0xff] as [UInt8]) == "000fa0ff")
    }

    /// Every stored chain was hashed over `LENGTH:TEXT|` per field (`-|` for none), the numbers as
    /// `String(_:)` writes them: the hash, written byte by byte now, must stay that exactly.
    @Test(arguments: [Int64.min, -1, 0, 7, 10, 99, 100, 1_234_567, Int64.max])
    func theHashCoversEachFieldAsItAlwaysDid(_ number: Int64) {
        func reference(_ entry: AuditEntry) -> String {
            let fields: [String?] = [String(entry.id), entry.at, entry.actor, entry.action, entry.entity,
                                     entry.entityId.map(String.init), entry.before, entry.after, entry.prevHash]
            let text = fields.map { $0.map { "\($0.utf8.count):\($0)|" } ?? "-|" }.joined()
            return AuditLog.hex(SHA256.hash(data: Array(text.utf8)))
        }
        let entries = [
            AuditEntry(id: number, at: "2027-01-01T07:00:00+07:00", actor: "sari", action: "update", entity: "agreement",
                       entityId: number, before: #"{"stage":"persiapan"}"#, after: #"{"stage":"pelaksanaan"}"#,
                       prevHash: AuditLog.genesis, hash: ""),
            AuditEntry(id: number, at: "", actor: "Dewi Ayu Ningsih ꦲꦪꦸ", action: "workflow.start", entity: "workflow",
                       entityId: nil, before: nil, after: String(repeating: "é|-:", count: 700), prevHash: "", hash: ""),
        ]
        for entry in entries { #expect(AuditLog.hash(of: entry) == reference(entry)) }
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

    @Test func aHandEditedRecordIsNamedWithItsField() throws {
        let fixture = try fixtureWithRows(3)
        try fixture.tamper("UPDATE party SET name = 'Universitas Lain' WHERE agreement_id = 2")
        let verdict = try fixture.database.read { try AuditLog.verify(in: $0) }
        guard case let .recordDiffers(record, reason) = verdict else { Issue.record("\(verdict)"); return }
        #expect(record == "agreement A/2 (id 2)")
        #expect(reason.hasPrefix(#"parties is [{"kind":"perguruan_tinggi","name":"Universitas Lain"}] but its latest audited state (audit_log row 2)"#))
    }

    @Test func aVoidIsAuditedAndKeepsTheRecordsVerified() throws {
        let fixture = try fixtureWithRows(2)
        let clerk = User(id: "budi", name: "Budi", roles: ["pd"])
        #expect(throws: DomainError.permission("budi may not void agreements (needs role admin or sekretariat)")) {
            try fixture.database.write { try fixture.store.void(agreementId: 1, reason: "ganda", by: clerk, at: "t", in: $0) }
        }
        try fixture.database.write { try fixture.store.void(agreementId: 1, reason: " ganda ", by: fixture.admin, at: "t", in: $0) }
        try fixture.database.read { (unit: StoreUnit) throws in
            #expect(try fixture.store.count(AgreementFilter(), in: unit) == 1)
            #expect(try fixture.store.count(AgreementFilter(includeVoided: true), in: unit) == 2)
            #expect(try fixture.store.voiding(ofAgreement: 1, in: unit) == Voiding(at: "t", actor: "admin", reason: "ganda"))
            #expect(try AuditLog.entries(limit: 1, in: unit).first?.after == #"{"reason":"ganda"}"#)
            #expect(try AuditLog.verify(in: unit) == .intact(rows: 3))
        }
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
        // Statement journals in memory: a transition's savepoints made ≈170 writes to /var/tmp files.
        let temporary = try fixture.database.read { unit in try unit.reading { try Int.fetchOne($0, sql: "PRAGMA temp_store") } }
        #expect(temporary == 2)  // MEMORY
    }
}
