import Agreements
import Foundation
import GRDB
import Testing
@testable import Store

/// Value checks with three or more values are spelt as `=` chains: SQLite would build a
/// temporary b-tree for an IN list of three or more at every row it checks.
@Suite struct ValueCheckMigrationTests {
    func definitions(_ db: Database) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            .map { ($0["name"] as String, $0["sql"] as String? ?? "") })
    }

    @Test func noTableChecksAValueAgainstAListOfThreeOrMore() throws {
        let fixture = try StoreFixture()
        let tables = try fixture.database.read { unit in try unit.reading { try definitions($0) } }
        #expect(tables.count > 10)
        for (name, sql) in tables {
            var rest = Substring(sql)
            while let start = rest.range(of: " IN (") {
                let list = rest[start.upperBound...].prefix { $0 != ")" }
                #expect(list.filter { $0 == "," }.count < 2, "table \(name) checks against \(list)")
                rest = rest[start.upperBound...]
            }
        }
        for check in SinergiDatabase.listedValueChecks {
            #expect(tables[check.table]?.contains(check.spelt) == true, "\(check.table).\(check.column)")
        }
    }

    /// A transition's writes: no statement opens a temporary table to check a value.
    @Test(arguments: [
        "INSERT INTO outbox (recipient, subject, body, created_by, created_at) VALUES ('role:x', 's', 'b', 'a', 't')",
        "INSERT INTO workflow_history (agreement_id, at, actor, kind, version) VALUES (1, 't', 'a', 'transition', 'v')",
        "UPDATE agreement SET status = 'active', kind = 'ksdd' WHERE id = 1",
        "UPDATE scheduled_fire SET state = 'done' WHERE id = 1",
    ])
    func checkingAWrittenValueOpensNoTemporaryTable(_ statement: String) throws {
        let fixture = try StoreFixture()
        let opcodes = try fixture.database.read { unit in
            try unit.reading { try Row.fetchAll($0, sql: "EXPLAIN \(statement)").map { $0["opcode"] as String } }
        }
        #expect(opcodes.contains("Insert") || opcodes.contains("Column"))
        #expect(!opcodes.contains("OpenEphemeral"))
    }

    @Test func theSpeltChecksStillRefuseOtherValues() throws {
        let fixture = try StoreFixture()
        try fixture.create(StoreFixture.agreement("C/1"))
        for statement in ["UPDATE agreement SET status = 'archived' WHERE id = 1",
                          "UPDATE agreement SET kind = 'KSDD' WHERE id = 1",
                          "INSERT INTO outbox (recipient, subject, body, created_by, created_at, status) VALUES ('role:x', 's', 'b', 'a', 't', 'queued')",
                          "INSERT INTO workflow_history (agreement_id, at, actor, kind, version) VALUES (1, 't', 'a', 'jump', 'v')"] {
            #expect(throws: StoreError.self, "\(statement)") { try fixture.tamper(statement) }
        }
        try fixture.tamper("UPDATE agreement SET status = 'terminated', ending_ground = 'kesepakatan' WHERE id = 1")
    }

    /// A database one migration behind: the rebuild keeps its rows, its indexes and its
    /// AUTOINCREMENT counters (an id whose row was deleted is not given again).
    @Test func rebuildingKeepsRowsIndexesAndCounters() throws {
        _ = SinergiDatabase.sqliteStarted
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-checks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("sinergi.db").path
        let indexQuery = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        let indexesBefore: [Row]
        do {
            let old = try DatabaseQueue(path: path)
            try SinergiDatabase.migrator.migrate(old, upTo: "2026-12-04 workflow timer attempts")
            indexesBefore = try old.write { (db: Database) throws -> [Row] in
                for number in ["C/1", "C/2", "C/3"] {
                    try db.execute(sql: """
                        INSERT INTO agreement (number, title, kind, lead_agency, status, stage, created_at, updated_at)
                        VALUES (?, 'x', 'ksdpk', 'Bappeda', 'draft', 'persiapan', 't', 't')
                        """, arguments: [number])
                }
                try db.execute(sql: "DELETE FROM agreement WHERE number = 'C/3'")
                try db.execute(sql: "INSERT INTO outbox (recipient, subject, body, agreement_id, created_by, created_at) VALUES ('role:x', 's', 'b', 2, 'a', 't')")
                #expect(try definitions(db)["agreement"]?.contains("status IN ('draft','active','expired','terminated')") == true)
                return try Row.fetchAll(db, sql: indexQuery)
            }
            try old.close()
        }
        let database = try SinergiDatabase(path: path)
        try database.read { unit in
            try unit.reading { (db: Database) throws -> Void in
                #expect(try String.fetchAll(db, sql: "SELECT number FROM agreement ORDER BY id") == ["C/1", "C/2"])
                #expect(try Int64.fetchOne(db, sql: "SELECT agreement_id FROM outbox") == 2)
                // Every index as it was, but the one a later migration redefines (open tasks only).
                let indexes = try Row.fetchAll(db, sql: indexQuery)
                let redefined = "workflow_task_open"
                #expect(indexes.filter { $0["name"] != redefined } == indexesBefore.filter { $0["name"] != redefined })
                #expect((indexes.first { $0["name"] == redefined }?["sql"] as String?)?.hasSuffix("WHERE closed_at IS NULL") == true)
                #expect(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE '%_rebuilt'").isEmpty)
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            }
        }
        let created = try database.write { try AgreementStore().create(StoreFixture.agreement("C/4"), by: User(id: "admin", name: "Admin", roles: ["admin"]),
                                                                        at: "t", in: $0) }
        #expect(created.id == 4)
    }
}
