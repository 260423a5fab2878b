import Agreements
import Foundation
import ScriptHost
import Store

/// `sinergi bench store`: 100,000 generated agreements in a fresh workspace database; indexed
/// `agreements.find` latency and a full Lua scan through the real API; `agreement add`
/// transactions per second against a raw one-row insert (`SinergiDatabase.benchmarkRawInserts`),
/// both with synchronous=FULL, in the same run.
public enum StoreBenchmark {
    public struct Result: Sendable {
        public var agreements: Int
        public var generateSeconds: Double
        public var indexedFindMilliseconds: Double
        public var indexedFindRows: Int
        public var countMilliseconds: Double
        public var fullScanMilliseconds: Double
        /// Python's sqlite3 reading the same two fields of every agreement (nil without python3).
        public var pythonScanMilliseconds: Double?
        public var addPerSecond: Double
        public var rawInsertPerSecond: Double
        public var writeRatio: Double { addPerSecond / rawInsertPerSecond }
    }

    static let agencies = (1...20).map { "Dinas Contoh \($0)" }

    public static func run(count: Int = 100_000, writes: Int = 200, folder: URL) throws -> Result {
        let workspace = try WorkspaceInitializer.create(at: folder, admin: "bench", login: "bench", sample: false)
        let admin = try workspace.actingUser(requested: nil, osLogin: "bench")
        let store = workspace.agreements
        let base = LocalDate("2025-01-01") ?? LocalDate(dayNumber: 0)
        let kinds: [(Kind, Subkind?, PartyKind)] = [(.ksdd, .sukarela, .kabupaten), (.ksdpk, nil, .badan_usaha),
                                                    (.sinergi, nil, .kementerian), (.ksdpk, nil, .perguruan_tinggi)]
        var start = Date()
        try workspace.database.write { unit in
            for index in 0..<count {
                let (kind, subkind, partyKind) = kinds[index % kinds.count]
                let starts = base.adding(days: index % 1500)
                let agreement = Agreement(
                    number: "BENCH/\(index)", title: "Kerja sama contoh \(index)", kind: kind, subkind: subkind,
                    leadAgency: agencies[index % agencies.count],
                    parties: [Party(name: "Mitra Contoh \(index % 5000)", kind: partyKind)],
                    value: Int64(index) * 1000, startsOn: starts, endsOn: starts.adding(days: 365 + index % 1400),
                    status: index % 3 == 0 ? .draft : .active, stage: kind.stages[index % 5])
                try store.create(agreement, by: admin, at: "2026-01-01T00:00:00+07:00", in: unit)
            }
        }
        let generateSeconds = Date().timeIntervalSince(start)

        let session = try ScriptSession(workspace: workspace, actor: admin, readOnly: true, output: { _ in })
        func time(_ chunk: String, rounds: Int) throws -> (Double, Int) {
            var samples: [Double] = []
            var rows = 0
            for _ in 0..<rounds {
                let begin = DispatchTime.now().uptimeNanoseconds
                let results = try session.eval(chunk)
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
                if case let .integer(n)? = results.first { rows = Int(n) }
            }
            return (samples.sorted()[samples.count / 2], rows)
        }
        let (find, found) = try time("""
            local n = 0
            for a in agreements.find{ lead_agency = "Dinas Contoh 7", expires_before = date("2026-03-01") } do n = n + 1 end
            return n
            """, rounds: 21)
        let (countTime, _) = try time("return agreements.count{ kind = 'ksdpk', status = 'active' }", rounds: 21)
        let (scan, _) = try time("""
            local n = 0
            for a in agreements.find{} do if a.value and a.ends_on then n = n + 1 end end
            return n
            """, rounds: 5)
        let python = PythonScanBaseline.milliseconds(database: workspace.database.path)

        start = Date()
        for index in 0..<writes {
            try workspace.database.write { unit in
                let agreement = Agreement(number: "WRITE/\(index)", title: "Tambahan \(index)", kind: .ksdpk,
                                          leadAgency: "Dinas Contoh 1", parties: [Party(name: "Mitra", kind: .ormas)])
                try store.create(agreement, by: admin, at: "2026-01-01T00:00:00+07:00", in: unit)
            }
        }
        let addRate = Double(writes) / Date().timeIntervalSince(start)
        let rawRate = try workspace.database.benchmarkRawInserts(writes)
        return Result(agreements: count, generateSeconds: generateSeconds, indexedFindMilliseconds: find,
                      indexedFindRows: found, countMilliseconds: countTime, fullScanMilliseconds: scan,
                      pythonScanMilliseconds: python, addPerSecond: addRate, rawInsertPerSecond: rawRate)
    }
}
