import Agreements
import Foundation
import GRDB

extension SinergiDatabase {
    /// Copies the database to a new file at `path` with SQLite's online backup: a consistent
    /// snapshot as of one commit, taken while other processes keep reading and writing (a plain
    /// file copy of a WAL database can catch it half-written).
    ///
    /// Refuses a `path` that exists (or is a link), so a backup never overwrites anything. The
    /// copy is a complete database: restoring is putting it back as `.sinergi/sinergi.db`.
    ///
    ///     try workspace.database.backup(to: "/srv/arsip/sinergi-2027-01-31.db")
    public func backup(to path: String) throws {
        var status = stat()
        guard lstat(path, &status) != 0 else {
            throw DomainError.validation("\(path) already exists; a backup never overwrites a file")
        }
        try StoreError.mapping(on: self.path) {
            let destination = try DatabaseQueue(path: path)
            try queue.backup(to: destination)
            try destination.close()
        }
    }
}
