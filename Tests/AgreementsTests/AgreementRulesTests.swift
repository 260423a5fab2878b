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

    @Test func kesepakatanBersamaRunsAtMostFiveYears() {
        let tooLong = ksdd { $0.endsOn = LocalDate("2032-01-01") }
        #expect(message(tooLong)?.contains("Permendagri 22/2020 Pasal 9(3), 32(3)") == true)
        var rules = AgreementRules()
        rules.kbMaxYears = 6
        #expect(message(tooLong, rules: rules) == nil)
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

    @Test func onlyKSDDHasASubkindAndItMustHaveOne() {
        #expect(message(ksdd { $0.subkind = nil })?.contains("PP 28/2018 Pasal 3") == true)
        let ksdpk = Agreement(number: "2", title: "x", kind: .ksdpk, subkind: .wajib, leadAgency: "Bappeda")
        #expect(message(ksdpk)?.hasPrefix("subkind: only a KSDD") == true)
    }

    @Test func endingGroundsFollowPP28Pasal9And22() {
        let bankrupt = ksdd { $0.status = .terminated; $0.endingGround = .pailit }
        #expect(message(bankrupt)?.contains("PP 28/2018 Pasal 22") == true)
        #expect(message(ksdd { $0.status = .terminated })?.contains("PP 28/2018 Pasal 9(1), 22") == true)
        #expect(message(ksdd { $0.status = .terminated; $0.endingGround = .kesepakatan_para_pihak }) == nil)
        #expect(message(ksdd { $0.endingGround = .tujuan_tercapai })?.contains("only an expired or terminated") == true)
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

    @Test func missingPKSClausesListBothSources() {
        var agreement = ksdd()
        agreement.pksClauses = Set(PksClause.allCases.filter { $0 != .sanksi })
        #expect(agreement.missingPksClauses == [.sanksi])
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
