import Agreements
import Foundation
import GRDB

/// Agreement records: create, read, query, update, attach documents — each change validated by the
/// domain rules, allowed by the policy, and written with its audit row in the caller's unit.
///
/// Every method takes the `StoreUnit` of a unit of work the caller opened from
/// `SinergiDatabase`, so that one script run or one CLI command is one unit of work (DESIGN.md
/// conventions).
public struct AgreementStore: Sendable {
    public var rules: AgreementRules
    /// The workspace's Perangkat Daerah: a short name given as a lead agency is stored, searched
    /// and matched against `pd:NAME` roles as its full name (`AgencyDirectory`).
    public var agencies: AgencyDirectory

    static let insertSQL: String = {
        let columns = AgreementRow.writableColumns + ["created_at", "updated_at"]
        return "INSERT INTO agreement (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }()

    static let updateSQL: String = {
        let assignments = AgreementRow.writableColumns.map { "\($0) = ?" }.joined(separator: ", ")
        return "UPDATE agreement SET \(assignments), updated_at = ? WHERE id = ?"
    }()

    public init(rules: AgreementRules = AgreementRules(), agencies: AgencyDirectory = AgencyDirectory()) {
        self.rules = rules
        self.agencies = agencies
    }

    /// `filter` with a short lead-agency name read as the full one.
    func resolved(_ filter: AgreementFilter) -> AgreementFilter {
        var filter = filter
        filter.leadAgency = filter.leadAgency.map(agencies.resolve)
        return filter
    }

    // MARK: - Reading

    /// The agreement with this id, with its parties and documents — its documents left empty
    /// without `withDocuments` (a workflow transition that requires none does not read them).
    public func agreement(id: Int64, withDocuments: Bool = true, in unit: StoreUnit) throws -> Agreement? {
        try unit.reading { db in
            let statement = try unit.statement(AgreementRow.selectionById, db)
            guard var agreement = try StatementRows.first(statement, binding: id, make: { try AgreementRow.decode($0.statement) }) else {
                return nil
            }
            agreement.parties = try parties(of: id, unit, db)
            if withDocuments { agreement.documents = try documents(of: id, unit, db) }
            return agreement
        }
    }

    /// The agreement with this register number (case-insensitive), or with this id when the text is one.
    public func agreement(idOrNumber text: String, in unit: StoreUnit) throws -> Agreement? {
        // No stored number holds NUL, and SQLite's text binding would end this one there (so
        // "A/1\0x" would find A/1).
        guard !text.utf8.contains(0) else { return nil }
        let found = try unit.reading { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM agreement WHERE number = ?"), arguments: [text])
        }
        if let id = found ?? Int64(text) { return try agreement(id: id, in: unit) }
        return nil
    }

    /// Up to `limit` agreements matching `filter` with ids above `afterId`, in id order, without
    /// parties or documents (keyset paging: each page is one indexed query).
    public func page(_ filter: AgreementFilter, afterId: Int64, limit: Int, in unit: StoreUnit) throws -> [Agreement] {
        try unit.reading { db in
            let (statement, arguments) = try pageStatement(filter, selection: AgreementRow.selection, afterId: afterId,
                                                           limit: limit, in: db)
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            var result: [Agreement] = []
            result.reserveCapacity(limit)
            // The cursor steps the statement; each row is read from it directly.
            while try rows.next() != nil { result.append(try AgreementRow.decode(statement.sqliteStatement)) }
            return result
        }
    }

    /// The cached statement of one page and its arguments: `selection` of the agreements matching
    /// `filter` with ids above `afterId`, in id order, at most `limit`.
    func pageStatement(_ filter: AgreementFilter, selection: String, afterId: Int64, limit: Int,
                       in db: Database) throws -> (Statement, StatementArguments) {
        let (condition, arguments) = resolved(filter).sql()
        var all = arguments
        _ = all.append(contentsOf: [afterId, limit])
        let statement = try db.cachedStatement(sql: """
            SELECT \(selection) FROM agreement WHERE \(condition) AND id > ? ORDER BY id LIMIT ?
            """)
        return (statement, all)
    }

    /// Every agreement matching `filter`, in id order, read page by page; with their parties when
    /// asked (exports need them; a listing does not).
    public func all(_ filter: AgreementFilter, withParties: Bool, in unit: StoreUnit) throws -> [Agreement] {
        var result: [Agreement] = []
        while true {
            var page = try self.page(filter, afterId: result.last?.id ?? 0, limit: 1000, in: unit)
            if withParties {
                for index in page.indices { page[index].parties = try parties(of: page[index].id ?? 0, in: unit) }
            }
            result += page
            if page.count < 1000 { return result }
        }
    }

    /// How many agreements match `filter`.
    public func count(_ filter: AgreementFilter, in unit: StoreUnit) throws -> Int {
        try unit.reading { db in
            let (condition, arguments) = resolved(filter).sql()
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agreement WHERE \(condition)", arguments: arguments) ?? 0
        }
    }

    /// The parties of agreement `id`, in order.
    public func parties(of id: Int64, in unit: StoreUnit) throws -> [Party] {
        try unit.reading { try parties(of: id, unit, $0) }
    }

    /// The documents recorded against agreement `id`, oldest first; voided ones left out.
    public func documents(of id: Int64, in unit: StoreUnit) throws -> [Document] {
        try unit.reading { try documents(of: id, unit, $0) }
    }

    private static let partiesById = StoreSQL("SELECT name, kind, form FROM party WHERE agreement_id = ? ORDER BY position")
    private static let documentsById = StoreSQL("""
        SELECT kind, number, date, signatories, file, sha256, recorded_at FROM document
        WHERE agreement_id = ? AND id NOT IN (SELECT entity_id FROM voided WHERE entity = 'document') ORDER BY id
        """)

    private func parties(of id: Int64, _ unit: StoreUnit, _ db: Database) throws -> [Party] {
        var parties: [Party] = []
        try StatementRows.each(unit.statement(Self.partiesById, db), binding: id) { row in
            guard let kind = PartyKind(rawValue: row.text(1)) else { throw StoreError.corrupt("party of agreement \(id) has kind \(row.text(1))") }
            parties.append(Party(name: row.text(0), kind: kind, form: row.optionalText(2).flatMap(BusinessForm.init(rawValue:))))
        }
        return parties
    }

    private func documents(of id: Int64, _ unit: StoreUnit, _ db: Database) throws -> [Document] {
        var documents: [Document] = []
        try StatementRows.each(unit.statement(Self.documentsById, db), binding: id) { documents.append(try Self.document(from: $0, of: id)) }
        return documents
    }

    /// The document in `row`, whose first columns are kind, number, date, signatories, file,
    /// sha256 and recorded_at.
    static func document(from row: SQLiteRow, of id: Int64) throws -> Document {
        guard let kind = DocumentKind(rawValue: row.text(0)) else { throw StoreError.corrupt("document of agreement \(id) has kind \(row.text(0))") }
        let signatories = (try? JSONDecoder().decode([String].self, from: Data((row.optionalText(3) ?? "[]").utf8))) ?? []
        var date: LocalDate?
        if let text = row.optionalText(2) {
            guard let parsed = LocalDate(text) else {
                throw StoreError.corrupt("a document's date of agreement \(id) holds '\(text)', which is not a date (YYYY-MM-DD)")
            }
            date = parsed
        }
        return Document(kind: kind, number: row.optionalText(1), date: date, signatories: signatories, file: row.optionalText(4),
                        sha256: row.optionalText(5), recordedAt: row.optionalText(6))
    }

    /// A recorded document as its `attach` audit row keeps it (`after`): JSON, keys sorted.
    static func auditJSON(_ document: Document) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    // MARK: - Writing

    /// Validates and stores a new agreement; returns it with its id.
    @discardableResult
    public func create(_ agreement: Agreement, by actor: User, at timestamp: String, in unit: StoreUnit) throws -> Agreement {
        var agreement = agreement
        agreement.leadAgency = agencies.resolve(agreement.leadAgency)
        try AgreementPolicy.requireEdit(actor, leadAgency: agreement.leadAgency, directory: agencies)
        try AgreementField.validate(agreement, rules: rules)
        return try unit.writing { db in
            try requireUniqueNumber(agreement.number, except: nil, in: db)
            try db.cachedStatement(sql: AgreementStore.insertSQL)
                .execute(arguments: StatementArguments(AgreementRow.arguments(agreement) + [timestamp, timestamp]))
            var stored = agreement
            stored.id = db.lastInsertedRowID
            stored.documents = []
            try writeParties(stored.parties, of: db.lastInsertedRowID, in: db)
            try AuditLog.append(unit, db, at: timestamp, actor: actor.id, action: "create", entity: "agreement",
                                entityId: stored.id, before: nil, after: Snapshot.json(stored))
            return stored
        }
    }

    /// Validates and stores changes to an existing agreement (matched by `id`).
    @discardableResult
    public func update(_ agreement: Agreement, by actor: User, at timestamp: String, in unit: StoreUnit) throws -> Agreement {
        guard let id = agreement.id, let before = try self.agreement(id: id, in: unit) else {
            throw DomainError.notFound("no agreement with id \(agreement.id.map(String.init) ?? "nil")")
        }
        try requireNotVoid(before, in: unit)
        var agreement = agreement
        agreement.leadAgency = agencies.resolve(agreement.leadAgency)
        try AgreementPolicy.requireEdit(actor, leadAgency: before.leadAgency, directory: agencies)
        if agreement.leadAgency != before.leadAgency {
            try AgreementPolicy.requireEdit(actor, leadAgency: agreement.leadAgency, directory: agencies)
        }
        if agreement.kind != before.kind {
            throw DomainError.validation("kind: an agreement's kind cannot change (\(before.kind.rawValue)); create a new agreement")
        }
        try AgreementField.validate(agreement, rules: rules)
        var after = agreement
        after.documents = before.documents
        if after == before { return before }
        try requireNoWorkflowProgress(before, after, in: unit)
        return try unit.writing { db in
            try requireUniqueNumber(agreement.number, except: id, in: db)
            try db.cachedStatement(sql: AgreementStore.updateSQL)
                .execute(arguments: StatementArguments(AgreementRow.arguments(agreement) + [timestamp, id]))
            if agreement.parties != before.parties {
                try db.execute(sql: "DELETE FROM party WHERE agreement_id = ?", arguments: [id])
                try writeParties(agreement.parties, of: id, in: db)
            }
            try AuditLog.append(unit, db, at: timestamp, actor: actor.id, action: "update", entity: "agreement", entityId: id,
                                before: Snapshot.json(before), after: Snapshot.json(after))
            return after
        }
    }

    /// Records a document against an agreement.
    public func attach(_ document: Document, to id: Int64, by actor: User, at timestamp: String, in unit: StoreUnit) throws {
        guard let agreement = try agreement(id: id, in: unit) else { throw DomainError.notFound("no agreement with id \(id)") }
        try requireNotVoid(agreement, in: unit)
        try AgreementPolicy.requireEdit(actor, leadAgency: agreement.leadAgency, directory: agencies)
        try rules.validate(document)
        let signatories = String(decoding: try JSONEncoder().encode(document.signatories), as: UTF8.self)
        var recorded = document
        recorded.recordedAt = timestamp
        let after = try Self.auditJSON(recorded)
        try unit.writing { db in
            try db.execute(sql: """
                INSERT INTO document (agreement_id, kind, number, date, signatories, file, sha256, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, document.kind.rawValue, document.number, document.date?.description, signatories,
                                 document.file, document.sha256, timestamp])
            try AuditLog.append(unit, db, at: timestamp, actor: actor.id, action: "attach", entity: "agreement", entityId: id,
                                before: nil, after: after)
        }
    }

    private func writeParties(_ parties: [Party], of id: Int64, in db: Database) throws {
        for (position, party) in parties.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO party (agreement_id, position, name, kind, form) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [id, position, party.name, party.kind.rawValue, party.form?.rawValue])
        }
    }

    private func requireUniqueNumber(_ number: String, except id: Int64?, in db: Database) throws {
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM agreement WHERE number = ?"), arguments: [number]),
           existing != id {
            throw DomainError.validation("number: \(number) is already the number of agreement \(existing)")
        }
    }
}
