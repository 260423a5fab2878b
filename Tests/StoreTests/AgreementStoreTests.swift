import Agreements
import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct AgreementStoreTests {
    @Test func agreementsRoundTripThroughSQLite() throws {
        let fixture = try StoreFixture()
        var agreement = StoreFixture.agreement("A/1")
        agreement.pksClauses = [.sanksi, .objek]
        agreement.parties.append(Party(name: "PT Contoh", kind: .badan_usaha, form: .bumd))
        agreement.membebaniMasyarakat = true
        let stored = try fixture.create(agreement)
        let loaded = try fixture.database.read { try fixture.store.agreement(id: try #require(stored.id), in: $0) }
        var expected = agreement
        expected.id = stored.id
        #expect(loaded == expected)
        let byNumber = try fixture.database.read { try fixture.store.agreement(idOrNumber: "a/1", in: $0) }
        #expect(byNumber?.id == stored.id)
    }

    /// A number with NUL names no agreement (SQLite's text binding would end it there and find
    /// the one before it).
    @Test func aNumberWithNULFindsNothing() throws {
        let fixture = try StoreFixture()
        try fixture.create(StoreFixture.agreement("A/1"))
        for text in ["A/1\u{0}x", "A/1\u{0}", "1\u{0}"] {
            #expect(try fixture.database.read { try fixture.store.agreement(idOrNumber: text, in: $0) } == nil)
        }
        #expect(try fixture.database.read { try fixture.store.agreement(idOrNumber: "A/1", in: $0) } != nil)
    }

    @Test(arguments: ["stage", "party", "lead_agency"])
    func aFilterTextWithNULIsRefused(name: String) throws {
        #expect(throws: DomainError.validation("find: \(name) holds a NUL character, which no stored text holds")) {
            try AgreementFilter(values: [name: .text("pelaksanaan\u{0}x")])
        }
        #expect(try AgreementFilter(values: [name: .text("pelaksanaan")]) != AgreementFilter())
    }

    @Test func numbersAreUniqueCaseInsensitively() throws {
        let fixture = try StoreFixture()
        try fixture.create(StoreFixture.agreement("A/1"))
        #expect(throws: DomainError.validation("number: a/1 is already the number of agreement 1")) {
            try fixture.create(StoreFixture.agreement("a/1"))
        }
    }

    @Test func invalidAgreementsAndForbiddenActorsWriteNothing() throws {
        let fixture = try StoreFixture()
        var bad = StoreFixture.agreement("A/1")
        bad.endsOn = LocalDate("2025-01-01")
        #expect(throws: DomainError.self) { try fixture.create(bad) }
        let outsider = User(id: "k", name: "K", roles: ["dprd_komisi"])
        #expect(throws: DomainError.self) {
            try fixture.database.write {
                try fixture.store.create(StoreFixture.agreement("A/2"), by: outsider, at: "t", in: $0)
            }
        }
        let counts = try fixture.database.read { unit in
            try unit.reading { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agreement"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log"))
            }
        }
        #expect(counts.0 == 0 && counts.1 == 0)
    }

    @Test func aFailedUnitOfWorkRollsBackEverything() throws {
        let fixture = try StoreFixture()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try fixture.database.write { db in
                try fixture.store.create(StoreFixture.agreement("A/1"), by: fixture.admin, at: "t", in: db)
                throw Boom()
            }
        }
        #expect(try fixture.database.read { try fixture.store.count(AgreementFilter(), in: $0) } == 0)
        #expect(try fixture.database.read { try AuditLog.verify(in: $0) } == .intact(rows: 0))
    }

    @Test func updatesAreValidatedAndAuditedWithBeforeAndAfter() throws {
        let fixture = try StoreFixture()
        var agreement = try fixture.create(StoreFixture.agreement("A/1"))
        agreement.title = "Judul baru"
        agreement.parties = [Party(name: "Universitas Lain", kind: .perguruan_tinggi)]
        try fixture.database.write { try fixture.store.update(agreement, by: fixture.admin, at: "t2", in: $0) }
        let entries = try fixture.database.read { try AuditLog.entries(in: $0) }
        #expect(entries.map(\.action) == ["update", "create"])
        #expect(entries[0].before?.contains("\"title\":\"Kerja sama A/1\"") == true)
        #expect(entries[0].after?.contains("\"title\":\"Judul baru\"") == true)
        #expect(entries[0].after?.contains("Universitas Lain") == true)
        var kindChange = agreement
        kindChange.kind = .sinergi
        #expect(throws: DomainError.self) {
            try fixture.database.write { try fixture.store.update(kindChange, by: fixture.admin, at: "t3", in: $0) }
        }
    }

    @Test func filtersUseTheirColumnsAndPagesFollowIds() throws {
        let fixture = try StoreFixture()
        for index in 1...30 {
            try fixture.create(StoreFixture.agreement("N/\(index)", kind: index % 3 == 0 ? .ksdd : .ksdpk,
                                                      agency: index % 2 == 0 ? "Dinas A" : "Dinas B",
                                                      ends: "2027-01-\(String(format: "%02d", index))",
                                                      party: index == 7 ? "Universitas Tujuh" : "Universitas Contoh"))
        }
        try fixture.database.read { unit in
            #expect(try fixture.store.count(AgreementFilter(kind: .ksdd), in: unit) == 10)
            #expect(try fixture.store.count(AgreementFilter(leadAgency: "dinas a"), in: unit) == 15)
            #expect(try fixture.store.count(AgreementFilter(expiresBefore: LocalDate("2027-01-11")), in: unit) == 10)
            #expect(try fixture.store.count(AgreementFilter(party: "universitas tujuh"), in: unit) == 1)
            #expect(try fixture.store.count(AgreementFilter(party: "Universitas%"), in: unit) == 30)
            let first = try fixture.store.page(AgreementFilter(kind: .ksdpk), afterId: 0, limit: 8, in: unit)
            let second = try fixture.store.page(AgreementFilter(kind: .ksdpk), afterId: first.last?.id ?? 0, limit: 100, in: unit)
            #expect(first.count == 8 && second.count == 12)
            #expect(Set(first.map(\.number)).isDisjoint(with: second.map(\.number)))
            // The combined lead-agency + expiry filter is answered from its composite index.
            let (condition, arguments) = AgreementFilter(leadAgency: "Dinas A", expiresBefore: LocalDate("2027-01-11")).sql()
            let plan = try unit.reading {
                try Row.fetchAll($0, sql: "EXPLAIN QUERY PLAN SELECT id FROM agreement WHERE \(condition) AND id > 0 ORDER BY id LIMIT 10",
                                 arguments: arguments)
            }.map { $0["detail"] as String? ?? "" }
            #expect(plan.contains { $0.contains("agreement_by_lead_agency_ends_on") }, "\(plan)")
        }
    }

    @Test func documentsAreRecordedWithTheirHashAndAudited() throws {
        let fixture = try StoreFixture()
        let stored = try fixture.create(StoreFixture.agreement("A/1"))
        let document = Document(kind: .pks, number: "PKS/1", date: LocalDate("2026-02-01"), signatories: ["Wali Kota"],
                                file: "pks.pdf", sha256: String(repeating: "a", count: 64))
        try fixture.database.write { try fixture.store.attach(document, to: try #require(stored.id), by: fixture.admin, at: "t", in: $0) }
        let loaded = try fixture.database.read { try fixture.store.agreement(id: try #require(stored.id), in: $0) }
        #expect(loaded?.documents.first?.number == "PKS/1")
        #expect(loaded?.documents.first?.signatories == ["Wali Kota"])
        #expect(try fixture.database.read { try AuditLog.entries(limit: 1, in: $0) }.first?.action == "attach")
    }

    @Test func aStoredDateThatIsNotADateIsReportedNotReadAsNil() throws {
        let fixture = try StoreFixture()
        let stored = try fixture.create(StoreFixture.agreement("A/1"))
        let id = try #require(stored.id)
        try fixture.tamper("UPDATE agreement SET ends_on = '30227-05-11' WHERE id = ?", arguments: [id])
        #expect(throws: StoreError.corrupt("ends_on of agreement \(id) holds '30227-05-11', which is not a date (YYYY-MM-DD)")) {
            try fixture.database.read { try fixture.store.agreement(id: id, in: $0) }
        }
        #expect(throws: StoreError.self) {
            try fixture.database.read { try fixture.store.page(AgreementFilter(), afterId: 0, limit: 10, in: $0) }
        }
    }

    @Test func aDocumentDateOutsideTheRangeIsRefused() throws {
        let fixture = try StoreFixture()
        let id = try #require(try fixture.create(StoreFixture.agreement("A/1")).id)
        let document = Document(kind: .pks, date: LocalDate("3000-01-01"))
        #expect(throws: DomainError.validation("date: 3000-01-01 is outside the dates Sinergi accepts (1900-01-01 to 2999-12-31)")) {
            try fixture.database.write { try fixture.store.attach(document, to: id, by: fixture.admin, at: "t", in: $0) }
        }
    }
}
