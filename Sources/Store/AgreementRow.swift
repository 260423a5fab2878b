import Agreements
import Foundation
import GRDB

/// The columns of the `agreement` table, and the mapping between a row and an `Agreement`.
///
/// Decoding reads columns by position (the order of `selection`), which keeps a full scan of
/// 100,000 agreements fast; parties and documents are loaded separately, only when asked for.
enum AgreementRow {
    enum Columns {
        static let id = Column("id"), number = Column("number"), kind = Column("kind"), status = Column("status")
        static let stage = Column("stage"), leadAgency = Column("lead_agency"), endsOn = Column("ends_on")
    }

    static let selection = """
        id, number, title, kind, subkind, lead_agency, object, scope, value, funding, membebani_masyarakat,
        belum_dianggarkan, starts_on, ends_on, pks_starts_on, pks_ends_on, status, stage, ending_ground, pks_clauses
        """

    static func decode(_ row: Row) throws -> Agreement {
        func date(_ index: Int) throws -> LocalDate? { try AgreementRow.date(row[index], column: dateColumns[index - 12], of: row[0]) }
        guard let kind = Kind(rawValue: row[3]), let status = Status(rawValue: row[16]) else {
            throw StoreError.corrupt("agreement \(row[0] as Int64? ?? 0) has an unknown kind or status")
        }
        let clauses = (row[19] as String? ?? "").split(separator: ",").compactMap { PksClause(rawValue: String($0)) }
        return Agreement(
            id: row[0], number: row[1], title: row[2], kind: kind,
            subkind: (row[4] as String?).flatMap(Subkind.init(rawValue:)), leadAgency: row[5],
            object: row[6], scope: row[7], value: row[8], funding: row[9], membebaniMasyarakat: row[10],
            belumDianggarkan: row[11], startsOn: try date(12), endsOn: try date(13), pksStartsOn: try date(14), pksEndsOn: try date(15),
            status: status, stage: row[17], endingGround: (row[18] as String?).flatMap(EndingGround.init(rawValue:)),
            pksClauses: Set(clauses))
    }

    /// The date columns, in `selection` order (positions 12–15).
    static let dateColumns = ["starts_on", "ends_on", "pks_starts_on", "pks_ends_on"]

    /// A stored date: nil for NULL; text that is not a date is damage, reported rather than read
    /// as nil — a nil would be written back by the next unrelated update and the date lost.
    static func date(_ text: String?, column: String, of id: Int64) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(text) else {
            throw StoreError.corrupt("\(column) of agreement \(id) holds '\(text)', which is not a date (YYYY-MM-DD)")
        }
        return date
    }

    /// Column values for INSERT/UPDATE, in the order of `writableColumns`.
    static func arguments(_ agreement: Agreement) -> [(any DatabaseValueConvertible)?] {
        [agreement.number, agreement.title, agreement.kind.rawValue, agreement.subkind?.rawValue, agreement.leadAgency,
         agreement.object, agreement.scope, agreement.value, agreement.funding, agreement.membebaniMasyarakat,
         agreement.belumDianggarkan, agreement.startsOn?.description, agreement.endsOn?.description,
         agreement.pksStartsOn?.description, agreement.pksEndsOn?.description, agreement.status.rawValue,
         agreement.stage, agreement.endingGround?.rawValue,
         agreement.pksClauses.map(\.rawValue).sorted().joined(separator: ",")]
    }

    static let writableColumns = [
        "number", "title", "kind", "subkind", "lead_agency", "object", "scope", "value", "funding",
        "membebani_masyarakat", "belum_dianggarkan", "starts_on", "ends_on", "pks_starts_on", "pks_ends_on",
        "status", "stage", "ending_ground", "pks_clauses",
    ]
}

/// Failures of the store itself (not of the data's rules, which are `DomainError`s).
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case corrupt(String)

    public var description: String {
        switch self {
        case let .corrupt(message): return "the database is damaged: \(message)"
        }
    }
}
