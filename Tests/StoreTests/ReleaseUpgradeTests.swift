import Agreements
import Foundation
import GRDB
import Testing
@testable import Store

/// Upgrades keep data (issue #8 §8): a database written by the previous release opens with
/// today's `SinergiDatabase`, which migrates it, and every record and audit row is still what
/// that release wrote.
///
/// The fixture `Fixtures/release-d945451.db` was made by the release at commit d945451 itself
/// (`Fixtures/make-release-d945451.sh`, running `release-d945451-populate.lua` as `admin` and
/// `release-d945451-amend.lua` as `sari`); the records below spell out what those scripts wrote.
@Suite struct ReleaseUpgradeTests {
    /// A copy of the fixture in a fresh temporary folder (the committed file is never opened).
    final class Copy {
        let folder: URL
        let path: String

        init() throws {
            // SQLite's process-wide settings come first, as in the CLI, where every connection is a
            // SinergiDatabase (this test opens the old file with GRDB itself).
            _ = SinergiDatabase.sqliteStarted
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/release-d945451.db")
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-upgrade-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            path = folder.appendingPathComponent("sinergi.db").path
            try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    static let oldMigrations = ["2026-11-30 agreements", "2026-11-30 audit log", "2026-11-30 composite query indexes"]

    static func date(_ text: String) -> LocalDate? { LocalDate(text) }

    /// What the two runs of the old release wrote, agreement by agreement.
    static let written: [Agreement] = [
        Agreement(id: 1, number: "UJI/001/KSDD/2024", title: "Pengelolaan sampah regional — TPA “bersama”", kind: .ksdd,
                  subkind: .sukarela, leadAgency: "Dinas Lingkungan Hidup",
                  parties: [Party(name: "Pemerintah Kabupaten Probolinggo", kind: .kabupaten)],
                  object: "Pengelolaan sampah", scope: "Pengangkutan dan pemrosesan akhir", value: 1_250_000_000,
                  funding: "APBD kedua daerah", membebaniMasyarakat: true,
                  startsOn: date("2024-03-01"), endsOn: date("2028-12-31"), pksStartsOn: date("2024-06-03"), pksEndsOn: date("2028-12-31"),
                  status: .active, stage: "pelaksanaan",
                  pksClauses: [.maksud_tujuan, .objek, .ruang_lingkup, .pelaksanaan, .hak_kewajiban, .pembiayaan, .jangka_waktu,
                               .penyelesaian_perselisihan, .keadaan_kahar, .pengakhiran, .sanksi],
                  documents: [
                    Document(kind: .kesepakatan_bersama, number: "UJI/KB/001/2024", date: date("2024-03-01"),
                             signatories: ["Wali Kota Probolinggo", "Bupati Probolinggo"], recordedAt: "2026-11-30T09:00:00+07:00"),
                    Document(kind: .surat_permohonan_dprd, number: "UJI/DPRD/001/2024", date: date("2024-03-11"),
                             recordedAt: "2026-11-30T09:00:00+07:00"),
                    Document(kind: .surat_persetujuan_dprd, number: "UJI/DPRD/002/2024", date: date("2024-04-22"),
                             signatories: ["Ketua DPRD Kota Probolinggo"], recordedAt: "2026-11-30T09:00:00+07:00"),
                    // The SHA-256 of the file's text, "PKS UJI/001/KSDD/2024 (fixture)\n".
                    Document(kind: .pks, number: "UJI/PKS/001/2024", date: date("2024-06-03"),
                             signatories: ["Kepala Dinas Lingkungan Hidup (surat kuasa)", "Kepala Dinas Lingkungan Hidup Kabupaten"],
                             file: "arsip/pks-001.txt", sha256: "14dcb2dfe458839d341dc8d4931fbfa80540a4ee80747a7b39645c830d044e2a",
                             recordedAt: "2026-11-30T09:00:00+07:00"),
                    Document(kind: .laporan_semester, number: "UJI/LAP/001/2026", date: date("2026-07-10"),
                             recordedAt: "2026-12-01T10:30:00+07:00"),
                  ]),
        Agreement(id: 2, number: "UJI/002/KSDD/2026", title: "Pengendalian banjir lintas batas", kind: .ksdd, subkind: .wajib,
                  leadAgency: "Dinas Pekerjaan Umum dan Penataan Ruang",
                  parties: [Party(name: "Pemerintah Provinsi Jawa Timur", kind: .provinsi)]),
        Agreement(id: 3, number: "UJI/003/KSDPK/2025", title: "Perluasan sambungan air bersih", kind: .ksdpk,
                  leadAgency: "Bagian Perekonomian",
                  parties: [Party(name: "Perumda Air Minum Contoh Rekaan", kind: .badan_usaha, form: .bumd)],
                  object: "Layanan air bersih", value: 3_400_000_000, funding: "BUMD dan APBD", belumDianggarkan: true,
                  startsOn: date("2025-10-01"), endsOn: date("2030-09-30"), pksStartsOn: date("2026-01-05"), pksEndsOn: date("2030-09-30"),
                  status: .active, stage: "pelaksanaan"),
        Agreement(id: 4, number: "UJI/004/SINERGI/2026", title: "Sinergi integrasi terminal tipe A", kind: .sinergi,
                  leadAgency: "Dinas Perhubungan",
                  parties: [Party(name: "Kementerian Contoh Perhubungan", kind: .kementerian),
                            Party(name: "Universitas Negeri Contoh", kind: .perguruan_tinggi)],
                  object: "Terminal penumpang tipe A", funding: "APBN dan APBD", membebaniMasyarakat: true,
                  startsOn: date("2027-01-01"), endsOn: date("2031-12-31"), stage: "persetujuan_dprd"),
        Agreement(id: 5, number: "UJI/005/KSDPK/2023", title: "Gerai bersama produk UMKM", kind: .ksdpk,
                  leadAgency: "Dinas Koperasi dan Usaha Mikro",
                  parties: [Party(name: "Koperasi Contoh Sejahtera", kind: .badan_usaha, form: .koperasi)],
                  startsOn: date("2023-02-01"), endsOn: date("2027-12-31"), status: .terminated, stage: "pelaksanaan",
                  endingGround: .pailit),
        Agreement(id: 6, number: "UJI/006/KSDPL/2026", title: "Kota kembar (rekaan)", kind: .ksdpl, leadAgency: "Bagian Pemerintahan",
                  parties: [Party(name: "Kota Rekaan di Luar Negeri", kind: .luar_negeri)], stage: "penjajakan"),
    ]

    /// The audit rows: id, time, actor, action, agreement id.
    static let audited: [(Int64, String, String, String, Int64)] = {
        let first = "2026-11-30T09:00:00+07:00", second = "2026-12-01T10:30:00+07:00"
        return [(1, first, "admin", "create", 1)] + (2...5).map { ($0, first, "admin", "attach", 1) }
            + (6...10).map { ($0, first, "admin", "create", $0 - 4) }
            + [(11, second, "sari", "update", 3), (12, second, "sari", "attach", 1)]
    }()

    /// The last row's hash as the old release wrote it: a chain that verifies up to it has every
    /// row exactly as written.
    static let head = "8675c3fb514aadf28c820263385f63d0cacf380456423b9a32ff11625924439c"

    @Test func theFixtureIsTheOldSchema() throws {
        let copy = try Copy()
        let queue = try DatabaseQueue(path: copy.path)
        try queue.read { db throws in
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") == Self.oldMigrations)
            #expect(try !db.tableExists("configuration_seen"))
        }
    }

    @Test func openingMigratesAndKeepsEveryAgreementPartyAndDocument() throws {
        let copy = try Copy()
        let database = try SinergiDatabase(path: copy.path)
        try database.read { (unit: StoreUnit) throws in
            let store = AgreementStore()
            #expect(try store.count(AgreementFilter(), in: unit) == Self.written.count)
            for expected in Self.written {
                let id = try #require(expected.id)
                #expect(try store.agreement(id: id, in: unit) == expected)
            }
        }
        try DatabaseQueue(path: copy.path).read { db throws in
            #expect(try SinergiDatabase.migrator.hasCompletedMigrations(db))
            #expect(try db.tableExists("configuration_seen"))
            let stamps = try Row.fetchAll(db, sql: "SELECT created_at, updated_at FROM agreement ORDER BY id")
                .map { [$0[0] as String, $0[1] as String] }
            let first = "2026-11-30T09:00:00+07:00"
            #expect(stamps == [[first, first], [first, first], [first, "2026-12-01T10:30:00+07:00"], [first, first], [first, first], [first, first]])
        }
    }

    @Test func theAuditChainSurvivesTheUpgradeAndGrowsOnIt() throws {
        let copy = try Copy()
        let database = try SinergiDatabase(path: copy.path)
        let entries = try database.read { (unit: StoreUnit) throws -> [AuditEntry] in
            #expect(try AuditLog.verify(in: unit) == .intact(rows: Self.audited.count))
            return Array(try AuditLog.entries(in: unit).reversed())
        }
        #expect(entries.map { [String($0.id), $0.at, $0.actor, $0.action, $0.entity, $0.entityId.map(String.init) ?? "-"] }
                == Self.audited.map { [String($0.0), $0.1, $0.2, $0.3, "agreement", String($0.4)] })
        #expect(entries.last?.hash == Self.head)
        #expect(entries.allSatisfy { $0.after != nil } && entries.filter { $0.before != nil }.map(\.id) == [11])

        // A change made by today's code continues the old chain.
        let admin = User(id: "admin", name: "Admin", roles: ["admin"])
        try database.write { (unit: StoreUnit) throws in
            var air = try #require(try AgreementStore().agreement(id: 3, in: unit))
            air.scope = "Perluasan sambungan rumah"
            _ = try AgreementStore().update(air, by: admin, at: "2026-12-02T08:00:00+07:00", in: unit)
        }
        try database.read { (unit: StoreUnit) throws in
            #expect(try AuditLog.verify(in: unit) == .intact(rows: Self.audited.count + 1))
            #expect(try AuditLog.entries(limit: 1, in: unit).first?.prevHash == Self.head)
        }

        // The old release's snapshots (Swift names, `"form":null`) still catch a hand edit.
        try database.write { unit in try unit.writing { try $0.execute(sql: "UPDATE agreement SET ends_on = '2028-12-30' WHERE id = 1") } }
        let verdict = try database.read { try AuditLog.verify(in: $0) }
        #expect(verdict == .recordDiffers(record: "agreement UJI/001/KSDD/2024 (id 1)", reason: #"ends_on is "2028-12-30" but its latest "#
                                          + #"audited state (audit_log row 1) says "2028-12-31": the record was changed outside Sinergi"#))
    }
}
