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
        .column("number", TextCodec(), { $0.number }, { $0.number = $1 },
                header: "Nomor Perjanjian", aliases: ["Nomor", "No Perjanjian", "Nomor Kerja Sama", "Nomor Register"],
                doc: "register number (unique, case-insensitive), e.g. 180/12/425.012/2027"),
        .column("title", TextCodec(), { $0.title }, { $0.title = $1 }, header: "Judul", aliases: ["Perihal", "Judul Perjanjian", "Judul Kerja Sama", "Nama Kerja Sama"],
                doc: "title"),
        .column("kind", ChoiceCodec<Kind>(), { $0.kind }, { $0.kind = $1 }, fixed: true,
                header: "Jenis", aliases: ["Jenis Kerja Sama", "Jenis KSD"],
                doc: "KSDD, KSDPK, Sinergi, KSDPL or KSDLL (PP 28/2018 Pasal 1); fixed once created"),
        .column("subkind", OptionalCodec(wrapped: ChoiceCodec<Subkind>()), { $0.subkind }, { $0.subkind = $1 },
                header: "Sifat", aliases: ["Sifat KSDD", "Subjenis"],
                doc: "KSDD only: wajib or sukarela (PP 28/2018 Pasal 3)"),
        .column("lead_agency", TextCodec(), { $0.leadAgency }, { $0.leadAgency = $1 },
                header: "Perangkat Daerah", aliases: ["OPD", "PD", "Perangkat Daerah Pemrakarsa", "SKPD", "Pemrakarsa"],
                doc: "Perangkat Daerah pemrakarsa (Permendagri 22/2020 Pasal 7)"),
        .column("object", TextCodec(), { $0.object }, { $0.object = $1 }, header: "Objek", aliases: ["Objek Kerja Sama"],
                doc: "objek kerja sama"),
        .column("scope", TextCodec(), { $0.scope }, { $0.scope = $1 }, header: "Ruang Lingkup", aliases: ["Lingkup"],
                doc: "ruang lingkup"),
        .column("value", OptionalCodec(wrapped: IntegerCodec(noun: "a whole number of rupiah")), { $0.value }, { $0.value = $1 },
                header: "Nilai (Rp)", aliases: ["Nilai", "Nilai Kerja Sama", "Nilai Rupiah", "Anggaran"],
                doc: "value in rupiah"),
        .column("funding", TextCodec(), { $0.funding }, { $0.funding = $1 },
                header: "Sumber Dana", aliases: ["Sumber Pendanaan", "Pembiayaan"],
                doc: "sources of funding (APBD, APBN, pihak ketiga, …)"),
        .parties(header: "Mitra", aliases: ["Pihak", "Para Pihak", "Nama Mitra", "Mitra Kerja Sama"],
                 doc: "the partners, each { name, kind, form } (form: badan_usaha only)"),
        .column("membebani_masyarakat", BooleanCodec(), { $0.membebaniMasyarakat }, { $0.membebaniMasyarakat = $1 },
                header: "Membebani Masyarakat", doc: "burdens the public and the region: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf a)"),
        .column("belum_dianggarkan", BooleanCodec(), { $0.belumDianggarkan }, { $0.belumDianggarkan = $1 },
                header: "Belum Dianggarkan", aliases: ["Belum Dianggarkan dalam APBD"],
                doc: "funding not yet in this year's APBD: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf b)"),
        .column("starts_on", OptionalCodec(wrapped: DateCodec()), { $0.startsOn }, { $0.startsOn = $1 },
                header: "Tanggal Mulai", aliases: ["Mulai", "Tanggal Mulai Berlaku", "Tgl Mulai"],
                doc: "start of the Kesepakatan Bersama (or Nota Kesepakatan)"),
        .column("ends_on", OptionalCodec(wrapped: DateCodec()), { $0.endsOn }, { $0.endsOn = $1 },
                header: "Tanggal Berakhir", aliases: ["Berakhir", "Tanggal Selesai", "Tgl Berakhir", "Masa Berlaku s.d."],
                doc: "end of the Kesepakatan Bersama (or Nota Kesepakatan)"),
        .column("pks_starts_on", OptionalCodec(wrapped: DateCodec()), { $0.pksStartsOn }, { $0.pksStartsOn = $1 },
                header: "Tanggal Mulai PKS", aliases: ["Mulai PKS"],
                doc: "start of the PKS / kontrak"),
        .column("pks_ends_on", OptionalCodec(wrapped: DateCodec()), { $0.pksEndsOn }, { $0.pksEndsOn = $1 },
                header: "Tanggal Berakhir PKS", aliases: ["Berakhir PKS", "Tanggal Selesai PKS"],
                doc: "end of the PKS / kontrak"),
        .column("status", ChoiceCodec<Status>(), { $0.status }, { $0.status = $1 },
                header: "Status", aliases: ["Status Kerja Sama"],
                doc: "draft, active, expired or terminated"),
        .column("stage", TextCodec(), { $0.stage }, { $0.stage = $1 },
                header: "Tahap", aliases: ["Tahapan"],
                doc: "the stage of its kind's track, e.g. pelaksanaan"),
        .column("ending_ground", OptionalCodec(wrapped: ChoiceCodec<EndingGround>()), { $0.endingGround }, { $0.endingGround = $1 },
                header: "Alasan Berakhir", aliases: ["Dasar Berakhir"],
                doc: "why it ended (PP 28/2018 Pasal 9(1), 22)"),
        .column("pks_clauses", ChoiceSetCodec<PksClause>(noun: "clause names"), { $0.pksClauses }, { $0.pksClauses = $1 },
                header: "Klausul PKS", doc: "the minimum PKS clauses the signed PKS contains (Permendagri 22/2020 Pasal 41)"),
        // "Keterangan", the remarks column of every office register (issue #9).
        .column("notes", TextCodec(), { $0.notes }, { $0.notes = $1 }, header: "Keterangan", aliases: ["Catatan", "Ket"],
                doc: "keterangan: free remarks, as in the office's register"),
        // "Keterlibatan pihak ketiga terhadap pelaksanaan sinergi": raised at the Pemkot Probolinggo
        // briefing on Permendagri 22/2020 (domain.md [S4]); the rule is AgreementRules.validateThirdParties.
        .column("third_parties", NamesCodec(requireCount: AgreementRules.requireThirdPartyCount),
                { $0.thirdParties }, { $0.thirdParties = $1 },
                rule: AgreementRules.validateThirdParties,
                header: "Pihak Ketiga", aliases: ["Keterlibatan Pihak Ketiga"],
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
