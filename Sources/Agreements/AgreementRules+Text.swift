extension AgreementRules {
    /// Refuses text that holds U+0000 (NUL) in any field of `agreement`.
    ///
    /// SQLite's text binding ends a string at NUL, so the stored value would be cut short while
    /// the audit trail keeps all of it — and `audit verify` then reports the record as changed
    /// outside Sinergi. A NUL reaches here from a CSV or JSON file (`\u0000`), a Lua string
    /// (`"a\0b"`) or a command line alike, so the rule is checked with the others, on every write.
    static func requireNoNUL(_ agreement: Agreement) throws {
        let texts: [(String, String)] = [("number", agreement.number), ("title", agreement.title), ("lead_agency", agreement.leadAgency),
                                         ("object", agreement.object), ("scope", agreement.scope), ("funding", agreement.funding),
                                         ("stage", agreement.stage), ("notes", agreement.notes)]
        for (field, text) in texts { try requireNoNUL(text, field: field) }
        for party in agreement.parties { try requireNoNUL(party.name, field: "parties") }
        for name in agreement.thirdParties { try requireNoNUL(name, field: "third_parties") }
    }

    /// The same for a document's number, signatories and file.
    static func requireNoNUL(_ document: Document) throws {
        try requireNoNUL(document.number ?? "", field: "number")
        for name in document.signatories { try requireNoNUL(name, field: "signatories") }
        try requireNoNUL(document.file ?? "", field: "file")
    }

    private static func requireNoNUL(_ text: String, field: String) throws {
        if text.utf8.contains(0) {
            throw DomainError.validation("\(field): holds a NUL character (U+0000), which Sinergi cannot store; remove it")
        }
    }
}
