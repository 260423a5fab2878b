import Agreements
import Foundation
import Store
import Testing
@testable import ScriptHost

/// The office's forms of dates, money, statuses, partners and headers (issue #9 §1), and the
/// office register derived from the field table.
@Suite struct OfficeCellsTests {
    @Test func datesInEveryFormAnOfficeWrites() {
        let expected = LocalDate("2027-12-31")
        for text in ["31/12/2027", "31-12-2027", "31.12.2027", "2027-12-31", "2027-12-31 00:00:00", "31 Desember 2027",
                     "31 Des 2027", "31 December 2027", "46752", "31/12/2027 23:59:59", "2027-12-31 0:00"] {
            #expect(OfficeCells.date(text) == expected, "\(text)")
        }
        for text in ["31/02/2027", "2027", "12/31/2027", "31 Desembre 2027", "tomorrow", "31/12/27",
                     "2027-12-31 99:99:99", "2027-12-31 24:00", "2027-12-31 12:60", "2027-12-31 12", "2027-12-31 1:2:3:4", "2027-12-31 :"] {
            #expect(OfficeCells.date(text) == nil, "\(text)")
        }
    }

    /// Header and name keys keep what Foundation's `alphanumerics` keeps, over the Basic
    /// Multilingual Plane as both know it (the standard library's Unicode tables are a version
    /// ahead; past the BMP Foundation's misses letters of some historic scripts, Tangut among them).
    @Test func keysKeepExactlyFoundationsAlphanumerics() {
        let alphanumerics = CharacterSet.alphanumerics
        var differing: [UInt32] = []
        var compared = 0
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value), let age = scalar.properties.age, age.major < 16 else { continue }
            compared += 1
            if OfficeCells.isAlphanumeric(scalar) != alphanumerics.contains(scalar) { differing.append(value) }
        }
        #expect(compared > 50_000)
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(10).map { String($0, radix: 16) })")
        #expect(OfficeCells.key("Nilai (Rp)") == "nilairp")
        #expect(OfficeCells.key("Jenis Kerja Sama — KSDD/ΚΣ 2٠27") == "jeniskerjasamaksddκσ2٠27")
    }

    @Test func rupiahInEveryFormAnOfficeWritesAndNoFraction() {
        for text in ["Rp 1.250.000.000", "Rp1.250.000.000", "1.250.000.000,00", "1250000000", "Rp. 1.250.000.000,-", "RP 1.250.000.000",
                     "Rp\u{00A0}1.250.000.000"] {
            #expect(OfficeCells.rupiah(text) == "1250000000", "\(text)")
        }
        #expect(OfficeCells.rupiah("Rp 1.250.000,50") == nil)
        #expect(OfficeCells.rupiah("1.25.000") == nil)
        #expect(OfficeCells.rupiah("99999999999999999999") == nil)
        #expect(OfficeCells.rupiah("-1.000") == "-1000")
    }

    @Test func statusesAndPartnerKindsInTheOfficesWords() throws {
        let statuses = Status.allCases.map(\.rawValue)
        #expect(OfficeCells.choice("Aktif", names: statuses) == "active")
        #expect(OfficeCells.choice("BERAKHIR", names: statuses) == "expired")
        #expect(OfficeCells.choice("Draft", names: statuses) == "draft")
        #expect(OfficeCells.choice("KSDPK", names: Kind.allCases.map(\.rawValue)) == "ksdpk")
        #expect(OfficeCells.choice("Aktif", names: Kind.allCases.map(\.rawValue)) == nil)
        #expect(OfficeCells.choice("Kerja Sama Daerah dengan Pihak Ketiga", names: Kind.allCases.map(\.rawValue)) == "ksdpk")
        #expect(try OfficeCells.parties(names: "PT Air\nUniversitas Jember", kinds: "BUMD; Perguruan Tinggi", field: "parties")
                == "badan_usaha/bumd:PT Air; perguruan_tinggi:Universitas Jember")
        #expect(try OfficeCells.parties(names: "Koperasi A; Koperasi B", kinds: "Koperasi", field: "parties")
                == "badan_usaha/koperasi:Koperasi A; badan_usaha/koperasi:Koperasi B")
        #expect(try OfficeCells.parties(names: "kota:Pemerintah Kota Probolinggo", kinds: nil, field: "parties")
                == "kota:Pemerintah Kota Probolinggo")
        #expect(throws: DomainError.self) { try OfficeCells.parties(names: "A; B; C", kinds: "BUMN; BUMD", field: "parties") }
        #expect(throws: DomainError.self) { try OfficeCells.parties(names: "PT Maju: Cabang", kinds: nil, field: "parties") }
        // Each (kind, form) the office export writes reads back as itself.
        for kind in PartyKind.allCases {
            for form in [nil] + BusinessForm.allCases.map(Optional.some) where form == nil || kind == .badan_usaha {
                let party = Party(name: "x", kind: kind, form: form)
                #expect(OfficeCells.partyKind(OfficeCells.name(of: party)).map { Party(name: "x", kind: $0.kind, form: $0.form) } == party)
            }
        }
    }

    /// Drift check: every exchanged field is reachable by its name, its header and each alias,
    /// and no two fields (nor Jenis Mitra, nor the id) answer to the same header.
    @Test func everyHeaderAndAliasNamesOneFieldOnly() {
        var owner: [String: String] = ["id": "id", OfficeCells.key(OfficeCells.partyKindsHeader): "Jenis Mitra"]
        for field in AgreementExchange.exchanged {
            for header in Set(([field.name, field.header] + field.aliases).map(OfficeCells.key)) {
                #expect(owner[header] == nil, "\(header) names both \(owner[header] ?? "") and \(field.name)")
                owner[header] = field.name
            }
        }
        let layout = ColumnLayout(header: CSVTable.Record(line: 1, fields: AgreementExchange.officeHeader), map: [:])
        #expect(layout.notes.isEmpty && layout.errors.isEmpty)
        #expect(layout.fields.compactMap { $0?.name } == AgreementExchange.columns)
    }

    @Test func excelsSepLineSetsTheSeparatorAndLinesStillCount() {
        // The header has more `;` than `,`: only the sep= line says the separator is `,`.
        let plan = AgreementExchange.readCSV("sep=,\r\nNomor Perjanjian,Jenis,Tanggal Berakhir,Judul;Perihal;Catatan\r\n"
                                             + "180/1/2025,ksdpk,31/13/2027,a\r\n180/2/2025,,,b\r\n")
        #expect(plan.errors.map(\.line) == [3, 4], "\(plan.errors)")
        #expect(plan.notes == ["column 'Judul;Perihal;Catatan' is not a field: left out (--map 'Judul;Perihal;Catatan=FIELD' reads it)"])
        #expect(plan.errors.first?.message == "column 'Tanggal Berakhir': ends_on: '31/13/2027' is not a date (\(OfficeCells.dateForms))")
        #expect(plan.errors.last?.message == "kind: required (one of: ksdd, ksdpk, sinergi, ksdpl, ksdll)")
    }

    @Test func titleRowsAboveTheHeaderAreLeftOutWithANote() {
        let plan = AgreementExchange.readCSV("DAFTAR KERJA SAMA DAERAH;;\nKabupaten Probolinggo 2025;;\n;;\nNomor Perjanjian;Jenis;Perihal\n180/1/2025;KSDPK;Air\n")
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        #expect(plan.notes == ["the header is on line 4; the lines above it are left out"])
        #expect(plan.rows.map(\.line) == [5])
        #expect(plan.rows.first?.values["title"] == .text("Air"))
    }

    @Test func aStageAsTheOfficeWritesItIsItsKindsStage() {
        let plan = AgreementExchange.readCSV("Nomor Perjanjian;Jenis;Status;Tahap\n1;KSDPK;Aktif;Penyusunan KB\n2;ksdd;Draft;PELAKSANAAN\n3;ksdpk;Aktif;tahap lain\n")
        #expect(plan.errors.isEmpty)
        #expect(plan.rows.map { $0.values["stage"] } == [.text("penyusunan_kb"), .text("pelaksanaan"), .text("tahap lain")])
        #expect(plan.rows.map { $0.values["status"] } == [.text("active"), .text("draft"), .text("active")])
    }

    @Test func aStatusWithoutAStageIsNotedNotSilent() {
        let plan = AgreementExchange.readCSV("Nomor Perjanjian;Jenis;Status\n1;ksdpk;Aktif\n2;ksdpk;Draft\n3;ksdd;Berakhir\n")
        #expect(plan.errors.isEmpty)
        #expect(plan.notes == ["2 rows (from line 2) give a status but no stage: the stage is the kind's first (persiapan); a Tahap column keeps it"])
    }
}
