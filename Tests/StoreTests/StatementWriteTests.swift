import GRDB
import Testing
@testable import Store

/// `StatementWrite` and `StatementRows`' binding reads bind values with SQLite's own functions:
/// what is stored must be what GRDB's arguments would store — and all of a text with a NUL,
/// which GRDB's C-string binding cut short.
@Suite struct StatementWriteTests {
    static func withTable(_ body: (StoreUnit) throws -> Void) throws {
        let fixture = try StoreFixture()
        try fixture.database.write { unit in
            try unit.writing { try $0.execute(sql: "CREATE TEMP TABLE sample (id INTEGER PRIMARY KEY, n INTEGER, t TEXT, o TEXT UNIQUE)") }
            try body(unit)
        }
    }

    @Test func textIntegersAndNullsAreStoredAsGiven() throws {
        try Self.withTable { unit in
            let none: String? = nil
            try unit.writing { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO sample (id, n, t, o) VALUES (?, ?, ?, ?)")
                try StatementWrite.run(insert, Int64(1), Int64.min, "", none)
                try StatementWrite.run(insert, Int64(2), 7, "a\u{0}b ✓", Optional("o"))
            }
            let rows = try unit.reading { try Row.fetchAll($0, sql: "SELECT n, t, typeof(t), o, length(CAST(t AS BLOB)) FROM sample ORDER BY id") }
            #expect(rows[0][0] == Int64.min)
            #expect(rows[0][2] == "text")  // "" is text, not NULL
            #expect(rows[0][3] == nil as String?)
            #expect(rows[1][4] == 7 as Int64)  // all seven bytes, the NUL included
            let read = try unit.reading { db in
                try StatementRows.first(db.cachedStatement(sql: "SELECT t FROM sample WHERE id = ?"), binding: Int64(2)) { $0.text(0) }
            }
            #expect(read == "a\u{0}b ✓")
        }
    }

    @Test func aWrongCountOrABrokenConstraintIsAnErrorAndTheStatementIsReusable() throws {
        try Self.withTable { unit in
            try unit.writing { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO sample (id, n, t, o) VALUES (?, ?, ?, ?)")
                #expect(throws: StoreError.self) { try StatementWrite.run(insert, Int64(1), 1, "x") }
                try StatementWrite.run(insert, Int64(1), 1, "x", Optional("same"))
                #expect(throws: DatabaseError.self) { try StatementWrite.run(insert, Int64(2), 2, "y", Optional("same")) }
                try StatementWrite.run(insert, Int64(3), 3, "z", Optional("other"))
            }
            let count = try unit.reading { try Int.fetchOne($0, sql: "SELECT count(*) FROM sample") }
            #expect(count == 2)
            var seen: [Int64] = []
            try unit.reading { db in
                try StatementRows.each(db.cachedStatement(sql: "SELECT id FROM sample WHERE n >= ? ORDER BY id"), binding: 1) { seen.append($0.integer(0)) }
            }
            #expect(seen == [1, 3])
        }
    }
}
