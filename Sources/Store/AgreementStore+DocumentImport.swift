import Agreements
import Foundation
import GRDB

extension AgreementStore {
    /// Records documents read from an export (`agreement import` of JSON) as they were: their
    /// file's hash and the time they were first recorded are kept, so an export reads back
    /// unchanged. Each is validated as `attach` does and audited as an `import-document`.
    public func importDocuments(_ documents: [Document], to id: Int64, by actor: User, at timestamp: String, in unit: StoreUnit) throws {
        guard !documents.isEmpty else { return }
        guard let agreement = try agreement(id: id, in: unit) else { throw DomainError.notFound("no agreement with id \(id)") }
        try AgreementPolicy.requireEdit(actor, leadAgency: agreement.leadAgency)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for document in documents {
            try rules.validate(document)
            var recorded = document
            recorded.recordedAt = document.recordedAt ?? timestamp
            let signatories = String(decoding: try JSONEncoder().encode(document.signatories), as: UTF8.self)
            let after = String(decoding: try encoder.encode(recorded), as: UTF8.self)
            try unit.writing { db in
                try db.execute(sql: """
                    INSERT INTO document (agreement_id, kind, number, date, signatories, file, sha256, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, document.kind.rawValue, document.number, document.date?.description, signatories,
                                     document.file, document.sha256, recorded.recordedAt])
                try AuditLog.append(unit, db, at: timestamp, actor: actor.id, action: "import-document", entity: "agreement", entityId: id,
                                    before: nil, after: after)
            }
        }
    }
}
