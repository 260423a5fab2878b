import Agreements
import Testing

/// The third parties of a Sinergi (Pemkot Probolinggo briefing on Permendagri 22/2020): only a
/// Sinergi has them, and they are not its signatories.
@Suite struct ThirdPartiesRulesTests {
    func sinergi(_ thirdParties: [String], kind: Kind = .sinergi) -> Agreement {
        Agreement(number: "S/1", title: "Data statistik", kind: kind, subkind: kind == .ksdd ? .sukarela : nil,
                  leadAgency: "Dinas Komunikasi dan Informatika",
                  parties: [Party(name: "Badan Pusat Statistik", kind: .lembaga)], thirdParties: thirdParties)
    }

    func message(_ agreement: Agreement) -> String? {
        do {
            try AgreementRules.validateThirdParties(agreement)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aSinergiRecordsThirdPartiesThatAreNotItsParties() {
        #expect(message(sinergi(["PT Survei Contoh", "Universitas Contoh"])) == nil)
        #expect(message(sinergi([], kind: .ksdpk)) == nil)
    }

    @Test func onlyASinergiHasThirdParties() {
        #expect(message(sinergi(["PT Survei Contoh"], kind: .ksdpk))?
            .hasPrefix("third_parties: only a Sinergi records third parties involved in carrying it out, not a ksdpk") == true)
        #expect(message(sinergi(["PT Survei Contoh"], kind: .ksdpk))?.contains("Permendagri 22/2020") == true)
    }

    @Test func aThirdPartyIsNotASignatory() {
        #expect(message(sinergi(["badan pusat statistik"]))
                == "third_parties: badan pusat statistik is a party (a signatory); a third party takes part in carrying out the Sinergi without signing it")
    }

    @Test func namesAreGivenOnceWithoutSeparatorsAndWithinTheLimit() {
        #expect(message(sinergi(["PT A", "pt a"])) == "third_parties: pt a is listed twice")
        #expect(message(sinergi(["  "])) == "third_parties: a third party needs a name")
        #expect(message(sinergi(["PT A; PT B"])) == "third_parties: a name may not contain ';' or a line break (PT A; PT B)")
        // Found by scalar: ";" or "\r" with a combining mark after it is one Character that is neither.
        #expect(message(sinergi(["PT A;\u{301} PT B"]))?.hasPrefix("third_parties: a name may not contain ';'") == true)
        #expect(message(sinergi(["PT A\r\nPT B"]))?.hasPrefix("third_parties: a name may not contain ';'") == true)
        #expect(message(sinergi((1...101).map { "PT \($0)" }))
                == "third_parties: an agreement has at most 100 third parties (a Sinergi limit); this one has 101")
    }
}
