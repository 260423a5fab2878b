import Agreements
import Foundation
import LuaKit
import Store
import Testing
@testable import ScriptHost

/// What is derived from the field tables for script authors: the agreement's Lua fields, the
/// LuaLS stubs (`types/sinergi.lua`) and `help()`. A field added to `AgreementField.all` reaches
/// Lua by itself; the stubs file is checked in, so it fails here until it is brought up to date.
@Suite struct LuaStubsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theStubsFileHoldsTheGeneratedClasses() throws {
        let stubs = try String(contentsOf: Self.root.appendingPathComponent("types/sinergi.lua"), encoding: .utf8)
        #expect(stubs.contains(LuaStubs.generated),
                "types/sinergi.lua has drifted from the field tables; replace its generated part with:\n\(LuaStubs.generated)\n(then `make shipped`)")
    }

    @Test func everyLuaFieldIsInTheStubsAndInHelp() throws {
        let session = try ScriptHostFixture().session()
        let luaFields = Set(session.agreementFieldNames)
        let stubFields = Set(LuaStubs.generated.split(separator: "\n").drop { $0 != "---@class Agreement" }
            .compactMap { line -> String? in
                guard line.hasPrefix("---@field ") else { return nil }
                return String(line.dropFirst(10).prefix { $0 != " " && $0 != "?" })
            })
        #expect(luaFields == stubFields)
        let overview = ApiDocs.overview
        for name in luaFields {
            #expect(overview.contains(" \(name)"), "help() does not list \(name)")
            #expect(ApiDocs.entry(named: "a.\(name)") != nil, "help('a.\(name)') has no text")
        }
        #expect(ApiDocs.entry(named: "a.third_parties")?.hasPrefix("a.third_parties: string[] (editable)") == true)
    }

    /// Every field a script can set survives `agreements.create` from a table built from the
    /// fields' own Lua values, and reads back equal (same samples as the store's field tests).
    @Test func everyFieldRoundTripsThroughLua() throws {
        let fixture = try ScriptHostFixture()
        let blank = Agreement(number: "", title: "", kind: .ksdd, leadAgency: "")
        for field in AgreementField.all where field.isEditable {
            #expect(Self.samples.contains { field.value(of: $0) != field.value(of: blank) }, "no sample sets \(field.name)")
        }
        for sample in Self.samples {
            let source = "return agreements.create{ " + AgreementField.all.filter(\.isEditable).map { field in
                "\(field.name) = \(Self.lua(field.value(of: sample)))"
            }.joined(separator: ", ") + " }"
            _ = try fixture.eval(source)
            let session = try fixture.session()
            for field in AgreementField.all where field.storage != .identity {
                let read = try session.eval("return agreements.get('\(sample.number)').\(field.name)").first ?? .nil
                let value = try LuaFieldValue.value(read, field: field.name, expected: field.type) ?? .null
                #expect(value == field.value(of: sample), "\(field.name)")
            }
        }
    }

    static let samples: [Agreement] = [
        Agreement(number: "F/1", title: "Semua kolom", kind: .ksdd, subkind: .sukarela, leadAgency: "Dinas Lingkungan Hidup",
                  parties: [Party(name: "Pemerintah Kabupaten Probolinggo", kind: .kabupaten),
                            Party(name: "PT Contoh", kind: .kabupaten)],
                  object: "Sampah", scope: "Angkutan", value: 1_500_000, funding: "APBD", membebaniMasyarakat: true,
                  belumDianggarkan: true, startsOn: LocalDate("2026-01-01"), endsOn: LocalDate("2030-12-31"),
                  pksStartsOn: LocalDate("2026-02-01"), pksEndsOn: LocalDate("2027-01-31"), status: .terminated,
                  stage: "pelaksanaan", endingGround: .kesepakatan_para_pihak, pksClauses: [.objek, .sanksi]),
        Agreement(number: "F/2", title: "Sinergi", kind: .sinergi, leadAgency: "Dinas Komunikasi dan Informatika",
                  parties: [Party(name: "Badan Pusat Statistik", kind: .lembaga)],
                  thirdParties: ["PT Survei Contoh", "Universitas Contoh"], notes: "Diperpanjang; lihat adendum"),
    ]

    /// A field value as Lua source.
    static func lua(_ value: FieldValue) -> String {
        switch value {
        case .null: return "false"
        case let .text(text): return "\"\(text)\""
        case let .integer(number): return String(number)
        case let .number(number): return String(number)
        case let .boolean(flag): return String(flag)
        case let .date(date): return "date(\"\(date)\")"
        case let .list(values): return "{ " + values.map(lua).joined(separator: ", ") + " }"
        case let .record(fields): return "{ " + fields.sorted { $0.key < $1.key }.map { "\($0.key) = \(lua($0.value))" }.joined(separator: ", ") + " }"
        }
    }
}
