extension AgreementRules {
    /// Sinergi's limit on one text value (a title, a scope, a party's name, a note): some 30
    /// pages — a register's cell, not a document, which is attached instead. Without it a 100 MB
    /// cell of an import or a script's string was stored, and writing it made the host hold
    /// several times its size (the audit snapshot escapes each control byte as six) outside
    /// the script's memory cap.
    public static let maximumTextBytes = 65_536

    /// Refuses a document whose number, signatories or file hold NUL or pass `maximumTextBytes`
    /// (an agreement's fields are checked by the store, from its field table).
    static func requireStorableText(_ document: Document) throws {
        try requireStorableText(document.number ?? "", field: "number")
        for name in document.signatories { try requireStorableText(name, field: "signatories") }
        try requireStorableText(document.file ?? "", field: "file")
    }

    /// Refuses `text`, the value of `field`, when it holds U+0000 (NUL) or passes
    /// `maximumTextBytes`.
    ///
    /// SQLite's text binding ends a string at NUL, so the stored value would be cut short while
    /// the audit trail keeps all of it — and `audit verify` then reports the record as changed
    /// outside Sinergi. A NUL reaches a write from a CSV or JSON file (`\u0000`), a Lua string
    /// (`"a\0b"`) or a command line alike, so the rule is checked on every write.
    public static func requireStorableText(_ text: String, field: String) throws {
        if text.utf8.count > maximumTextBytes {
            throw DomainError.validation("\(field): \(text.utf8.count) bytes of text; a value holds at most \(maximumTextBytes >> 10) KB "
                                         + "(a Sinergi limit): keep long text in an attached document")
        }
        if text.utf8.contains(0) {
            throw DomainError.validation("\(field): holds a NUL character (U+0000), which Sinergi cannot store; remove it")
        }
    }
}
