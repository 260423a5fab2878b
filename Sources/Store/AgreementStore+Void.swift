import Agreements
import Foundation
import GRDB

/// When, by whom and why a record was voided.
public struct Voiding: Equatable, Sendable {
    public var at: String
    public var actor: String
    public var reason: String
}

extension AgreementStore {
    /// Voids an agreement entered by mistake: it keeps its row, documents and history, gets a
    /// `voided` row and an audited `void` event, and is left out of lists and `agreements.find`
    /// from then on (issue #9 §3). Only `admin` and `sekretariat` may (`VoidPolicy`).
    public func void(agreementId id: Int64, reason: String, by actor: User, at timestamp: String, in unit: StoreUnit) throws {
        try VoidPolicy.requireVoid(actor, what: "agreements")
        guard let agreement = try agreement(id: id, in: unit) else { throw DomainError.notFound("no agreement with id \(id)") }
        let reason = try Self.requireReason(reason)
        if try voiding(ofAgreement: id, in: unit) != nil {
            throw DomainError.validation("agreement \(agreement.number) is already void")
        }
        try unit.writing { db in
            try db.execute(sql: "INSERT INTO voided (entity, entity_id, at, actor, reason) VALUES ('agreement', ?, ?, ?, ?)",
                           arguments: [id, timestamp, actor.id, reason])
            try AuditLog.append(unit, db, at: timestamp, actor: actor.id, action: "void", entity: "agreement", entityId: id,
                                before: nil, after: try Self.json(["reason": reason]))
        }
    }

    /// Voids one document of an agreement, found by its number, its kind, or both — whichever
    /// picks exactly one: it stays in the database but no longer counts as recorded
    /// (`a:document(kind)`, `agreement show`). Audited against the agreement.
    public func voidDocument(number: String?, kind: DocumentKind?, of id: Int64, reason: String, by actor: User,
                             at timestamp: String, in unit: StoreUnit) throws {
        try VoidPolicy.requireVoid(actor, what: "documents")
        guard number != nil || kind != nil else { throw DomainError.validation("name the document by its number, its kind, or both") }
        guard let agreement = try agreement(id: id, in: unit) else { throw DomainError.notFound("no agreement with id \(id)") }
        let reason = try Self.requireReason(reason)
        try unit.writing { db in
            var sql = """
                SELECT id, kind, number FROM document WHERE agreement_id = ?
                AND id NOT IN (SELECT entity_id FROM voided WHERE entity = 'document')
                """
            var arguments: [(any DatabaseValueConvertible)?] = [id]
            if let number { sql += " AND number = ?"; arguments.append(number) }
            if let kind { sql += " AND kind = ?"; arguments.append(kind.rawValue) }
            let matches = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            let described = [kind?.rawValue, number.map { "numbered '\($0)'" }].compactMap { $0 }.joined(separator: " ")
            guard let match = matches.first else {
                throw DomainError.notFound("agreement \(agreement.number) has no recorded document \(described)")
            }
            guard matches.count == 1 else {
                throw DomainError.validation("agreement \(agreement.number) has \(matches.count) documents \(described); "
                                             + "name both its number and its kind")
            }
            let documentId: Int64 = match[0]
            try db.execute(sql: "INSERT INTO voided (entity, entity_id, at, actor, reason) VALUES ('document', ?, ?, ?, ?)",
                           arguments: [documentId, timestamp, actor.id, reason])
            let kindName: String = match[1]
            let numberText: String? = match[2]
            let document = [kindName, numberText].compactMap { $0 }.joined(separator: " ")
            try AuditLog.append(unit, db, at: timestamp, actor: actor.id, action: "void", entity: "agreement", entityId: id,
                                before: nil, after: try Self.json(["document": document, "reason": reason]))
        }
    }

    private static let voidingById = StoreSQL("SELECT at, actor, reason FROM voided WHERE entity = 'agreement' AND entity_id = ?")

    /// Whether (and how) agreement `id` was voided.
    public func voiding(ofAgreement id: Int64, in unit: StoreUnit) throws -> Voiding? {
        try unit.reading { db in
            try StatementRows.first(unit.statement(Self.voidingById, db), binding: id) { Voiding(at: $0.text(0), actor: $0.text(1), reason: $0.text(2)) }
        }
    }

    /// The ids of the voided agreements (`agreement list --all` marks them).
    public func voidedIds(in unit: StoreUnit) throws -> Set<Int64> {
        try unit.reading { db in Set(try Int64.fetchAll(db, sql: "SELECT entity_id FROM voided WHERE entity = 'agreement'")) }
    }

    /// Refuses a change to a voided agreement: it stays as it was when voided, the evidence of
    /// the mistake; the correction is a new agreement.
    func requireNotVoid(_ agreement: Agreement, in unit: StoreUnit) throws {
        guard let id = agreement.id, try voiding(ofAgreement: id, in: unit) != nil else { return }
        throw DomainError.validation("agreement \(agreement.number) is void: it is kept as it was; record the correction as a new agreement")
    }

    /// The register number of each agreement, by id (the audit log shows numbers, not ids).
    public func numbers(in unit: StoreUnit) throws -> [Int64: String] {
        try unit.reading { db in
            var numbers: [Int64: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, number FROM agreement")
            while let row = try rows.next() { numbers[row[0]] = row[1] }
            return numbers
        }
    }

    private static func requireReason(_ reason: String) throws -> String {
        let trimmed = reason.trimmingBlanks()
        guard !trimmed.isEmpty else { throw DomainError.validation("reason: say why the record is void (--reason …)") }
        return trimmed
    }

    private static func json(_ object: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }
}
