import Agreements
import Foundation
import GRDB
import Testing
@testable import Store

/// The field table and what is derived from it: the schema's columns, the SQLite row, CSV cells,
/// JSON and the audit snapshot. A field added to the table without its migration, or a
/// derivation that leaves a field out, fails here.
@Suite struct AgreementFieldTests {
    /// Two valid agreements that between them give every editable field a value other than its
    /// default (a KSDD and a Sinergi: subkind and third parties exclude each other).
    static let samples: [Agreement] = {
        var ksdd = Agreement(number: "F/1", title: "Semua kolom", kind: .ksdd, subkind: .sukarela, leadAgency: "Dinas Lingkungan Hidup",
                             parties: [Party(name: "Pemerintah Kabupaten Probolinggo", kind: .kabupaten)],
                             object: "Sampah", scope: "Angkutan", value: 1_500_000, funding: "APBD", membebaniMasyarakat: true,
                             belumDianggarkan: true, startsOn: LocalDate("2026-01-01"), endsOn: LocalDate("2030-12-31"),
                             pksStartsOn: LocalDate("2026-02-01"), pksEndsOn: LocalDate("2027-01-31"), status: .terminated,
                             stage: "pelaksanaan", endingGround: .kesepakatan_para_pihak, pksClauses: [.objek, .sanksi])
        ksdd.parties.append(Party(name: "Pemerintah Kota Pasuruan", kind: .kota))
        let sinergi = Agreement(number: "F/2", title: "Sinergi", kind: .sinergi, leadAgency: "Dinas Komunikasi dan Informatika",
                                parties: [Party(name: "Badan Pusat Statistik", kind: .lembaga)],
                                thirdParties: ["PT Survei Contoh", "Universitas Contoh"])
        ksdd.notes = "Diperpanjang; lihat adendum"
        return [ksdd, sinergi]
    }()

    @Test func theSamplesSetEveryEditableField() {
        let blank = Agreement(number: "", title: "", kind: .ksdd, leadAgency: "")
        for field in AgreementField.all where field.isEditable {
            #expect(Self.samples.contains { field.value(of: $0) != field.value(of: blank) },
                    "no sample sets \(field.name): give one of AgreementFieldTests.samples a value for it")
        }
    }

    /// Every text a field holds is checked before a write — a field added to the table too:
    /// with a NUL in it (SQLite would store it cut short) the write is refused, naming the field.
    @Test func everyTextFieldRefusesNULBeforeAWrite() throws {
        func withNUL(_ value: FieldValue) -> FieldValue? {
            switch value {
            case let .text(text): return .text(text + "\u{0}x")
            case let .list(values):
                guard let first = values.first, let changed = withNUL(first) else { return nil }
                return .list([changed] + values.dropFirst())
            case let .record(fields):
                // A party's name (its kind and form are choices).
                guard let text = fields["name"], let changed = withNUL(text) else { return nil }
                let key = "name"
                var copy = fields
                copy[key] = changed
                return .record(copy)
            default: return nil
            }
        }
        var checked: [String] = []
        for field in AgreementField.all where field.isEditable {
            guard let assign = field.assign,
                  let sample = Self.samples.first(where: { withNUL(field.value(of: $0)) != nil }),
                  let hostile = withNUL(field.value(of: sample)) else { continue }
            var agreement = sample
            // A choice refuses the text itself (it is none of its names): nothing to store.
            guard (try? assign(&agreement, hostile)) != nil else { continue }
            #expect(throws: DomainError.validation("\(field.name): holds a NUL character (U+0000), which Sinergi cannot store; remove it")) {
                try AgreementField.validate(agreement, rules: AgreementRules())
            }
            checked.append(field.name)
        }
        #expect(checked.contains("title") && checked.contains("parties") && checked.contains("notes"), "\(checked)")
    }

    @Test func everyColumnFieldHasItsColumnAndEveryColumnItsField() throws {
        let fixture = try StoreFixture()
        let columns = try fixture.database.read { unit in
            try unit.reading { try Row.fetchAll($0, sql: "PRAGMA table_info(agreement)").map { $0["name"] as String } }
        }
        let fields = AgreementField.all.filter { $0.storage == .column }.map(\.name)
        #expect(Set(columns) == Set(fields + ["id", "created_at", "updated_at"]),
                "add a named migration for a new column field (SinergiDatabase.migrator)")
    }

    @Test func everyFieldRoundTripsThroughSQLite() throws {
        let fixture = try StoreFixture()
        for sample in Self.samples {
            let stored = try fixture.create(sample)
            let loaded = try fixture.database.read { try fixture.store.agreement(id: try #require(stored.id), in: $0) }
            var expected = sample
            expected.id = stored.id
            #expect(loaded == expected)
        }
    }

    @Test func everyExchangedFieldRoundTripsThroughCellsAndJSON() throws {
        for sample in Self.samples {
            var fromCells = Agreement(number: "", title: "", kind: sample.kind, leadAgency: "")
            var fromJSON = fromCells
            let exchanged = AgreementField.all.filter(\.isExchanged)
            try AgreementField.apply(AgreementField.values(fromCells: exchanged.filter { !$0.isFixed }.map { ($0.name, $0.cell(of: sample)) }),
                                     to: &fromCells)
            let json = try JSONSerialization.data(withJSONObject: exchanged.reduce(into: [String: Any]()) { $0[$1.name] = $1.value(of: sample).jsonObject })
            let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            try AgreementField.apply(object.mapValues { try FieldValue(json: $0, field: "?") }, to: &fromJSON)
            for field in exchanged {
                #expect(field.value(of: fromCells) == field.value(of: sample), "\(field.name) through a cell")
                #expect(field.value(of: fromJSON) == field.value(of: sample), "\(field.name) through JSON")
            }
        }
    }

    @Test func theSnapshotKeepsEveryStoredFieldUnderItsNameInSortedOrder() throws {
        let snapshot = Snapshot.json(Self.samples[1])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(snapshot.utf8)) as? [String: Any])
        let audited = AgreementField.all.filter(\.isAudited).map(\.name)
        #expect(Set(object.keys) == Set(audited))
        #expect(object["third_parties"] as? [String] == ["PT Survei Contoh", "Universitas Contoh"])
        let positions = audited.sorted().compactMap { snapshot.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == audited.count && positions == positions.sorted())
    }

    @Test func inputNamesTheFieldAndHintsANearMiss() {
        #expect(throws: DomainError.validation("titel: not a field of an agreement (did you mean title?)")) {
            try AgreementField.agreement(from: ["kind": .text("ksdpk"), "titel": .text("x")])
        }
        #expect(throws: DomainError.validation("needs_dprd_approval: a read-only field of an agreement; it cannot be set")) {
            try AgreementField.values(fromCells: [("needs_dprd_approval", "true")])
        }
        #expect(throws: DomainError.validation("kind: required (one of: ksdd, ksdpk, sinergi, ksdpl, ksdll)")) {
            try AgreementField.agreement(from: ["title": .text("x")])
        }
        var agreement = Self.samples[0]
        #expect(throws: DomainError.validation("kind: an agreement's kind cannot change (ksdd); create a new agreement")) {
            try AgreementField.apply(["kind": .text("sinergi")], to: &agreement)
        }
        #expect(throws: DomainError.validation("value: expected a whole number of rupiah, got 1.5")) {
            try AgreementField.apply(["value": .number(1.5)], to: &agreement)
        }
        // An empty cell clears an optional field; `false` does too (Lua's way of saying none).
        #expect(throws: Never.self) { try AgreementField.apply(AgreementField.values(fromCells: [("ends_on", "")]), to: &agreement) }
        #expect(throws: Never.self) { try AgreementField.apply(["subkind": .boolean(false)], to: &agreement) }
        #expect(agreement.endsOn == nil && agreement.subkind == nil)
    }

    @Test func theDatabaseRefusesThirdPartiesOnAnythingButASinergi() throws {
        let fixture = try StoreFixture()
        var ksdpk = StoreFixture.agreement("A/1")
        ksdpk.thirdParties = ["PT Contoh"]
        #expect(throws: DomainError.self) { try fixture.create(ksdpk) }
        let id = try #require(try fixture.create(StoreFixture.agreement("A/2")).id)
        // Even a hand-written row cannot break the rule: the column's CHECK refuses it.
        #expect(throws: StoreError.self) { try fixture.tamper("UPDATE agreement SET third_parties = '[\"X\"]' WHERE id = ?", arguments: [id]) }
        #expect(throws: StoreError.self) { try fixture.tamper("UPDATE agreement SET third_parties = 'X' WHERE id = ?", arguments: [id]) }
    }
}
