import Agreements
import GRDB

/// The filters of `agreements.find{…}` and `sinergi agreement list`, each served by an index.
public struct AgreementFilter: Equatable, Sendable {
    public var kind: Kind?
    public var status: Status?
    public var stage: String?
    /// A part of a party's name, any case (`jember` finds "Pemerintah Kabupaten Jember"); `%`
    /// makes it a LIKE pattern instead (`Universitas%`).
    public var party: String?
    /// The lead agency (PD pemrakarsa), case-insensitive.
    public var leadAgency: String?
    /// Agreements whose term ends before this date (exclusive).
    public var expiresBefore: LocalDate?
    /// Agreements whose term ends after this date (exclusive).
    public var expiresAfter: LocalDate?
    /// Only agreements that need (true) or do not need (false) DPRD approval
    /// (`Agreement.needsDprdApproval`: PP 28/2018 Pasal 6(2), 30(1)).
    public var needsDprd: Bool?
    /// Whether voided agreements are included (`agreement list --all`); by default they are left out.
    public var includeVoided: Bool

    public init(kind: Kind? = nil, status: Status? = nil, stage: String? = nil, party: String? = nil,
                leadAgency: String? = nil, expiresBefore: LocalDate? = nil, expiresAfter: LocalDate? = nil,
                needsDprd: Bool? = nil, includeVoided: Bool = false) {
        self.needsDprd = needsDprd
        self.includeVoided = includeVoided
        self.kind = kind
        self.status = status
        self.stage = stage
        self.party = party
        self.leadAgency = leadAgency
        self.expiresBefore = expiresBefore
        self.expiresAfter = expiresAfter
    }

    /// One filter as front ends name it (`expires_before`), with its type and doc line.
    public struct Parameter: Sendable {
        public let name: String
        public let type: FieldType
        public let doc: String
        let set: @Sendable (inout AgreementFilter, FieldValue) throws -> Void
        /// The filter's value of this parameter as cell text, nil when it is not set.
        let shown: @Sendable (AgreementFilter) -> String?

        init<Codec: ColumnCodec>(_ name: String, _ keyPath: WritableKeyPath<AgreementFilter, Codec.Value?> & Sendable,
                                _ codec: Codec, doc: String) {
            self.name = name
            type = codec.type
            self.doc = doc
            set = { filter, value in
                filter[keyPath: keyPath] = try OptionalCodec(wrapped: codec).decode(value, field: name)
            }
            shown = { filter in filter[keyPath: keyPath].map { codec.cell($0) } }
        }
    }

    /// The filters, in the order `help()` and the stubs list them: the one list of them.
    public static let parameters: [Parameter] = [
        Parameter("kind", \.kind, ChoiceCodec<Kind>(), doc: "ksdd, ksdpk, sinergi, ksdpl or ksdll"),
        Parameter("status", \.status, ChoiceCodec<Status>(), doc: "draft, active, expired or terminated"),
        Parameter("stage", \.stage, TextCodec(), doc: "a stage name, e.g. pelaksanaan"),
        Parameter("party", \.party, TextCodec(), doc: "a part of a party's name, any case; % for a pattern (Universitas%)"),
        Parameter("lead_agency", \.leadAgency, TextCodec(), doc: "the lead Perangkat Daerah, case-insensitive"),
        Parameter("expires_before", \.expiresBefore, DateCodec(), doc: "ending before this date"),
        Parameter("expires_after", \.expiresAfter, DateCodec(), doc: "ending after this date"),
        Parameter("needs_dprd", \.needsDprd, BooleanCodec(), doc: "true: only those needing DPRD approval; false: only those not"),
    ]

    /// The filter as a script writes it: `find{ kind = "ksdpk", expires_before = "2027-01-01" }`.
    public var shown: String {
        let given = Self.parameters.compactMap { parameter in
            parameter.shown(self).map { "\(parameter.name) = " + (parameter.type == .boolean ? $0 : "\"\($0)\"") }
        }
        return given.isEmpty ? "find{}" : "find{ " + given.joined(separator: ", ") + " }"
    }

    /// A filter from input values by parameter name (a Lua table, the CLI's options as text).
    public init(values: [String: FieldValue]) throws {
        self.init()
        let names = Self.parameters.map(\.name)
        for name in values.keys.sorted() where !names.contains(name) {
            throw DomainError.validation("find: '\(name)' is not a filter (\(names.joined(separator: ", ")))")
        }
        for parameter in Self.parameters {
            guard let value = values[parameter.name] else { continue }
            // SQLite's text binding would end the text at NUL and match what comes before it.
            if case let .text(text) = value, text.utf8.contains(0) {
                throw DomainError.validation("find: \(parameter.name) holds a NUL character, which no stored text holds")
            }
            // Nor is any stored value longer; a list keeps its filter for as long as a script holds it.
            if case let .text(text) = value, text.utf8.count > AgreementRules.maximumTextBytes {
                throw DomainError.validation("find: \(parameter.name) is \(text.utf8.count) bytes of text; no stored value is longer than "
                                             + "\(AgreementRules.maximumTextBytes >> 10) KB")
            }
            try parameter.set(&self, value)
        }
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
            // LIKE ignores ASCII case; without a `%` of the user's, `_` and `\` are taken literally.
            let pattern = party.contains("%") ? party
                : "%" + party.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "_", with: "\\_") + "%"
            clauses.append("id IN (SELECT agreement_id FROM party WHERE name LIKE ? ESCAPE '\\')")
            arguments.append(pattern)
        }
        if let needsDprd {
            let always = Kind.allCases.filter(\.alwaysNeedsDprd).map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let condition = "(membebani_masyarakat OR belum_dianggarkan OR kind IN (\(always)))"
            clauses.append(needsDprd ? condition : "NOT \(condition)")
        }
        if !includeVoided { clauses.append("id NOT IN (SELECT entity_id FROM voided WHERE entity = 'agreement')") }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), StatementArguments(arguments))
    }
}
