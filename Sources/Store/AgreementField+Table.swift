import Agreements

extension AgreementField {
    /// Every field of an agreement, in the order of the CSV columns and of `help()`.
    ///
    /// The one place a field is written down (see `AgreementField`). Adding a stored field: one
    /// entry here, a property of `Agreement`, and a named migration that adds its column
    /// (`SinergiDatabase.migrator`); `AgreementFieldTests` and `LuaStubsTests` fail until the
    /// migration and `types/sinergi.lua` follow.
    public static let all: [AgreementField] = [
        .identity(doc: "the database id"),
        .column("number", \.number, TextCodec(), doc: "register number (unique, case-insensitive), e.g. 180/12/425.012/2027"),
        .column("title", \.title, TextCodec(), doc: "title"),
        .column("kind", \.kind, ChoiceCodec<Kind>(), fixed: true,
                doc: "KSDD, KSDPK, Sinergi, KSDPL or KSDLL (PP 28/2018 Pasal 1); fixed once created"),
        .column("subkind", \.subkind, OptionalCodec(wrapped: ChoiceCodec<Subkind>()),
                doc: "KSDD only: wajib or sukarela (PP 28/2018 Pasal 3)"),
        .column("lead_agency", \.leadAgency, TextCodec(), doc: "Perangkat Daerah pemrakarsa (Permendagri 22/2020 Pasal 7)"),
        .column("object", \.object, TextCodec(), doc: "objek kerja sama"),
        .column("scope", \.scope, TextCodec(), doc: "ruang lingkup"),
        .column("value", \.value, OptionalCodec(wrapped: IntegerCodec(noun: "a whole number of rupiah")), doc: "value in rupiah"),
        .column("funding", \.funding, TextCodec(), doc: "sources of funding (APBD, APBN, pihak ketiga, …)"),
        .parties(doc: "the partners, each { name, kind, form } (form: badan_usaha only)"),
        .column("membebani_masyarakat", \.membebaniMasyarakat, BooleanCodec(),
                doc: "burdens the public and the region: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf a)"),
        .column("belum_dianggarkan", \.belumDianggarkan, BooleanCodec(),
                doc: "funding not yet in this year's APBD: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf b)"),
        .column("starts_on", \.startsOn, OptionalCodec(wrapped: DateCodec()),
                doc: "start of the Kesepakatan Bersama (or Nota Kesepakatan)"),
        .column("ends_on", \.endsOn, OptionalCodec(wrapped: DateCodec()), doc: "end of the Kesepakatan Bersama (or Nota Kesepakatan)"),
        .column("pks_starts_on", \.pksStartsOn, OptionalCodec(wrapped: DateCodec()), doc: "start of the PKS / kontrak"),
        .column("pks_ends_on", \.pksEndsOn, OptionalCodec(wrapped: DateCodec()), doc: "end of the PKS / kontrak"),
        .column("status", \.status, ChoiceCodec<Status>(), doc: "draft, active, expired or terminated"),
        .column("stage", \.stage, TextCodec(), doc: "the stage of its kind's track, e.g. pelaksanaan"),
        .column("ending_ground", \.endingGround, OptionalCodec(wrapped: ChoiceCodec<EndingGround>()),
                doc: "why it ended (PP 28/2018 Pasal 9(1), 22)"),
        .column("pks_clauses", \.pksClauses, ChoiceSetCodec<PksClause>(noun: "clause names"),
                doc: "the minimum PKS clauses the signed PKS contains (Permendagri 22/2020 Pasal 41)"),
        // "Keterlibatan pihak ketiga terhadap pelaksanaan sinergi": raised at the Pemkot Probolinggo
        // briefing on Permendagri 22/2020 (domain.md [S4]); the rule is AgreementRules.validateThirdParties.
        .column("third_parties", \.thirdParties, NamesCodec(requireCount: AgreementRules.requireThirdPartyCount),
                rule: AgreementRules.validateThirdParties,
                doc: "Sinergi only: third parties involved in carrying it out, who do not sign it"),
        .derived("needs_dprd_approval", .boolean, doc: "membebani_masyarakat or belum_dianggarkan, or foreign (PP 28/2018 Pasal 6(2), 30(1))") {
            .boolean($0.needsDprdApproval)
        },
        .derived("missing_pks_clauses", .list(.choice(PksClause.allCases.map(\.rawValue))),
                 doc: "the minimum PKS clauses not recorded") {
            .list($0.missingPksClauses.map { .text($0.rawValue) })
        },
    ]
}
