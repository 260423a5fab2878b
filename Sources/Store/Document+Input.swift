import Agreements

extension Document {
    /// The fields a document is recorded with, in the order of `a:attach{…}`'s help.
    public static let inputNames = ["kind", "number", "date", "signatories", "file"]

    /// A document from input values by name (`a:attach{ kind=, number=, date=, signatories=,
    /// file= }`). `file` is kept as given; whoever records it hashes it (`sha256`).
    public init(values: [String: FieldValue]) throws {
        for name in values.keys.sorted() where !Self.inputNames.contains(name) {
            throw DomainError.validation("\(name): not a field of a document (\(Self.inputNames.joined(separator: ", ")))")
        }
        let kinds = DocumentKind.allCases.map(\.rawValue)
        guard let kindValue = values["kind"] else { throw DomainError.validation("kind: required (one of: \(kinds.joined(separator: ", ")))") }
        let text = OptionalCodec(wrapped: TextCodec())
        self.init(kind: try ChoiceCodec<DocumentKind>().decode(kindValue, field: "kind"),
                  number: try values["number"].flatMap { try text.decode($0, field: "number") },
                  date: try values["date"].flatMap { try OptionalCodec(wrapped: DateCodec()).decode($0, field: "date") },
                  file: try values["file"].flatMap { try text.decode($0, field: "file") })
        if case let .list(names)? = values["signatories"] {
            signatories = names.compactMap { if case let .text(name) = $0 { return name } else { return nil } }
        }
    }
}
