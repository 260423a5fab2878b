import Foundation
import GRDB

extension SinergiDatabase {
    /// The floor `sinergi bench store` compares `agreement add` with: `count` raw one-row inserts
    /// into `agreement`, one write transaction each, with none of the store's work (validation,
    /// parties, audit row); returns transactions per second.
    ///
    /// It writes rows outside the store's invariants (no audit row), so it is only for a
    /// database made for the benchmark; it lives here because no SQL leaves the store.
    public func benchmarkRawInserts(_ count: Int) throws -> Double {
        let start = Date()
        for index in 0..<count {
            try write { unit in
                try unit.writing { db in
                    try db.execute(sql: """
                        INSERT INTO agreement (number, title, kind, lead_agency, status, stage, created_at, updated_at)
                        VALUES (?, 'raw', 'ksdpk', 'x', 'draft', 'persiapan', '', '')
                        """, arguments: ["RAW/\(index)"])
                }
            }
        }
        return Double(count) / Date().timeIntervalSince(start)
    }
}
