import Agreements
import Foundation
import LuaKit
import Store

/// What `notify{…}` needs from the code that offers it: the workspace (whose `users{}` and
/// `roles{}` say who may receive), who is acting, the time, and the unit of work the message is
/// queued in — a script run's, or a workflow action's.
public struct NotifyScope {
    public var workspace: Workspace
    public var actor: User
    public var timestamp: String
    public var unit: StoreUnit
    /// The agreement a message is about when the table names none (a workflow action's `a`).
    public var agreementId: Int64?

    public init(workspace: Workspace, actor: User, timestamp: String, unit: StoreUnit, agreementId: Int64? = nil) {
        self.workspace = workspace
        self.actor = actor
        self.timestamp = timestamp
        self.unit = unit
        self.agreementId = agreementId
    }
}

/// `notify{ to=, subject=, body=, key=, agreement= }`: a message into the outbox, in the caller's
/// unit of work, so it is kept only if the caller's changes are. Returns true when queued, false
/// when a message with the same `key` was already queued (the enqueue is idempotent by key).
///
/// The one code path for the script global and for workflow actions' `ctx.notify{…}`: both call
/// `body(_:)` (or `enqueue(_:scope:)` with a converted table). The table is a script's, so it is
/// read raw (no metamethod runs), every field is checked for its type, and the message for the
/// limits of `OutboxMessage`; a recipient must be declared (`role:NAME` a known role, `user:ID`
/// a user of `users{}`), since a misspelt one would silently reach nobody.
///
///     notify{ to = "role:sekretariat", subject = "KB 12/2026 berakhir 30 hari lagi",
///             body = "…", key = "expiry:12:30", agreement = a }
public enum NotifyFunction {
    /// The fields a `notify{…}` table may have.
    public static let fields = ["to", "subject", "body", "key", "agreement"]
    /// The same as Lua string bytes, to compare and look up keys without making Strings of them.
    private static let fieldBytes = fields.map { Array($0.utf8) }

    /// The key of field `name` (one of `fields`) in a converted table.
    private static func key(_ name: String) -> LuaValue { .string(fieldBytes[fields.firstIndex(of: name) ?? 0]) }

    /// The host function: its argument 1 is the table; `scope` is asked for at each call (a
    /// read-only session throws there, so nothing is converted for a refused write).
    public static func body(_ scope: @escaping () throws -> NotifyScope) -> LuaHostBody {
        { call in
            let scope = try scope()
            call.push(boolean: try enqueue(try call.table(1), scope: scope))
            return 1
        }
    }

    /// Converts `table` and queues it in `scope.unit`; true when queued, false when its key was there.
    public static func enqueue(_ table: LuaTable, scope: NotifyScope) throws -> Bool {
        let message = try message(from: table, scope: scope)
        return try Outbox().enqueue(message, by: scope.actor.id, at: scope.timestamp, in: scope.unit)
    }

    /// The message a table describes, validated against the outbox's limits and the workspace's
    /// users and roles; `DomainError.validation` says what is wrong.
    static func message(from table: LuaTable, scope: NotifyScope) throws -> OutboxMessage {
        for (key, _) in table.pairs {
            guard case let .string(name) = key, fieldBytes.contains(name) else {
                throw DomainError.validation("notify: \(LuaFieldValue.describe(key)) is not a field of a notification "
                                             + "(fields: \(fields.joined(separator: ", ")))")
            }
        }
        guard let to = try text(table, "to"), let subject = try text(table, "subject") else {
            throw DomainError.validation("notify: to= and subject= are required, e.g. "
                                         + "notify{ to = \"role:sekretariat\", subject = \"…\", body = \"…\", key = \"…\" }")
        }
        let message = OutboxMessage(to: to, subject: subject, body: try text(table, "body") ?? "", key: try text(table, "key"),
                                    agreementId: try agreementId(table[key("agreement")], scope: scope))
        try checkRecipient(try message.validate(), in: scope.workspace.configuration)
        return message
    }

    /// A string field (nil when absent); any other type, or bytes that are not UTF-8, is refused.
    /// The length is checked before decoding, so a huge string costs no copy.
    private static func text(_ table: LuaTable, _ field: String) throws -> String? {
        switch table[key(field)] {
        case .nil: return nil
        case let .string(bytes):
            let limit = field == "body" ? OutboxMessage.maximumBodyBytes : OutboxMessage.maximumSubjectBytes
            guard bytes.count <= limit else {
                throw DomainError.validation("notify: \(field) is \(bytes.count) bytes, more than the \(limit) allowed")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw DomainError.validation("notify: \(field) is not UTF-8 text")
            }
            return text
        case let other:
            throw DomainError.validation("notify: \(field) must be a string, got \(other.typeName)")
        }
    }

    /// `agreement =`: an agreement object or an id; the scope's agreement when absent.
    private static func agreementId(_ value: LuaValue, scope: NotifyScope) throws -> Int64? {
        let id: Int64
        switch value {
        case .nil: return scope.agreementId
        case let .integer(number): id = number
        case let .userdata(reference):
            guard let handle = reference.object as? AgreementHandle else {
                throw DomainError.validation("notify: agreement must be an agreement or its id, got \(reference.className ?? "userdata")")
            }
            id = handle.id
        default:
            throw DomainError.validation("notify: agreement must be an agreement or its id, got \(value.typeName)")
        }
        guard try scope.workspace.agreements.agreement(id: id, in: scope.unit) != nil else {
            throw DomainError.notFound("notify: no agreement with id \(id)")
        }
        return id
    }

    /// Refuses a recipient no one declared.
    static func checkRecipient(_ recipient: OutboxRecipient, in configuration: WorkspaceConfiguration) throws {
        switch recipient {
        case let .role(name):
            guard Role.isKnown(name, declared: configuration.roles) else {
                throw DomainError.validation("notify: role '\(name)' is neither built in (\(Role.builtIn.joined(separator: ", ")), pd:NAME) "
                                             + "nor declared with roles { \"\(name)\" } in sinergi.lua")
            }
        case let .user(id):
            guard configuration.users.contains(where: { $0.id == id }) else {
                throw DomainError.validation("notify: no user '\(id)' in sinergi.lua's users{…}")
            }
        }
    }
}

extension RunContext {
    /// The scope of `notify{…}` in this run: refused in a read-only session, like every write.
    func notifyScope() throws -> NotifyScope {
        let (_, unit, actor) = try writableStore()
        guard let workspace else { throw DomainError.permission("no workspace") }
        return NotifyScope(workspace: workspace, actor: actor, timestamp: timestamp, unit: unit)
    }
}
