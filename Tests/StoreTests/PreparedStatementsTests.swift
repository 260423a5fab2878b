import Agreements
import Foundation
import Testing
@testable import Store

/// The hot statements are prepared once per connection (`StoreSQL`, `PreparedStatements`): a
/// statement must never run on another connection than its own, nor outlive its connection.
@Suite struct PreparedStatementsTests {
    /// A history line for a stage move (one that moves no workflow instance: there is none here).
    static func line(_ agreementId: Int64) -> WorkflowHistoryRecord {
        WorkflowHistoryRecord(agreementId: agreementId, at: "t", actor: "admin", kind: .dropped, event: "maju", version: "v")
    }

    /// Interleaved audited writes and stage moves on two databases land each in its own file: a
    /// statement kept across connections would write one database's rows into the other.
    @Test func twoDatabasesOpenAtOnceKeepTheirOwnStatements() throws {
        let first = try StoreFixture(), second = try StoreFixture()
        for index in 1...3 {
            try first.create(StoreFixture.agreement("A/\(index)"))
            if index < 3 { try second.create(StoreFixture.agreement("B/\(index)")) }
            try first.database.write {
                try first.store.setProgress(of: Int64(index), stage: "pelaksanaan", status: nil, recording: Self.line(Int64(index)), in: $0)
            }
        }
        try first.database.read { (unit: StoreUnit) throws in
            #expect(try first.store.all(AgreementFilter(), withParties: false, in: unit).map(\.number) == ["A/1", "A/2", "A/3"])
            #expect(try first.store.agreement(id: 2, in: unit)?.stage == "pelaksanaan")
            #expect(try AuditLog.verify(in: unit) == .intact(rows: 6))
        }
        try second.database.read { (unit: StoreUnit) throws in
            #expect(try second.store.all(AgreementFilter(), withParties: false, in: unit).map(\.number) == ["B/1", "B/2"])
            #expect(try second.store.agreement(id: 2, in: unit)?.stage != "pelaksanaan")
            #expect(try AuditLog.verify(in: unit) == .intact(rows: 2))
        }
    }

    /// A database closed and opened again prepares its statements afresh: the old connection's
    /// are finalized with it, never reused.
    @Test func aDatabaseOpenedAgainPreparesItsStatementsAfresh() throws {
        let fixture = try StoreFixture()
        let path = fixture.database.path
        for round in 1...3 {
            let database = try SinergiDatabase(path: path)
            try database.write {
                let stored = try fixture.store.create(StoreFixture.agreement("R/\(round)"), by: fixture.admin, at: "t", in: $0)
                try fixture.store.setProgress(of: stored.id ?? 0, stage: "pelaksanaan", status: nil, recording: Self.line(stored.id ?? 0), in: $0)
            }
        }
        try fixture.database.read { (unit: StoreUnit) throws in
            #expect(try fixture.store.count(AgreementFilter(), in: unit) == 3)
            #expect(try AuditLog.verify(in: unit) == .intact(rows: 6))
        }
    }

    @Test func eachTextHasItsOwnSlot() {
        let texts = [StoreSQL("SELECT 1"), StoreSQL("SELECT 1"), StoreSQL("SELECT 2")]
        #expect(Set(texts.map(\.index)).count == 3)
    }
}
