/// One cooperation agreement and the facts the law attaches to it.
///
/// The agreement's own term (`startsOn`…`endsOn`) is that of the Kesepakatan Bersama, or of the
/// Nota Kesepakatan for Sinergi; the PKS/kontrak that implements it has its own dates
/// (`pksStartsOn`…`pksEndsOn`), kept separately because their limits differ (domain.md 5.1).
public struct Agreement: Equatable, Codable, Sendable {
    /// The database id; nil until stored.
    public var id: Int64?
    /// The register number (unique), e.g. `180/12/425.012/2027`.
    public var number: String
    public var title: String
    public var kind: Kind
    /// KSDD only.
    public var subkind: Subkind?
    /// Perangkat Daerah pemrakarsa.
    public var leadAgency: String
    public var parties: [Party]
    /// Third parties involved in carrying out a Sinergi, by name; they are not signatories
    /// (see `AgreementRules.validateThirdParties`).
    public var thirdParties: [String]
    /// Objek kerja sama.
    public var object: String
    /// Ruang lingkup.
    public var scope: String
    /// Value in rupiah, if any.
    public var value: Int64?
    /// Sources of funding (APBD, APBN, pihak ketiga, …).
    public var funding: String
    /// Burdens the public and the region (PP 28/2018 Pasal 6(2) huruf a).
    public var membebaniMasyarakat: Bool
    /// Funding not yet in the current year's APBD (PP 28/2018 Pasal 6(2) huruf b).
    public var belumDianggarkan: Bool
    public var startsOn: LocalDate?
    public var endsOn: LocalDate?
    public var pksStartsOn: LocalDate?
    public var pksEndsOn: LocalDate?
    public var status: Status
    public var stage: String
    /// Why it ended, when `status` is `terminated` or `expired`.
    public var endingGround: EndingGround?
    /// The minimum clauses the signed PKS/kontrak — for a Sinergi, the Nota Kesepakatan — is
    /// recorded to contain (`Kind.requiredClauses`).
    public var pksClauses: Set<PksClause>
    /// Keterangan: the register's free remarks on the agreement (no rule reads them).
    public var notes: String
    public var documents: [Document]

    public init(id: Int64? = nil, number: String, title: String, kind: Kind, subkind: Subkind? = nil,
                leadAgency: String, parties: [Party] = [], thirdParties: [String] = [], object: String = "", scope: String = "",
                value: Int64? = nil, funding: String = "", membebaniMasyarakat: Bool = false,
                belumDianggarkan: Bool = false, startsOn: LocalDate? = nil, endsOn: LocalDate? = nil,
                pksStartsOn: LocalDate? = nil, pksEndsOn: LocalDate? = nil, status: Status = .draft,
                stage: String? = nil, endingGround: EndingGround? = nil, pksClauses: Set<PksClause> = [],
                documents: [Document] = [], notes: String = "") {
        self.id = id
        self.number = number
        self.title = title
        self.kind = kind
        self.subkind = subkind
        self.leadAgency = leadAgency
        self.parties = parties
        self.thirdParties = thirdParties
        self.object = object
        self.scope = scope
        self.value = value
        self.funding = funding
        self.membebaniMasyarakat = membebaniMasyarakat
        self.belumDianggarkan = belumDianggarkan
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.pksStartsOn = pksStartsOn
        self.pksEndsOn = pksEndsOn
        self.status = status
        self.stage = stage ?? kind.stages[0]
        self.endingGround = endingGround
        self.pksClauses = pksClauses
        self.documents = documents
        self.notes = notes
    }

    /// Whether DPRD approval is required: when the plan burdens the public and the region, or its
    /// funding is not yet budgeted in the current APBD (PP 28/2018 Pasal 6(2); Permendagri 22/2020
    /// Pasal 11(1), 34(1), 56(1)); always for foreign cooperation (PP 28/2018 Pasal 30(1)).
    public var needsDprdApproval: Bool {
        kind.alwaysNeedsDprd || membebaniMasyarakat || belumDianggarkan
    }

    /// The clauses its kind requires that are not (yet) recorded: Permendagri 22/2020 Pasal 41 for a
    /// PKS (with PP 28/2018 Pasal 19(2)'s sanction for a KSDPK), Pasal 42 for a Sinergi's Nota
    /// Kesepakatan.
    public var missingPksClauses: [PksClause] {
        kind.requiredClauses.filter { !pksClauses.contains($0) }
    }
}
