import Agreements
import Foundation

/// The parties of an agreement: a list of `{ name, kind, form }` records; `kind[/form]:Name; …`
/// in a cell. They live in the `party` table, not in a column (`AgreementStore` writes them).
///
/// The count is checked before a list is read: a hostile list is refused at the cost of
/// counting it (`AgreementRules.maximumParties`).
struct PartiesCodec: FieldCodec {
    var type: FieldType { .list(.party) }

    func decode(_ value: FieldValue, field: String) throws -> [Party] {
        guard case let .list(items) = value else {
            throw mismatch(field, expected: "a list of parties like { { name = \"…\", kind = \"kabupaten\" } }", got: value)
        }
        try AgreementRules.requirePartyCount(items.count)
        return try items.enumerated().map { index, item in
            let place = "\(field)[\(index + 1)]"
            guard case let .record(entry) = item, case let .text(name)? = entry["name"] else {
                throw DomainError.validation("\(place): expected { name = \"…\", kind = \"…\" }")
            }
            guard case let .text(kindText)? = entry["kind"] else {
                throw DomainError.validation("\(place).kind: required (one of: \(PartyKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let kind = PartyKind(rawValue: kindText) else { throw invalid("\(place).kind", kindText, PartyKind.allCases.map(\.rawValue)) }
            var form: BusinessForm?
            switch entry["form"] {
            case nil, .null?: form = nil
            case let .text(formText)?:
                guard let known = BusinessForm(rawValue: formText) else {
                    throw invalid("\(place).form", formText, BusinessForm.allCases.map(\.rawValue))
                }
                form = known
            case let other?: throw mismatch("\(place).form", expected: "text", got: other)
            }
            return Party(name: name, kind: kind, form: form)
        }
    }

    func encode(_ value: [Party]) -> FieldValue {
        .list(value.map { party in
            var entry: [String: FieldValue] = ["name": .text(party.name), "kind": .text(party.kind.rawValue)]
            if let form = party.form { entry["form"] = .text(form.rawValue) }
            return .record(entry)
        })
    }

    func value(fromCell text: String, field: String) throws -> FieldValue {
        let items = listItems(text)
        try AgreementRules.requirePartyCount(items.count)
        return .list(try items.map { item in
            guard let colon = item.firstIndex(of: ":") else {
                throw DomainError.validation("\(field): '\(item)' should read kind:Name (e.g. kabupaten:Pemerintah Kabupaten Probolinggo)")
            }
            let kindPart = item[..<colon].split(separator: "/", maxSplits: 1).map(String.init)
            var entry: [String: FieldValue] = ["kind": .text(kindPart.first ?? ""),
                                               "name": .text(String(item[item.index(after: colon)...]).trimmingBlanks(newlines: false))]
            if kindPart.count == 2 { entry["form"] = .text(kindPart[1]) }
            return .record(entry)
        })
    }

    func cell(_ value: [Party]) -> String {
        value.map { party in party.kind.rawValue + (party.form.map { "/" + $0.rawValue } ?? "") + ":" + party.name }
            .joined(separator: "; ")
    }
}
