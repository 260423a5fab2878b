import Agreements
import Store

extension OfficeCells {
    /// The partners of an office's row as the parties codec reads them (`kind[/form]:Name; …`).
    ///
    /// The `Mitra` cell may hold several partners, split at `;` or a line break, each either in
    /// Sinergi's own form (`badan_usaha/bumd:PT Air Minum`) or as a plain name whose kind comes
    /// from the `Jenis Mitra` cell: one kind per partner, or one kind for all of them.
    static func parties(names: String, kinds: String?, field: String) throws -> String {
        let partners = items(names)
        // Counted before anything else is done per partner: a hostile cell may hold 300,000.
        try AgreementRules.requirePartyCount(partners.count)
        let kindItems = items(kinds ?? "")
        let allowed = partyKindNames.map(\.name).joined(separator: ", ")
        if !kindItems.isEmpty && kindItems.count != 1 && kindItems.count != partners.count {
            throw DomainError.validation("\(field): \(partners.count) partners but \(kindItems.count) kinds in \(partyKindsHeader); "
                                         + "give one kind for each partner, or one for all")
        }
        return try partners.enumerated().map { index, partner -> String in
            if let native = nativeParty(partner) { return native }
            guard !kindItems.isEmpty else {
                throw DomainError.validation("\(field): \(shown(partner)) has no kind: fill the \(partyKindsHeader) column (\(allowed)) "
                                             + "or write kind:Name")
            }
            let kindText = kindItems.count == 1 ? kindItems[0] : kindItems[index]
            guard let known = partyKind(kindText) else {
                throw DomainError.validation("\(field): \(shown(kindText)) in \(partyKindsHeader) is not a kind of partner (\(allowed))")
            }
            return code(kind: known.kind, form: known.form) + ":" + partner
        }.joined(separator: "; ")
    }

    /// The kind of partner an office's word names: one of `partyKindNames`, or a model name.
    static func partyKind(_ text: String) -> (kind: PartyKind, form: BusinessForm?)? {
        let wanted = key(text)
        if let entry = partyKindNames.first(where: { key($0.name) == wanted }) { return (entry.kind, entry.form) }
        if let kind = PartyKind.allCases.first(where: { key($0.rawValue) == wanted }) { return (kind, nil) }
        return nil
    }

    /// `partner` when it is already `kind[/form]:Name` with a model kind; nil for a plain name
    /// (which may hold a colon of its own: `PT Maju: Cabang Kraksaan`).
    static func nativeParty(_ partner: String) -> String? {
        guard let colon = partner.firstIndex(of: ":") else { return nil }
        let prefix = partner[..<colon].split(separator: "/", maxSplits: 1).map(String.init)
        guard let kind = prefix.first, PartyKind(rawValue: kind) != nil else { return nil }
        return partner
    }

    /// `badan_usaha/bumd`: a kind and form as the parties codec writes them.
    static func code(kind: PartyKind, form: BusinessForm?) -> String {
        kind.rawValue + (form.map { "/" + $0.rawValue } ?? "")
    }

    /// The office's name of a partner's kind: the first of `partyKindNames` for it.
    static func name(of party: Party) -> String {
        partyKindNames.first { $0.kind == party.kind && $0.form == party.form }?.name ?? code(kind: party.kind, form: party.form)
    }
}
