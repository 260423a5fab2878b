import Agreements
import GRDB

/// The filters of `agreements.find{…}` and `sinergi agreement list`, each served by an index.
public struct AgreementFilter: Equatable, Sendable {
    public var kind: Kind?
    public var status: Status?
    public var stage: String?
    /// A party's name, case-insensitive; `%` makes it a LIKE pattern (`Universitas%`).
    public var party: String?
    /// The lead agency (PD pemrakarsa), case-insensitive.
    public var leadAgency: String?
    /// Agreements whose term ends before this date (exclusive).
    public var expiresBefore: LocalDate?
    /// Agreements whose term ends after this date (exclusive).
    public var expiresAfter: LocalDate?

    public init(kind: Kind? = nil, status: Status? = nil, stage: String? = nil, party: String? = nil,
                leadAgency: String? = nil, expiresBefore: LocalDate? = nil, expiresAfter: LocalDate? = nil) {
        self.kind = kind
        self.status = status
        self.stage = stage
        self.party = party
        self.leadAgency = leadAgency
        self.expiresBefore = expiresBefore
        self.expiresAfter = expiresAfter
    }

    /// The WHERE clause and its arguments.
    func sql() -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let kind { clauses.append("kind = ?"); arguments.append(kind.rawValue) }
        if let status { clauses.append("status = ?"); arguments.append(status.rawValue) }
        if let stage { clauses.append("stage = ?"); arguments.append(stage) }
        if let leadAgency { clauses.append("lead_agency = ?"); arguments.append(leadAgency) }
        if let expiresBefore { clauses.append("ends_on < ?"); arguments.append(expiresBefore.description) }
        if let expiresAfter { clauses.append("ends_on > ?"); arguments.append(expiresAfter.description) }
        if let party {
            let comparison = party.contains("%") ? "LIKE" : "="
            clauses.append("id IN (SELECT agreement_id FROM party WHERE name \(comparison) ?)")
            arguments.append(party)
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), StatementArguments(arguments))
    }
}
