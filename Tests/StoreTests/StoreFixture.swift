import Agreements
import Foundation
import GRDB
@testable import Store

/// A fresh SQLite file in a temporary folder, removed when the fixture goes away.
final class StoreFixture {
    let folder: URL
    let database: SinergiDatabase
    let store = AgreementStore()
    let admin = User(id: "admin", name: "Admin", roles: ["admin"])

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-store-\(UUID().uuidString)")
        database = try SinergiDatabase(path: folder.appendingPathComponent("sinergi.db").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static func agreement(_ number: String, kind: Kind = .ksdpk, agency: String = "Bappeda", ends: String? = "2028-12-31",
                          party: String = "Universitas Contoh") -> Agreement {
        Agreement(number: number, title: "Kerja sama \(number)", kind: kind, subkind: kind == .ksdd ? .sukarela : nil,
                  leadAgency: agency,
                  parties: [Party(name: party, kind: kind == .ksdd ? .kabupaten : .perguruan_tinggi)],
                  value: 1000, startsOn: LocalDate("2026-01-01"), endsOn: ends.flatMap(LocalDate.init))
    }

    @discardableResult
    func create(_ agreement: Agreement) throws -> Agreement {
        try database.write { try store.create(agreement, by: admin, at: "2026-11-30T08:00:00+07:00", in: $0) }
    }

    /// Runs raw SQL in a write unit: to damage the database the way a hand edit would.
    func tamper(_ sql: String, arguments: StatementArguments = []) throws {
        try database.write { unit in try unit.writing { try $0.execute(sql: sql, arguments: arguments) } }
    }
}
