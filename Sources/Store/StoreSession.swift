import GRDB

/// The database connection held by a caller whose units span several calls — the REPL, where
/// each input is a unit and `begin()` … `commit()` groups inputs. Valid inside
/// `SinergiDatabase.session`; one unit or group at a time.
public final class StoreSession {
    private let db: Database
    private let prepared: PreparedStatements
    private var isOpen = true
    /// The group begun by `beginGroup` and not yet ended.
    private var openGroup: StoreGroup?

    init(_ db: Database, _ prepared: PreparedStatements) {
        self.db = db
        self.prepared = prepared
    }

    /// A read unit: a deferred, read-only transaction (see `SinergiDatabase.read`).
    public func read<T>(_ body: (StoreUnit) throws -> T) throws -> T {
        try requireIdle()
        return try StoreError.mapping(on: db.filePath) {
            try db.readOnly { try transaction(.deferred, access: .read, commit: true, body) }
        }
    }

    /// A write unit: an immediate transaction (see `SinergiDatabase.write`).
    @discardableResult
    public func write<T>(commit: Bool = true, _ body: (StoreUnit) throws -> T) throws -> T {
        try requireIdle()
        return try StoreError.mapping(on: db.filePath) { try transaction(.immediate, access: .write, commit: commit, body) }
    }

    /// Begins a grouped unit that stays open until its `commit()` or `rollback()` — across calls,
    /// as the REPL's `begin()` needs; the session rolls it back if it is still open at the end.
    public func beginGroup() throws -> StoreGroup {
        try requireIdle()
        try StoreError.mapping(on: db.filePath) { try db.beginTransaction(.immediate) }
        let group = StoreGroup(db, prepared) { [unowned self] in openGroup = nil }
        openGroup = group
        return group
    }

    /// Runs `body` with a grouped unit: committed when `body` returns (unless it ended the
    /// group itself), rolled back when it throws.
    public func group<T>(_ body: (StoreGroup) throws -> T) throws -> T {
        let group = try beginGroup()
        do {
            let value = try body(group)
            // A group SQLite rolled back under one of its units is not open, yet kept nothing:
            // its commit throws why, rather than this returning as if it had committed.
            if group.isOpen || group.lost != nil { try group.commit() }
            return value
        } catch {
            if group.isOpen { try? group.rollback() }
            throw error
        }
    }

    private func transaction<T>(_ kind: Database.TransactionKind, access: StoreUnit.Access, commit: Bool,
                                _ body: (StoreUnit) throws -> T) throws -> T {
        var value: T?
        try db.inTransaction(kind) {
            value = try StoreUnit.run(db, prepared, access: access, body)
            return commit ? .commit : .rollback
        }
        guard let value else { throw StoreError.misuse("a unit of work ended without its value") }
        return value
    }

    private func requireIdle() throws {
        guard isOpen else { throw StoreError.misuse("the store session has ended") }
        if openGroup != nil { throw StoreError.misuse("a group is open: run this as one of its units, or end the group first") }
        if db.isInsideTransaction { throw StoreError.misuse("a unit of work is already running on this session") }
    }

    /// Ends the session: a group still open is rolled back, never committed.
    func close() {
        if let openGroup { try? openGroup.rollback() }
        isOpen = false
    }
}

/// A grouped unit: many units in one commit, each under its own savepoint, so a unit that fails
/// rolls back alone and the others are kept — the REPL's `begin()` group, a batch of imported
/// rows or of timer fires.
///
///     try database.group { group in
///         for fire in fires { do { try group.unit { try handle(fire, in: $0) } } catch { report(fire, error) } }
///     }
public final class StoreGroup {
    private let db: Database
    private let prepared: PreparedStatements
    private let ended: () -> Void
    /// Whether the group may still run units (neither committed nor rolled back).
    public private(set) var isOpen = true
    /// Why the group ended without its holder ending it: SQLite rolled its transaction back
    /// under one of its units (a full disk, an I/O error), and every unit it kept with it.
    private(set) var lost: StoreError?

    init(_ db: Database, _ prepared: PreparedStatements, ended: @escaping () -> Void) {
        self.db = db
        self.prepared = prepared
        self.ended = ended
    }

    /// Runs `body` as one unit of the group: what it did is kept for the group's commit when it
    /// returns, and rolled back — alone — when it throws (the error is rethrown).
    ///
    /// When SQLite rolled the group's whole transaction back under the unit, the group ends there
    /// (its session may begin another) and the error says that nothing of the group is kept; a
    /// later unit or `commit()` throws the same, and `rollback()` has nothing left to do. Left
    /// open, every later unit, `commit()` and `rollback()` would fail in turn — the REPL's
    /// `begin()` group could then only be left by quitting.
    @discardableResult
    public func unit<T>(_ body: (StoreUnit) throws -> T) throws -> T {
        if let lost { throw lost }
        guard isOpen else { throw StoreError.misuse("the group has ended") }
        do {
            return try StoreError.mapping(on: db.filePath) { try StoreSavepoint.run(db, prepared) { try StoreUnit.run(db, prepared, access: .write, body) } }
        } catch {
            guard !db.isInsideTransaction else { throw error }
            let cause: String
            if case let StoreError.database(message) = error { cause = message } else { cause = String(describing: error) }
            let lost = StoreError.database("\(cause); SQLite rolled back the group's transaction with it: nothing of the group is kept")
            self.lost = lost
            isOpen = false
            ended()
            throw lost
        }
    }

    /// Commits everything the group's units kept.
    public func commit() throws {
        if let lost { throw lost }
        try end { try db.commit() }
    }

    /// Rolls back everything the group's units did.
    public func rollback() throws {
        if lost != nil { return }
        try end { try db.rollback() }
    }

    private func end(_ finish: () throws -> Void) throws {
        guard isOpen else { throw StoreError.misuse("the group has ended") }
        isOpen = false
        ended()
        do {
            try StoreError.mapping(on: db.filePath, finish)
        } catch {
            // A COMMIT that failed (disk full, …) leaves nothing half-kept.
            if db.isInsideTransaction { try? db.rollback() }
            throw error
        }
    }
}
