import Agreements
import Foundation
import GRDB

extension AuditLog {
    /// Checks that every agreement row equals its latest audited state, that every audited
    /// agreement still has its row, and then its documents and voids (`verifyEvidence`).
    ///
    /// The hash chain proves the trail was not edited; it says nothing of the records it
    /// describes. A hand edit of `ends_on` in the database file leaves the chain intact, so the
    /// records are compared too: each row's snapshot (the same `Snapshot.json` the store audits)
    /// against the `after` of the newest `create` or `update` entry for it, with the fields each
    /// later workflow move changed laid over it (`movedAgreement`), field by field (`differingField`).
    static func verifyRecords(in unit: StoreUnit) throws -> Verdict? {
        let audited = try unit.reading { db in
            var latest: [Int64: (row: Int64, after: SnapshotValues)] = [:]
            // A move's row has a `before` (the fields it changed); other workflow rows have none.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, entity_id, entity, after FROM audit_log
                WHERE ((entity = 'agreement' AND action IN ('create', 'update')) OR (entity = 'workflow' AND before IS NOT NULL))
                  AND entity_id IS NOT NULL ORDER BY id
                """)
            while let row = try rows.next() {
                guard let after = row[3] as String? else { continue }
                let id: Int64 = row[1]
                if row[2] as String == "workflow" {
                    // A move of an agreement with no whole snapshot before it stays unaudited.
                    if let base = latest[id] { latest[id] = (row[0], base.after.overlaid(by: SnapshotValues(after).member(movedAgreement))) }
                } else {
                    latest[id] = (row[0], SnapshotValues(after))
                }
            }
            return latest
        }
        var unseen = Set(audited.keys)
        let current = try AgreementStore().all(AgreementFilter(includeVoided: true), withParties: true, in: unit)
        for agreement in current {
            guard let id = agreement.id else { continue }
            unseen.remove(id)
            let record = "agreement \(agreement.number) (id \(id))"
            guard let entry = audited[id] else {
                return .recordDiffers(record: record, reason: "it has no audit entry (it was inserted outside Sinergi)")
            }
            if let field = differingField(audited: entry.after, current: SnapshotValues(Snapshot.json(agreement))) {
                return .recordDiffers(record: record, reason: "\(field.name) is \(field.current) but its latest audited state "
                                      + "(audit_log row \(entry.row)) says \(field.audited): the record was changed outside Sinergi")
            }
        }
        if let missing = unseen.min() {
            return .recordDiffers(record: "agreement id \(missing)",
                                  reason: "it is in the audit trail but not in the database (it was deleted outside Sinergi)")
        }
        let numbers = Dictionary(current.compactMap { agreement in agreement.id.map { ($0, agreement.number) } }) { first, _ in first }
        return try verifyEvidence(numbers: numbers, in: unit) ?? verifyWorkflows(numbers: numbers, in: unit)
    }

    /// The first field, by name, whose value differs between two snapshots, with both values as
    /// JSON. For agreements only fields both snapshots hold are compared (an older snapshot lacks
    /// later fields, such as `third_parties`, and kept `documents`, which have their own rows
    /// now); a document's JSON leaves out what is nil, so `everyField` compares a field one side
    /// lacks too (shown as `-`).
    static func differingField(audited: String, current: String,
                               everyField: Bool = false) -> (name: String, audited: String, current: String)? {
        differingField(audited: SnapshotValues(audited), current: SnapshotValues(current), everyField: everyField)
    }

    static func differingField(audited before: SnapshotValues, current after: SnapshotValues,
                               everyField: Bool = false) -> (name: String, audited: String, current: String)? {
        let names = everyField ? Set(before.values.keys).union(after.values.keys) : Set(before.values.keys)
        for name in names.sorted() where everyField || after.values[name] != nil {
            let old = before.text(of: name), new = after.text(of: name)
            if old != new { return (name, old, new) }
        }
        return nil
    }
}

/// A snapshot's fields as JSON fragments, for comparing and showing values one field at a time.
public struct SnapshotValues {
    /// The top-level fields of the snapshot.
    public let values: [String: Any]

    private init(values: [String: Any]) { self.values = values }

    /// These fields with `other`'s laid over them: a snapshot followed by a change of some fields.
    func overlaid(by other: SnapshotValues) -> SnapshotValues {
        SnapshotValues(values: values.merging(other.values) { _, new in new })
    }

    /// The fields of the object `name` holds (none when it holds no object).
    public func member(_ name: String) -> SnapshotValues {
        SnapshotValues(values: values[name] as? [String: Any] ?? [:])
    }

    /// These fields without `name`.
    func removing(_ name: String) -> SnapshotValues {
        var rest = values
        rest[name] = nil
        return SnapshotValues(values: rest)
    }

    /// Parses `json`; text that is not a JSON object has no fields.
    ///
    /// Snapshots written by the first release (d945451) encoded `Agreement` with its Swift
    /// names (`endsOn`) and wrote `"form":null` in a party; both are read as today's snapshot
    /// writes them (`ends_on`, no null member), so that old rows compare and show alike.
    public init(_ json: String?) {
        let object = json.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any] ?? [:]
        var values: [String: Any] = [:]
        for (key, value) in object { values[Self.snakeCase(key)] = Self.withoutNullMembers(value) }
        self.values = values
    }

    /// `endsOn` → `ends_on`; a name already in snake case is unchanged.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { out, character in
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
    }

    /// The value with null members of nested objects left out (a top-level null stays a value).
    static func withoutNullMembers(_ value: Any) -> Any {
        if let array = value as? [Any] { return array.map(withoutNullMembers) }
        guard let object = value as? [String: Any] else { return value }
        return object.filter { !($0.value is NSNull) }.mapValues(withoutNullMembers)
    }

    /// A field's value as compact JSON with sorted keys (`"2027-01-31"`, `null`, `[…]`); `-` when absent.
    public func text(of name: String) -> String {
        guard let value = values[name],
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        else { return "-" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The fields whose values differ from `other`'s, by name: `ends_on: "2027-01-31" → "2028-01-31"`.
    public func changes(to other: SnapshotValues) -> [String] {
        Set(values.keys).union(other.values.keys).sorted().compactMap { name in
            let old = text(of: name), new = other.text(of: name)
            return old == new ? nil : "\(name): \(Self.plain(old)) → \(Self.plain(new))"
        }
    }

    /// A JSON string without its quotes, for people; other values as they are.
    static func plain(_ json: String) -> String {
        guard json.count >= 2, json.hasPrefix("\""), json.hasSuffix("\""), !json.dropFirst().dropLast().contains("\"") else { return json }
        return String(json.dropFirst().dropLast())
    }
}
