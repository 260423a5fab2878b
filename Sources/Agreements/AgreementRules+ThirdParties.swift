import Foundation

extension AgreementRules {
    /// Sinergi's limit on the third parties of one agreement (not law; as `maximumParties`, it
    /// keeps a hostile row or script from making every later read of the agreement slow).
    public static let maximumThirdParties = 100

    /// Refuses a list of `count` third parties past `maximumThirdParties`; readers call it before
    /// building the list, so a huge one costs no more than counting.
    public static func requireThirdPartyCount(_ count: Int) throws {
        if count > maximumThirdParties {
            throw DomainError.validation("third_parties: an agreement has at most \(maximumThirdParties) third parties "
                                         + "(a Sinergi limit); this one has \(count)")
        }
    }

    /// Checks the third parties involved in carrying out an agreement.
    ///
    /// A Sinergi may record third parties that take part in carrying it out without being
    /// signatories: "keterlibatan pihak ketiga terhadap pelaksanaan sinergi", raised at the Pemkot
    /// Probolinggo briefing on Permendagri 22/2020 (domain.md [S4]). So: only a Sinergi has them;
    /// a name is not also a party's (a party signs; a third party does not); each name is given
    /// once, and holds no ';' or line break (the separator of the CSV cell that lists them).
    public static func validateThirdParties(_ agreement: Agreement) throws {
        func fail(_ message: String) throws -> Never { throw DomainError.validation("third_parties: " + message) }
        let names = agreement.thirdParties
        guard !names.isEmpty else { return }
        if agreement.kind != .sinergi {
            try fail("only a Sinergi records third parties involved in carrying it out, not a \(agreement.kind.rawValue) "
                     + "(Pemkot Probolinggo briefing on Permendagri 22/2020)")
        }
        try requireThirdPartyCount(names.count)
        var seen: Set<String> = []
        let partyNames = Set(agreement.parties.map { $0.name.lowercased() })
        for name in names {
            if name.isBlank { try fail("a third party needs a name") }
            if name.unicodeScalars.contains(where: { $0 == ";" || $0 == "\n" || $0 == "\r" }) {
                try fail("a name may not contain ';' or a line break (\(name))")
            }
            if !seen.insert(name.lowercased()).inserted { try fail("\(name) is listed twice") }
            if partyNames.contains(name.lowercased()) {
                try fail("\(name) is a party (a signatory); a third party takes part in carrying out the Sinergi without signing it")
            }
        }
    }
}
