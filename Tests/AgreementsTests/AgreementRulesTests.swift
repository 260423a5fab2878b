import Agreements
import Testing

/// The legal rules, each asserting its citation is in the message.
@Suite struct AgreementRulesTests {
    func ksdd(_ change: (inout Agreement) -> Void = { _ in }) -> Agreement {
        var agreement = Agreement(number: "1/2027", title: "Sampah", kind: .ksdd, subkind: .sukarela,
                                  leadAgency: "Dinas Lingkungan Hidup",
                                  parties: [Party(name: "Pemerintah Kabupaten Probolinggo", kind: .kabupaten)],
                                  startsOn: LocalDate("2027-01-01"), endsOn: LocalDate("2031-12-31"))
        change(&agreement)
        return agreement
    }

    /// A valid agreement of `kind` with a partner it allows, 2027-01-01 to 2031-12-31.
    func agreement(_ kind: Kind, _ change: (inout Agreement) -> Void = { _ in }) -> Agreement {
        let partner: Party
        switch kind {
        case .ksdd: partner = Party(name: "Pemerintah Kabupaten Probolinggo", kind: .kabupaten)
        case .ksdpk: partner = Party(name: "PT Contoh", kind: .badan_usaha, form: .swasta)
        case .sinergi: partner = Party(name: "Kementerian Contoh", kind: .kementerian)
        case .ksdpl, .ksdll: partner = Party(name: "Kota Rekaan", kind: .luar_negeri)
        }
        var agreement = ksdd { $0.kind = kind; $0.subkind = kind == .ksdd ? .sukarela : nil; $0.stage = kind.stages[0]; $0.parties = [partner] }
        change(&agreement)
        return agreement
    }

    func message(_ agreement: Agreement, rules: AgreementRules = AgreementRules()) -> String? {
        do {
            try rules.validate(agreement)
            return nil
        } catch let DomainError.validation(message) {
            return message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func aValidAgreementPasses() {
        #expect(message(ksdd()) == nil)
    }

    /// Blank is spaces and tabs of any script (Unicode Zs and U+0009), as CharacterSet.whitespaces.
    @Test(arguments: ["", " ", "\t \t", "\u{00A0}", "\u{3000}", " \u{2003} "])
    func aBlankTitleNumberOrPartyNameIsRefused(blank: String) {
        #expect(message(ksdd { $0.title = blank }) == "title: an agreement needs a title")
        #expect(message(ksdd { $0.number = blank }) == "number: an agreement needs a register number")
        #expect(message(ksdd { $0.parties[0].name = blank }) == "parties: a party needs a name")
    }

    @Test(arguments: ["x", " x ", "\u{3000}a", "-"])
    func aTitleWithAnythingButSpacesIsNotBlank(title: String) {
        #expect(message(ksdd { $0.title = title }) == nil)
    }

    @Test func theTermLimitCitesEachKindsArticle() {
        func tooLong(_ kind: Kind) -> String? { message(agreement(kind) { $0.endsOn = LocalDate("2032-01-01") }) }
        #expect(tooLong(.ksdd) == "ends_on: a Kesepakatan Bersama runs at most 5 years; 2027-01-01 to 2032-01-01 is longer "
                + "(Permendagri 22/2020 Pasal 9(3))")
        #expect(tooLong(.ksdpk)?.hasSuffix("(Permendagri 22/2020 Pasal 32(3))") == true)
        #expect(tooLong(.ksdpl) == "ends_on: a ksdpl runs at most 5 years; 2027-01-01 to 2032-01-01 is longer (Permendagri 25/2020 Pasal 32)")
        #expect(tooLong(.ksdll)?.hasSuffix("(Permendagri 25/2020 Pasal 32)") == true)
        // No national maximum for a Sinergi's Nota Kesepakatan (domain.md 5.1).
        #expect(tooLong(.sinergi) == nil)
        #expect(message(agreement(.ksdpl)) == nil)
    }

    @Test func theLawsFiveYearsMayBeShortenedNeverLengthened() throws {
        #expect(AgreementRules.legalMaximumYears == 5)
        var rules = AgreementRules()
        #expect(throws: DomainError.validation("rules.kb_max_years: 6 is longer than the law allows; a Kesepakatan Bersama or foreign "
                                               + "agreement runs at most 5 years (Permendagri 22/2020 Pasal 9(3), 32(3); Permendagri "
                                               + "25/2020 Pasal 32). A workspace may set a shorter limit, not a longer one")) {
            try rules.limitTerm(toYears: 6)
        }
        #expect(throws: DomainError.self) { try rules.limitTerm(toYears: 0) }
        #expect(rules.kbMaxYears == 5)
        let fourYears = ksdd { $0.endsOn = LocalDate("2030-12-31") }
        #expect(message(fourYears, rules: rules) == nil)
        try rules.limitTerm(toYears: 3)
        #expect(message(fourYears, rules: rules) == "ends_on: this workspace limits a Kesepakatan Bersama to 3 years "
                + "(sinergi.lua rules.kb_max_years); 2027-01-01 to 2030-12-31 is longer")
        #expect(message(agreement(.ksdll) { $0.endsOn = LocalDate("2030-12-31") }, rules: rules)?.contains("limits a ksdll to 3 years") == true)
    }

    @Test func theEndMustNotPrecedeTheStart() {
        #expect(message(ksdd { $0.endsOn = LocalDate("2026-12-31") }) == "ends_on: the end (2026-12-31) is before the start (2027-01-01)")
        #expect(message(ksdd { $0.pksStartsOn = LocalDate("2027-06-01"); $0.pksEndsOn = LocalDate("2027-05-01") })?
            .hasPrefix("pks_ends_on: the end") == true)
    }

    @Test func partnersMustBeOfAKindTheAgreementAllows() {
        let university = ksdd { $0.parties = [Party(name: "Universitas Contoh", kind: .perguruan_tinggi)] }
        #expect(message(university)?.contains("PP 28/2018 Pasal 1") == true)
        let ksdpk = Agreement(number: "2", title: "x", kind: .ksdpk, leadAgency: "Bappeda",
                              parties: [Party(name: "Kota Pasuruan", kind: .kota)])
        #expect(message(ksdpk)?.contains("PP 28/2018 Pasal 14") == true)
        var rules = AgreementRules()
        rules.universityAsSinergi = false
        let sinergi = Agreement(number: "3", title: "x", kind: .sinergi, leadAgency: "Bappeda",
                                parties: [Party(name: "Universitas Negeri Contoh", kind: .perguruan_tinggi)])
        #expect(message(sinergi) == nil)
        #expect(message(sinergi, rules: rules)?.contains("cannot be a partner in a sinergi") == true)
    }

    @Test func foreignPartnersCitePP28BabIVAndPermendagri25() {
        let region = [Party(name: "Pemerintah Kabupaten Probolinggo", kind: .kabupaten)]
        #expect(message(agreement(.ksdpl) { $0.parties = region })
                == "parties: a kabupaten cannot be a partner in a ksdpl (allowed: luar_negeri) (PP 28/2018 Bab IV; Permendagri 25/2020)")
        #expect(message(agreement(.ksdll) { $0.parties = region })?
            .hasSuffix("(allowed: luar_negeri) (PP 28/2018 Bab IV, Pasal 36; Permendagri 25/2020)") == true)
        #expect(message(agreement(.sinergi) { $0.parties = region })?.hasSuffix("(PP 28/2018 Pasal 46)") == true)
    }

    @Test func onlyKSDDHasASubkindAndItMustHaveOne() {
        #expect(message(ksdd { $0.subkind = nil })?.contains("PP 28/2018 Pasal 3") == true)
        let ksdpk = Agreement(number: "2", title: "x", kind: .ksdpk, subkind: .wajib, leadAgency: "Bappeda")
        #expect(message(ksdpk)?.hasPrefix("subkind: only a KSDD") == true)
    }

    @Test func endingGroundsFollowPP28Pasal9And22() {
        let bankrupt = ksdd { $0.status = .terminated; $0.endingGround = .pailit }
        #expect(message(bankrupt) == "ending_ground: pailit does not end a ksdd; it ends on jangka_waktu_berakhir, tujuan_tercapai, "
                + "kesepakatan_para_pihak, perubahan_kebijakan, objek_musnah (PP 28/2018 Pasal 9(1))")
        #expect(message(agreement(.ksdpk) { $0.status = .terminated; $0.endingGround = .pailit }) == nil)
        #expect(message(agreement(.ksdpk) { $0.status = .terminated })?.hasPrefix("ending_ground: say why it ended (PP 28/2018 Pasal 9(1), 22)") == true)
        #expect(message(ksdd { $0.status = .terminated; $0.endingGround = .kesepakatan_para_pihak }) == nil)
        #expect(message(ksdd { $0.endingGround = .tujuan_tercapai })?.contains("only an expired or terminated") == true)
    }

    @Test func foreignCooperationEndsOnPermendagri25Pasal34sGrounds() {
        #expect(EndingGround.grounds(for: .ksdpl) == [.tujuan_tercapai, .kesepakatan_para_pihak, .diganti_perjanjian_baru])
        for kind in [Kind.ksdpl, .ksdll] {
            #expect(message(agreement(kind) { $0.status = .terminated; $0.endingGround = .diganti_perjanjian_baru }) == nil)
            #expect(message(agreement(kind) { $0.status = .terminated; $0.endingGround = .perubahan_kebijakan })
                    == "ending_ground: perubahan_kebijakan does not end a \(kind.rawValue); it ends on tujuan_tercapai, "
                    + "kesepakatan_para_pihak, diganti_perjanjian_baru (Permendagri 25/2020 Pasal 34)")
            #expect(message(agreement(kind) { $0.status = .terminated })
                    == "ending_ground: say why it ended (Permendagri 25/2020 Pasal 34): tujuan_tercapai, kesepakatan_para_pihak, "
                    + "diganti_perjanjian_baru")
        }
        // Being replaced by a new agreement ends only foreign cooperation.
        #expect(message(ksdd { $0.status = .terminated; $0.endingGround = .diganti_perjanjian_baru })?
            .hasPrefix("ending_ground: diganti_perjanjian_baru does not end a ksdd") == true)
    }

    @Test func unconfirmedPKSLimitsAreConfigurationOffByDefault() {
        let longPKS = ksdd { $0.pksStartsOn = LocalDate("2027-01-01"); $0.pksEndsOn = LocalDate("2040-01-01") }
        #expect(message(longPKS) == nil)
        var rules = AgreementRules()
        rules.pksMaxYears = 5
        #expect(message(longPKS, rules: rules)?.contains("rules.pks_max_years") == true)
        rules = AgreementRules()
        rules.pksWithinKb = true
        #expect(message(longPKS, rules: rules)?.contains("rules.pks_within_kb") == true)
    }

    @Test func stagesBelongToTheKindsTrack() {
        #expect(message(ksdd { $0.stage = "penyusunan_nk" })?.hasPrefix("stage: 'penyusunan_nk' is not a stage of a ksdd") == true)
        #expect(Kind.sinergi.stages.firstIndex(of: "persetujuan_dprd")! < Kind.sinergi.stages.firstIndex(of: "penandatanganan_nk")!)
        #expect(Kind.ksdd.stages.firstIndex(of: "penandatanganan_kb")! < Kind.ksdd.stages.firstIndex(of: "persetujuan_dprd")!)
    }

    @Test func dprdApprovalFollowsTheTwoTriggersAndForeignKinds() {
        #expect(!ksdd().needsDprdApproval)
        #expect(ksdd { $0.membebaniMasyarakat = true }.needsDprdApproval)
        #expect(ksdd { $0.belumDianggarkan = true }.needsDprdApproval)
        #expect(Agreement(number: "x", title: "x", kind: .ksdpl, leadAgency: "x").needsDprdApproval)
    }

    @Test func aPKSNeedsPasal41sClausesAndAKSDPKsAlsoTheSanction() {
        let pasal41: Set<PksClause> = [.maksud_tujuan, .objek, .ruang_lingkup, .pelaksanaan, .hak_kewajiban, .pembiayaan,
                                       .jangka_waktu, .penyelesaian_perselisihan, .keadaan_kahar, .pengakhiran]
        #expect(ksdd { $0.pksClauses = pasal41 }.missingPksClauses == [])
        #expect(agreement(.ksdpk) { $0.pksClauses = pasal41 }.missingPksClauses == [.sanksi])
        #expect(ksdd().missingPksClauses == Kind.ksdd.requiredClauses)
    }

    @Test func aSinergiIsCheckedAgainstTheNotaKesepakatansPasal42() {
        let pks = Set(Kind.ksdpk.requiredClauses)
        #expect(agreement(.sinergi) { $0.pksClauses = pks }.missingPksClauses == [.latar_belakang, .lokasi, .tugas_tanggung_jawab, .lain_lain])
        let notaKesepakatan: Set<PksClause> = [.latar_belakang, .maksud_tujuan, .lokasi, .objek, .ruang_lingkup, .tugas_tanggung_jawab,
                                               .pelaksanaan, .jangka_waktu, .pembiayaan, .lain_lain]
        #expect(agreement(.sinergi) { $0.pksClauses = notaKesepakatan }.missingPksClauses == [])
        // No minimum content for a foreign naskah in the texts read (domain.md 6): nothing to miss.
        #expect(agreement(.ksdpl).missingPksClauses == [])
    }

    @Test func everyDateLiesWithinSinergisRange() {
        let range = "is outside the dates Sinergi accepts (1900-01-01 to 2999-12-31)"
        #expect(message(ksdd { $0.startsOn = LocalDate("1899-12-31") }) == "starts_on: 1899-12-31 \(range)")
        #expect(message(ksdd { $0.pksEndsOn = LocalDate("3000-01-01") }) == "pks_ends_on: 3000-01-01 \(range)")
        // A year past 9999 has no text form the parser reads back; it is refused like any other.
        let far = ksdd { $0.pksEndsOn = LocalDate(dayNumber: 10_300_000) }
        #expect(message(far) == "pks_ends_on: \(LocalDate(dayNumber: 10_300_000)) \(range)")
        #expect(message(ksdd { $0.startsOn = LocalDate("1900-01-01"); $0.endsOn = LocalDate("1904-12-31") }) == nil)
        #expect(throws: DomainError.self) { try AgreementRules().validate(Document(kind: .pks, date: LocalDate("0001-01-01"))) }
        #expect(throws: Never.self) { try AgreementRules().validate(Document(kind: .pks, date: LocalDate("2999-12-31"))) }
    }

    @Test func aPartyIsGivenOnce() {
        let kabupaten = Party(name: "Pemerintah Kabupaten Probolinggo", kind: .kabupaten)
        #expect(message(ksdd { $0.parties = [kabupaten, kabupaten] })
                == "parties: Pemerintah Kabupaten Probolinggo is listed twice; give each partner once")
        // In any case, as the database compares names; another kind does not make it another partner.
        let shouted = Party(name: "PEMERINTAH KABUPATEN PROBOLINGGO", kind: .kota)
        #expect(message(ksdd { $0.parties = [kabupaten, shouted] })
                == "parties: PEMERINTAH KABUPATEN PROBOLINGGO is listed twice; give each partner once")
        #expect(message(ksdd { $0.parties = [kabupaten, Party(name: "Pemerintah Kota Pasuruan", kind: .kota)] }) == nil)
    }

    @Test func anAgreementHasAtMostAHundredParties() {
        let parties = (1...101).map { Party(name: "Pemerintah Kabupaten \($0)", kind: .kabupaten) }
        #expect(message(ksdd { $0.parties = Array(parties.prefix(100)) }) == nil)
        #expect(message(ksdd { $0.parties = parties })
                == "parties: an agreement has at most 100 parties (a Sinergi limit); this one has 101")
    }

    @Test func policyLetsThePDEditOnlyItsOwnAgreements() {
        let pd = User(id: "budi", name: "Budi", roles: ["pd:Dinas Lingkungan Hidup"])
        #expect(AgreementPolicy.mayEdit(pd, leadAgency: "Dinas Lingkungan Hidup"))
        #expect(!AgreementPolicy.mayEdit(pd, leadAgency: "Dinas Perhubungan"))
        #expect(AgreementPolicy.mayEdit(User(id: "s", name: "S", roles: ["sekretariat"]), leadAgency: "Dinas Perhubungan"))
        #expect(!AgreementPolicy.mayEdit(User(id: "k", name: "K", roles: ["dprd_komisi"]), leadAgency: "Dinas Perhubungan"))
    }
}
