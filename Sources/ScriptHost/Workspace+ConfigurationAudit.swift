import Foundation
import Store

extension Workspace {
    /// Audits a change to `sinergi.lua`'s users, roles or rules since the last load.
    ///
    /// Whoever can write the file can grant roles, and the file is outside the hash chain; so
    /// each load compares the file's `ConfigurationSummary` with the one the database kept, and a
    /// difference (the first load included) is one audit event — actor: the OS account that
    /// loaded it; what changed; the file's SHA-256 — written with the new summary in one
    /// transaction. The trail then shows who became what, and when it was first seen.
    /// An unchanged file costs one read and no write. A user who may only read the database
    /// cannot record a change (nor write anything under it); the next load that may write does.
    func noticeConfigurationChange(loadedBy login: String) throws {
        let summary = ConfigurationSummary(configuration)
        let text = summary.json
        if try database.read({ try ConfigurationLog.lastSeen(in: $0) })?.summary == text || database.isReadOnly { return }
        // A write unit takes the write lock first: two processes that load the changed file at
        // once record it once.
        try database.write { unit in
            let seen = try ConfigurationLog.lastSeen(in: unit)
            if seen?.summary == text { return }
            let old = seen.flatMap { ConfigurationSummary.decode($0.summary) }
            let changes = summary.changes(since: old)
            try ConfigurationLog.record(
                .init(summary: text, fileSHA256: configuration.fileSHA256),
                before: seen.map { old?.auditView(fileSHA256: $0.fileSHA256) ?? $0.summary },
                after: summary.auditView(fileSHA256: configuration.fileSHA256, changes: changes),
                actor: login, at: configuration.calendar.timestamp(of: Date()), in: unit)
        }
    }
}
