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

    public var description: String {
        switch self {
        case let .corrupt(message): return "the database is damaged: \(message)"
        case let .database(message): return "database: \(message)"
        case let .misuse(message): return "store misused: \(message)"
        }
    }
}
