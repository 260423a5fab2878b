import Agreements
import Foundation
import GRDB

/// A workflow instance: the track one agreement runs on, the version it is pinned to, and where
/// it stands. `revision` counts its transitions, so a fire prepared against one revision can see
/// that the state moved meanwhile.
public struct WorkflowInstanceRecord: Sendable, Equatable {
    public var agreementId: Int64
    public var workflow: String
    public var version: String
    public var state: String
    public var since: String
    public var startedAt: String
    public var revision: Int

    public init(agreementId: Int64, workflow: String, version: String, state: String, since: String, startedAt: String, revision: Int) {
        self.agreementId = agreementId
        self.workflow = workflow
        self.version = version
        self.state = state
        self.since = since
        self.startedAt = startedAt
        self.revision = revision
    }
}

/// One version of a definition as stored: its name, its hash, when it was first seen, and how
/// many instances run on it.
public struct WorkflowVersionRecord: Sendable, Equatable {
    public var name: String
    public var version: String
    public var recordedAt: String
    public var instances: Int
}

/// The workflow engine's records: versions with their sources, instances, tasks, timers and
/// history. Lua-free: the engine (Workflow) decides, this keeps. Every method takes the caller's
/// unit of work, so a transition's writes commit or roll back together.
public struct WorkflowStore: Sendable {
    public init() {}

    // MARK: - Versions

    /// Keeps a version's sources (`""` is the definition, other keys the modules it requires);
    /// a version already kept is left as it is.
    public func keepVersion(name: String, version: String, modules: [String: [UInt8]], at timestamp: String,
                            in unit: StoreUnit) throws {
        try unit.writing { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM workflow_version WHERE version = ?"), arguments: [version]) == nil else { return }
            try db.cachedStatement(sql: "INSERT INTO workflow_version (version, name, recorded_at) VALUES (?, ?, ?)").execute(arguments: [version, name, timestamp])
            for (module, source) in modules {
                try db.cachedStatement(sql: "INSERT INTO workflow_source (version, module, source) VALUES (?, ?, ?)").execute(arguments: [version, module, Data(source)])
            }
        }
    }

    /// The sources of a kept version (nil when unknown): `""` is the definition.
    public func sources(of version: String, in unit: StoreUnit) throws -> [String: [UInt8]]? {
        try unit.reading { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT module, source FROM workflow_source WHERE version = ?"), arguments: [version])
            guard !rows.isEmpty else { return nil }
            return Dictionary(uniqueKeysWithValues: rows.map { row in
                (row["module"] as String, [UInt8](row["source"] as Data? ?? Data()))
            })
        }
    }

    /// Every kept version (of `name`, or all), oldest first, with its running instances.
    public func versions(named name: String? = nil, in unit: StoreUnit) throws -> [WorkflowVersionRecord] {
        try unit.reading { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT v.name, v.version, v.recorded_at,
                       (SELECT count(*) FROM workflow_instance i WHERE i.version = v.version) AS instances
                FROM workflow_version v WHERE ? IS NULL OR v.name = ? ORDER BY v.name, v.recorded_at, v.version
                """), arguments: [name, name])
            return rows.map { WorkflowVersionRecord(name: $0["name"], version: $0["version"], recordedAt: $0["recorded_at"],
                                                    instances: $0["instances"]) }
        }
    }

    /// Resolves a version given in full or by a unique prefix of at least four hex digits (as
    /// `workflow migrate --to` takes it; an empty prefix would match any version).
    public func version(matching prefix: String, named name: String, in unit: StoreUnit) throws -> String? {
        guard prefix.count >= 4, prefix.allSatisfy(\.isHexDigit) else {
            throw DomainError.validation("'\(prefix.prefix(80))' is not a version: give at least four hex digits of one "
                                         + "(as `sinergi workflow list` shows them), or latest")
        }
        let matches = try versions(named: name, in: unit).map(\.version).filter { $0.hasPrefix(prefix.lowercased()) }
        guard matches.count <= 1 else {
            throw DomainError.validation("version '\(prefix)' is ambiguous for \(name): \(matches.map { String($0.prefix(12)) }.joined(separator: ", "))")
        }
        return matches.first
    }

    // MARK: - Instances

    public func instance(of agreementId: Int64, in unit: StoreUnit) throws -> WorkflowInstanceRecord? {
        try unit.reading { db in
            try StatementRows.first(unit.statement(Self.instanceByAgreement, db), binding: agreementId, make: Self.instance(from:))
        }
    }

    /// Every instance (of `workflow`, or all).
    public func instances(of workflow: String? = nil, in unit: StoreUnit) throws -> [WorkflowInstanceRecord] {
        try unit.reading { db in
            var instances: [WorkflowInstanceRecord] = []
            try StatementRows.each(db.cachedStatement(sql: """
                SELECT \(Self.instanceColumns) FROM workflow_instance WHERE ? IS NULL OR workflow = ? ORDER BY agreement_id
                """), arguments: [workflow, workflow]) { instances.append(Self.instance(from: $0)) }
            return instances
        }
    }

    public func insert(_ instance: WorkflowInstanceRecord, in unit: StoreUnit) throws {
        try unit.writing { db in
            try db.cachedStatement(sql: """
                INSERT INTO workflow_instance (agreement_id, workflow, version, state, since, started_at, revision)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [instance.agreementId, instance.workflow, instance.version, instance.state, instance.since,
                                 instance.startedAt, instance.revision])
        }
    }

    private static let moveInstance = StoreSQL("""
        UPDATE workflow_instance SET state = ?, since = ?, revision = revision + 1 WHERE agreement_id = ? AND revision = ?
        """)
    private static let migrateInstance = StoreSQL("""
        UPDATE workflow_instance SET state = ?, version = ?, since = ?, revision = revision + 1 WHERE agreement_id = ? AND revision = ?
        """)

    /// Moves an instance to `state` (and to `version` when given: a migration) if it is still at `revision`; false when
    /// another transition moved it first.
    public func move(_ agreementId: Int64, from revision: Int, to state: String, version: String? = nil, since: String,
                     in unit: StoreUnit) throws -> Bool {
        try unit.writing { db in
            // A transition keeps the version: `version` is set only by a migration, since SQLite
            // rewrites the index on (workflow, version) whenever the column is in the SET list.
            let moved = if let version {
                try StatementWrite.run(unit.statement(Self.migrateInstance, db), state, version, since, agreementId, revision)
            } else {
                try StatementWrite.run(unit.statement(Self.moveInstance, db), state, since, agreementId, revision)
            }
            return moved == 1
        }
    }

    /// The columns `instance(from:)` reads, in its order.
    static let instanceColumns = "agreement_id, workflow, version, state, since, started_at, revision"
    /// Made once: a transition reads its instance at least once, and interpolating the text anew
    /// allocated it each time before the statement cache hashed it.
    static let instanceByAgreement = StoreSQL("SELECT \(instanceColumns) FROM workflow_instance WHERE agreement_id = ?")

    static func instance(from row: SQLiteRow) -> WorkflowInstanceRecord {
        WorkflowInstanceRecord(agreementId: row.integer(0), workflow: row.text(1), version: row.text(2), state: row.text(3),
                               since: row.text(4), startedAt: row.text(5), revision: Int(row.integer(6)))
    }
}
