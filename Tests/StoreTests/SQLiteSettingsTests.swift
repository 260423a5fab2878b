import GRDB
import GRDBSQLite
import Testing
@testable import Store

/// SQLite's process-wide settings, made before the first connection opens.
@Suite struct SQLiteSettingsTests {
    /// With memory statistics on, every allocation inside SQLite takes a global mutex (≈ 1,500
    /// lock and unlock calls a workflow transition). Off, SQLite counts nothing: the memory it
    /// reports in use stays 0 while a unit of work allocates.
    @Test func sqliteKeepsNoMemoryStatistics() throws {
        let fixture = try StoreFixture()
        try fixture.create(StoreFixture.agreement("S/1"))
        #expect(SinergiDatabase.sqliteStarted == SQLITE_OK)
        var current: sqlite3_int64 = -1, highest: sqlite3_int64 = -1
        #expect(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &current, &highest, 0) == SQLITE_OK)
        #expect(current == 0 && highest == 0)
    }
}
