import Agreements
import Foundation
import GRDB

extension AuditLog {
    /// Checks the documents and voids of every agreement against the audit trail: the document
    /// rows of an agreement, in id order, are its `attach` entries, in order and field by field
    /// (a hand edit of a document's `sha256` or `file` swaps the evidence); the voided
    /// agreements are those with a `void` entry, and each agreement has as many voided documents
    /// as document `void` entries (a hand-deleted `voided` row would quietly restore a record).
    static func verifyEvidence(numbers: [Int64: String], in unit: StoreUnit) throws -> Verdict? {
        try unit.reading { db in
            var attached: [Int64: [(row: Int64, after: String)]] = [:]
            var voidedAgreements: Set<Int64> = []
            var voidedDocuments: [Int64: Int] = [:]
            let entries = try Row.fetchCursor(db, sql: """
                SELECT id, entity_id, action, after FROM audit_log
                WHERE entity = 'agreement' AND action IN ('attach', 'void') AND entity_id IS NOT NULL ORDER BY id
                """)
            while let entry = try entries.next() {
                let id: Int64 = entry[1], after = entry[3] as String? ?? ""
                if entry[2] as String == "attach" {
                    attached[id, default: []].append((entry[0], after))
                } else if SnapshotValues(after).values["document"] != nil {
                    voidedDocuments[id, default: 0] += 1
                } else {
                    voidedAgreements.insert(id)
                }
            }
            func record(_ id: Int64) -> String { numbers[id].map { "agreement \($0) (id \(id))" } ?? "agreement id \(id)" }

            var documents: [Int64: [Document]] = [:]
            try StatementRows.each(db.makeStatement(sql: """
                SELECT kind, number, date, signatories, file, sha256, recorded_at, agreement_id FROM document ORDER BY id
                """)) { row in
                let id = row.integer(7)
                documents[id, default: []].append(try AgreementStore.document(from: row, of: id))
            }
            for id in Set(documents.keys).union(attached.keys).sorted() {
                let kept = documents[id] ?? [], audited = attached[id] ?? []
                guard kept.count == audited.count else {
                    return .recordDiffers(record: record(id), reason: "it has \(kept.count) documents but the audit trail records "
                                          + "\(audited.count) attached: a document was added or deleted outside Sinergi")
                }
                for (document, entry) in zip(kept, audited) {
                    if let field = differingField(audited: entry.after, current: try AgreementStore.auditJSON(document), everyField: true) {
                        let name = [document.kind.rawValue, document.number].compactMap { $0 }.joined(separator: " ")
                        return .recordDiffers(record: record(id), reason: "document \(name): \(field.name) is \(field.current) but "
                                              + "audit_log row \(entry.row) says \(field.audited): the document was changed outside Sinergi")
                    }
                }
            }

            let voided = try Row.fetchAll(db, sql: "SELECT entity, entity_id FROM voided")
            let agreementsVoided = Set(voided.filter { $0[0] as String == "agreement" }.map { $0[1] as Int64 })
            if let id = agreementsVoided.symmetricDifference(voidedAgreements).min() {
                let state = agreementsVoided.contains(id) ? "is void without" : "is not void despite"
                return .recordDiffers(record: record(id), reason: "it \(state) an audited void: its void was changed outside Sinergi")
            }
            var documentsVoided: [Int64: Int] = [:]
            for id in try Int64.fetchAll(db, sql: """
                SELECT document.agreement_id FROM voided JOIN document ON document.id = voided.entity_id WHERE voided.entity = 'document'
                """) { documentsVoided[id, default: 0] += 1 }
            for id in Set(documentsVoided.keys).union(voidedDocuments.keys).sorted() where documentsVoided[id] != voidedDocuments[id] {
                return .recordDiffers(record: record(id), reason: "it has \(documentsVoided[id] ?? 0) voided documents but the audit "
                                      + "trail records \(voidedDocuments[id] ?? 0): a void was changed outside Sinergi")
            }
            return nil
        }
    }
}
