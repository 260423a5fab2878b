import Crypto
import Foundation
import GRDB

/// One row of the audit trail: who did what, when, to which record, with the record before and after.
public struct AuditEntry: Equatable, Sendable, Codable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var entity: String
    public var entityId: Int64?
    public var before: String?
    public var after: String?
    public var prevHash: String
    public var hash: String
}

/// The tamper-evident audit trail: every change appends a row whose SHA-256 covers the row and
/// the previous row's hash, so editing, deleting or reordering rows breaks the chain at that row.
public enum AuditLog {
    /// The `prev_hash` of the first row.
    public static let genesis = String(repeating: "0", count: 64)

    /// The member of a `workflow.*` row's `after` that holds the agreement's fields its move
    /// changed (stage, status), whose values before the move are the row's `before`. A move was
    /// two rows, the second with two whole snapshots of the agreement (≈ 2.5 KB) for one changed
    /// word: a transition's costliest write. `verify` lays these fields over the agreement's
    /// newest whole snapshot (`create`, `update`).
    public static let movedAgreement = "agreement"

    private static let head = StoreSQL("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    private static let insert = StoreSQL("""
        INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)

    /// Appends a row in the caller's transaction; only the store's own writes do (an audit row
    /// is part of the change it records).
    @discardableResult
    static func append(_ unit: StoreUnit, _ db: Database, at: String, actor: String, action: String, entity: String,
                       entityId: Int64?, before: String?, after: String?) throws -> AuditEntry {
        let last = try StatementRows.first(unit.statement(head, db)) {
            (id: $0.integer(0), hash: $0.text(1))
        }
        let id = (last?.id ?? 0) + 1
        let prevHash = last?.hash ?? genesis
        var entry = AuditEntry(id: id, at: at, actor: actor, action: action, entity: entity, entityId: entityId,
                               before: before, after: after, prevHash: prevHash, hash: "")
        entry.hash = hash(of: entry)
        try StatementWrite.run(unit.statement(insert, db), entry.id, entry.at, entry.actor, entry.action, entry.entity, entry.entityId,
                               entry.before, entry.after, entry.prevHash, entry.hash)
        return entry
    }

    /// SHA-256 over every field but `hash`, each length-prefixed so no two rows serialise alike:
    /// `LENGTH:TEXT|` for a field, `-|` for none, the numbers in decimal.
    static func hash(of entry: AuditEntry) -> String {
        // Written straight into one buffer of the exact size: every audit row (two a
        // transition) built an array of nine strings, and nine more for their lengths.
        let texts = [entry.at, entry.actor, entry.action, entry.entity, entry.before, entry.after, entry.prevHash]
        let capacity = texts.reduce(2 * 44 + 7 * 22) { $0 + ($1?.utf8.count ?? 0) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var input = DigestInput(buffer.baseAddress!)
            input.field(entry.id)
            for text in texts[0..<4] { input.field(text) }
            input.field(entry.entityId)
            for text in texts[4...] { input.field(text) }
            return hex(SHA256.hash(data: UnsafeRawBufferPointer(start: buffer.baseAddress, count: input.count)))
        }
    }

    /// The bytes a row's hash covers, written in place (`hash(of:)` sizes the buffer).
    private struct DigestInput {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0

        init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

        mutating func byte(_ value: UInt8) {
            base[count] = value
            count += 1
        }

        /// `LENGTH:TEXT|`, or `-|` for none.
        mutating func field(_ text: String?) {
            guard var text else { byte(UInt8(ascii: "-")); byte(UInt8(ascii: "|")); return }
            text.withUTF8 { bytes in
                decimal(Int64(bytes.count))
                byte(UInt8(ascii: ":"))
                if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
                count += bytes.count
                byte(UInt8(ascii: "|"))
            }
        }

        /// A number as the field of its decimal text, as `String(number)` writes it.
        mutating func field(_ number: Int64?) {
            guard let number else { field(nil as String?); return }
            var length: Int64 = number < 0 ? 1 : 0
            var rest = number.magnitude
            repeat { length += 1; rest /= 10 } while rest > 0
            decimal(length)
            byte(UInt8(ascii: ":"))
            decimal(number)
            byte(UInt8(ascii: "|"))
        }

        /// `value` in decimal: a minus sign, then the digits (at most 20 bytes).
        mutating func decimal(_ value: Int64) {
            if value < 0 { byte(UInt8(ascii: "-")) }
            var rest = value.magnitude
            let start = count
            repeat {
                byte(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            var digits = UnsafeMutableBufferPointer(start: base + start, count: count - start)
            digits.reverse()
        }
    }

    /// Lower-case hex of a digest, written straight into the string's storage (every audit row
    /// makes one: the digit table and a byte array were built for each).
    public static func hex(_ digest: some ContiguousBytes) -> String {
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 2 * bytes.count) { out in
                var index = 0
                for byte in bytes {
                    out[index] = hexDigit(byte >> 4)
                    out[index + 1] = hexDigit(byte & 0x0f)
                    index += 2
                }
                return index
            }
        }
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value }

    /// The newest entries first (all of them for `limit` nil), optionally for one record — or
    /// all about one agreement (`aboutAgreement`: its own and its workflow's, which records its
    /// stage moves) —, one actor, and from a time on (`since`: a date `2027-01-31` or a
    /// timestamp, compared as text with `at`, which is ISO 8601 in the workspace zone).
    public static func entries(limit: Int? = nil, entity: String? = nil, entityId: Int64? = nil, aboutAgreement: Int64? = nil,
                               actor: String? = nil, since: String? = nil, in unit: StoreUnit) throws -> [AuditEntry] {
        try unit.reading {
            try entries($0, limit: limit, entity: entity, entityId: entityId, aboutAgreement: aboutAgreement, actor: actor, since: since)
        }
    }

    static func entries(_ db: Database, limit: Int? = nil, entity: String? = nil, entityId: Int64? = nil, aboutAgreement: Int64? = nil,
                        actor: String? = nil, since: String? = nil) throws -> [AuditEntry] {
        var sql = "SELECT id, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log"
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let entity, let entityId {
            clauses.append("entity = ? AND entity_id = ?")
            arguments += [entity, entityId]
        }
        if let aboutAgreement {
            clauses.append("entity IN ('agreement', 'workflow') AND entity_id = ?")
            arguments.append(aboutAgreement)
        }
        if let actor { clauses.append("actor = ?"); arguments.append(actor) }
        if let since { clauses.append("at >= ?"); arguments.append(since) }
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY id DESC"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(entry(from:))
    }

    private static func entry(from row: Row) -> AuditEntry {
        AuditEntry(id: row[0], at: row[1], actor: row[2], action: row[3], entity: row[4], entityId: row[5],
                   before: row[6], after: row[7], prevHash: row[8], hash: row[9])
    }

    /// What `verify` found.
    public enum Verdict: Equatable, Sendable {
        /// Every row checks out.
        case intact(rows: Int)
        /// The first row that does not, and why.
        case broken(rowId: Int64, reason: String)
        /// The chain is intact but a record is not what it last recorded (a hand edit of the
        /// database file): the record, and the field with both values.
        case recordDiffers(record: String, reason: String)
    }

    /// Recomputes the chain from the first row and names the first row that does not match; then
    /// checks every agreement against its latest audited state (`verifyRecords`).
    public static func verify(in unit: StoreUnit) throws -> Verdict {
        let chain = try unit.reading(verify)
        guard case .intact = chain else { return chain }
        return try verifyRecords(in: unit) ?? chain
    }

    private static func verify(_ db: Database) throws -> Verdict {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT id, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log ORDER BY id
            """)
        var expectedPrevious = genesis
        var expectedId: Int64 = 1
        var count = 0
        while let row = try cursor.next() {
            let entry = entry(from: row)
            if entry.id != expectedId {
                return .broken(rowId: entry.id, reason: "row \(expectedId) is missing (rows were deleted)")
            }
            if entry.prevHash != expectedPrevious {
                return .broken(rowId: entry.id, reason: "its prev_hash does not match row \(entry.id - 1)'s hash")
            }
            if hash(of: entry) != entry.hash {
                return .broken(rowId: entry.id, reason: "its contents do not match its hash (the row was edited)")
            }
            expectedPrevious = entry.hash
            expectedId += 1
            count += 1
        }
        if let issued = try deletedTail(after: expectedId - 1, db) {
            let missing = issued == expectedId ? "row \(issued) is" : "rows \(expectedId)–\(issued) are"
            return .broken(rowId: issued, reason: "\(missing) missing: the newest rows were deleted (SQLite's counter for "
                           + "audit_log has reached \(issued), the chain ends at \(expectedId - 1))")
        }
        return .intact(rows: count)
    }
}
