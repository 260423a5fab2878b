/// Failures of the store itself (not of the data's rules, which are `DomainError`s).
///
/// No type of the database engine crosses the store's boundary: its errors arrive here, with the
/// engine's message and never a statement's bound values.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Stored data the store cannot read back (a date that is not one, an unknown kind).
    case corrupt(String)
    /// The database refused or failed (locked past the busy timeout, disk full, a constraint).
    case database(String)
    /// The store was used against its contract: a unit used after it ended, a write in a read.
    case misuse(String)
    /// Another connection held the write lock past the busy timeout: another process (a long
    /// script, the scheduler) is writing. `database` is the file's path.
    case locked(database: String)
    /// A write on a database this user may only read (its file or folder is not writable).
    case readOnly(database: String)

    public var description: String {
        switch self {
        case let .corrupt(message): return "the database is damaged: \(message)"
        case let .database(message): return "database: \(message)"
        case let .misuse(message): return "store misused: \(message)"
        case let .locked(database):
            return "another sinergi process is writing to this workspace (its database \(database) stayed locked for "
                + "\(Int(SinergiDatabase.busyTimeout)) s); try again when that process has finished"
        case let .readOnly(database):
            return "this workspace is read-only for you: its database \(database) or the folder holding it is not writable, "
                + "and this command writes; reading commands (list, show, export, audit verify) still work"
        }
    }
}
