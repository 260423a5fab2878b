// Store: the database. GRDB over one SQLite file: schema and named append-only migrations,
// records, queries, the hash-chained audit log, and the units of work that are the only way to
// a transaction. May import: Agreements, CSQLiteShim, GRDB, Crypto, Foundation. Knows nothing
// of Lua or the CLI; no GRDB or SQLite type, and no SQL, crosses its public API.
import Agreements
import CSQLiteShim
import Foundation
import GRDB
import GRDBSQLite

/// The workspace's database: one SQLite file, WAL, `synchronous=FULL` by default so that a
/// committed unit of work is on disk.
///
/// Like GRDB's demo `AppDatabase`, it keeps its connection private and offers only units of
/// work: `read` (a snapshot that never takes the write lock), `write` (one transaction, committed
/// when its body returns and rolled back when it throws) and `group` (many units in one commit,
/// each under its own savepoint, so a failing unit rolls back alone). A caller that must keep
/// the connection between calls — the REPL, whose `begin()` groups inputs — holds a `session`.
///
///     let stored = try database.write { unit in try store.create(agreement, by: user, at: now, in: unit) }
public final class SinergiDatabase: Sendable {
    /// The one connection, internal to Store (the backup in `SinergiDatabase+Backup` reads through it).
    let queue: DatabaseQueue
    public let path: String
    /// The hot statements the connection prepared (`StoreSQL`).
    private let prepared = PreparedStatements()

    /// How hard the database flushes at commit. Full by default: committed means on disk.
    public enum Durability: Sendable {
        /// Every commit is on disk before it returns (SQLite `synchronous=FULL`).
        case full
        /// A commit may be lost in a power cut, never corrupted (SQLite `synchronous=NORMAL` in WAL).
        case normal

        var pragma: String { self == .full ? "FULL" : "NORMAL" }
    }

    /// SQLite's process-wide settings (see `sinergi_sqlite_configure`), made once before the
    /// first connection opens: memory statistics off, statement-journal chunks kept for reuse, and
    /// URI file names on (a read-only open of a quiescent database names `immutable=1` in its URI,
    /// see `init`). Whether they took (`SQLITE_OK`), for the test that holds them.
    static let sqliteStarted: Int32 = sinergi_sqlite_configure()

    /// How long a write waits for another process's write lock before it fails (`StoreError.locked`).
    public static let busyTimeout: TimeInterval = 10

    /// Whether this user may only read the database (its file or folder is not writable): it is
    /// then opened read-only and never written, and a write fails as `StoreError.readOnly`.
    public let isReadOnly: Bool

    /// Opens (creating if needed) the database at `path` and brings its schema up to date — or,
    /// when this user may not write the file or its folder, opens it read-only.
    ///
    /// A read-only open writes nothing: no journal-mode switch, no migration (a schema that needs
    /// one is refused, naming who can fix it). SQLite reads a WAL database only through its
    /// `-shm` index, which it cannot create in a folder it may not write; when none is there no
    /// other connection has the database open, and it is opened `immutable` (no index, no locks).
    /// A writer that starts meanwhile writes into its own WAL, which this reader does not see:
    /// it reads the database as it was when it opened.
    public init(path: String, durability: Durability = .full) throws {
        _ = SinergiDatabase.sqliteStarted
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        isReadOnly = FileManager.default.fileExists(atPath: path)
            && (access(path, W_OK) != 0 || access(folder.path, W_OK) != 0)
        var configuration = Configuration()
        // WAL, set here rather than with GRDB's `journalMode = .wal`: GRDB then writes (creates
        // and drops a table) at every open that finds no WAL file — always, since the last close
        // deletes it — which costs a read-only `sinergi eval` four fsyncs. The mode is stored in
        // the file, so once set this pragma writes nothing.
        configuration.journalMode = .default
        configuration.readonly = isReadOnly
        configuration.busyMode = .timeout(SinergiDatabase.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { [isReadOnly] db in
            if !isReadOnly {
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw DatabaseError(message: "could not switch \(path) to write-ahead logging")
                }
            }
            try db.execute(sql: "PRAGMA synchronous = \(durability.pragma)")
            // A 32 MB page cache and memory-mapped reads: a scan of 100,000 agreements stays in
            // memory between the runs of a long-lived process (REPL, scheduler).
            try db.execute(sql: "PRAGMA cache_size = -32768")
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
            // Statement journals (every write under a savepoint, or that fires a trigger, keeps
            // one) in memory, not in files under /var/tmp: with files, one workflow transition
            // made ≈170 write calls to temporary files.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        try SinergiDatabase.refuseLinks(at: path)
        self.path = path
        if isReadOnly {
            let opened = FileManager.default.fileExists(atPath: path + "-shm") ? path : SinergiDatabase.immutableURI(path)
            queue = try StoreError.mapping(on: path) {
                let queue = try DatabaseQueue(path: opened, configuration: configuration)
                guard try queue.read({ try SinergiDatabase.migrator.hasCompletedMigrations($0) }) else {
                    throw DomainError.permission("the database \(path) needs its schema brought up to date, and it is read-only for you: "
                                                 + "run a sinergi command once as a user who may write it")
                }
                return queue
            }
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            queue = try StoreError.mapping(on: path) {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                try SinergiDatabase.migrator.migrate(queue)
                return queue
            }
        }
    }

    /// Finalizes the prepared statements on the connection's queue, before GRDB closes it
    /// (reentrant: the last reference may go inside one of this database's own units).
    deinit {
        queue.unsafeReentrantWrite { _ in prepared.removeAll() }
    }

    /// `path` as an SQLite URI that opens it immutable, read-only (every byte but the unreserved
    /// ones and `/` percent-encoded, so a `?` or `#` in a folder's name stays part of the path).
    static func immutableURI(_ path: String) -> String {
        let kept = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: kept) ?? path) + "?mode=ro&immutable=1"
    }

    /// Refuses a database whose folder or files are symbolic links.
    ///
    /// The database usually lives in a shared workspace (`.sinergi/sinergi.db`); SQLite follows
    /// links, so a planted `.sinergi` or `sinergi.db(-wal|-shm|-journal)` link would make the next
    /// person's command create or rewrite the link's target with their rights (issue #7,
    /// finding 13). GRDB offers no `SQLITE_OPEN_NOFOLLOW`, so each path is checked before opening.
    static func refuseLinks(at path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        for candidate in [folder, path, path + "-wal", path + "-shm", path + "-journal"] {
            var status = stat()
            if lstat(candidate, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
                throw DomainError.permission("\(candidate) is a symbolic link; Sinergi does not open its database through one "
                                             + "(a link planted in a shared folder would overwrite another file). "
                                             + "Remove the link and try again")
            }
        }
    }

    // MARK: - Units of work

    /// Runs `body` in one read-only snapshot: a deferred transaction that never takes the write
    /// lock, so other processes write meanwhile. A write in it is refused.
    public func read<T>(_ body: (StoreUnit) throws -> T) throws -> T {
        try session { try $0.read(body) }
    }

    /// Runs `body` as one write unit: an immediate transaction, committed when `body` returns —
    /// rolled back instead with `commit: false` (a dry run) — and rolled back entirely when it throws.
    @discardableResult
    public func write<T>(commit: Bool = true, _ body: (StoreUnit) throws -> T) throws -> T {
        try session { try $0.write(commit: commit, body) }
    }

    /// Runs `body` with a grouped unit: everything its units keep is committed at once when
    /// `body` returns (unless it ended the group), nothing when it throws.
    public func group<T>(_ body: (StoreGroup) throws -> T) throws -> T {
        try session { try $0.group(body) }
    }

    /// Holds the connection for `body`, for a caller whose units span several calls (the REPL).
    /// A group still open when `body` returns is rolled back.
    public func session<T>(_ body: (StoreSession) throws -> T) throws -> T {
        try StoreError.mapping(on: path) {
            try queue.inDatabase { db in
                let session = StoreSession(db, prepared)
                defer { session.close() }
                return try body(session)
            }
        }
    }
}

extension StoreError {
    /// Runs `body`, turning the engine's errors into `StoreError.database` (its message names
    /// what failed, never a statement's bound values) — or into `locked` (another process held
    /// the write lock past the busy timeout) and `readOnly` (a write this user may not make),
    /// which name the database file `path`. Other errors pass unchanged.
    static func mapping<T>(on path: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY: throw StoreError.locked(database: path())
            case .SQLITE_READONLY: throw StoreError.readOnly(database: path())
            default: throw StoreError.database(error.message ?? "SQLite error \(error.resultCode.rawValue)")
            }
        }
    }
}

extension Database {
    /// The file of this connection's main database (SQLite's own name for it, whatever URI opened it).
    var filePath: String { sqlite3_db_filename(sqliteConnection, "main").map { String(cString: $0) } ?? "" }
}
