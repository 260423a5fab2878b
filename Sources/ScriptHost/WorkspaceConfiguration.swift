import Agreements
import Crypto
import Foundation
import LuaKit
import Notify
import Store

/// What a workspace's `sinergi.lua` says: users and roles, time zone, holidays, script limits,
/// the rules the law leaves open, schedules, and whether the clock may be overridden.
public struct WorkspaceConfiguration: Sendable {
    public var timeZone = TimeZone(identifier: "Asia/Jakarta") ?? .current
    public var holidays: Set<LocalDate> = []
    public var users: [User] = []
    /// The roles `roles{…}` declares beyond the built-in ones (`Role.builtIn`).
    public var roles: [String] = []
    /// `perangkat_daerah{…}`: the agencies and their short names.
    public var agencies = AgencyDirectory()
    public var limits = LuaLimits.default
    public var rules = AgreementRules()
    /// `testing = { clock_override = true }`: allows `--now` / `SINERGI_NOW` (rehearsals and tests only).
    public var clockOverride = false
    /// The database file, relative to the workspace (default `.sinergi/sinergi.db`).
    public var database = ".sinergi/sinergi.db"
    /// `channels{…}` and `notifications = {…}`: where and how the outbox is delivered.
    public var notifications = NotifyConfiguration()
    /// `schedule{…}` declarations as written, for the scheduler to check (`ScheduledJob.parse`).
    public var schedules: [ScheduleDeclaration] = []
    /// `workflows = { … }`: the engine's settings. `auto_start` starts the matching track for a new
    /// agreement; `limits` is each transition's budget (default 1 s / 64 MB); the other scalar
    /// entries reach definitions as `ctx.settings` (e.g. `dprd_days = "workdays"`).
    public var workflows = WorkflowSettings()
    /// The bytes of the `sinergi.lua` this was read from (nil when made in code).
    public var fileContents: Data?
    /// Their SHA-256 (lower-case hex; empty when made in code), for the audit trail. Worked out
    /// when asked — only when the file's grants changed — not at every load: swift-crypto's first
    /// hash in a process was 1.5 % of a cold `eval`'s instructions.
    public var fileSHA256: String { fileContents.map { AuditLog.hex(SHA256.hash(data: $0)) } ?? "" }

    public init() {}

    public var calendar: WorkCalendar { WorkCalendar(timeZone: timeZone, holidays: holidays) }

    /// Evaluates `sinergi.lua` (itself sandboxed Lua) and reads the configuration from it.
    public static func load(from file: URL) throws -> WorkspaceConfiguration {
        let data: [UInt8]
        do {
            data = try ConfinedFile.read(file.path, inside: "/", limit: LuaSandbox.maximumSourceBytes)
        } catch ConfinedFile.Failure.tooLarge(let limit) {
            throw DomainError.validation("\(file.path) is larger than \(LuaLimits.formatSize(limit)), the most Sinergi reads as Lua source")
        } catch {
            throw DomainError.notFound("cannot read \(file.path): no such regular file")
        }
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        var configuration = WorkspaceConfiguration()
        let collector = ConfigurationCollector()
        let environment = try sandbox.newEnvironment(extra: collector.functions(in: sandbox.state))
        _ = try sandbox.run(source: String(decoding: LuaSandbox.fileChunk(data), as: UTF8.self), chunkName: file.path,
                            environment: environment, limits: LuaLimits(timeout: 2, memory: 16 << 20))
        let results = try sandbox.run(source: """
            return { timezone = timezone, limits = limits, rules = rules, testing = testing, database = database,
                     notifications = notifications, workflows = workflows }
            """, chunkName: file.path, environment: environment, limits: LuaLimits(timeout: 1, memory: 16 << 20))
        guard case let .table(settings)? = results.first else { return configuration }
        try collector.checkUsers()
        configuration.users = collector.users.map(\.user)
        configuration.roles = collector.roles
        configuration.agencies = AgencyDirectory(collector.agencies)
        configuration.holidays = collector.holidays
        configuration.schedules = collector.schedules
        configuration.notifications.channels = collector.channels
        configuration.fileContents = Data(data)
        try configuration.apply(settings, from: ConfigurationSource(path: file.path, bytes: data))
        return configuration
    }
}

/// One `schedule{…}` of sinergi.lua as written: its text fields (`name`, `cron`, `run`,
/// `misfire`, `overlap`, `timeout`, `as`) and its `args = {…}` list, in order.
public struct ScheduleDeclaration: Sendable, Equatable {
    public var fields: [String: String] = [:]
    public var arguments: [String] = []

    public init(fields: [String: String] = [:], arguments: [String] = []) {
        self.fields = fields
        self.arguments = arguments
    }
}

/// The functions `sinergi.lua` calls: `users{…}`, `roles{…}`, `perangkat_daerah{…}`,
/// `holidays{…}`, `schedule{…}`. Each call adds to what earlier calls declared.
final class ConfigurationCollector {
    /// Each user with the place of the `users{…}` call that declared it, for `checkUsers`.
    var users: [(user: User, location: LuaLocation?)] = []
    var roles: [String] = []
    var agencies: [AgencyDirectory.Agency] = []
    var holidays: Set<LocalDate> = []
    var schedules: [ScheduleDeclaration] = []
    var channels: [ChannelSpec] = []

    func functions(in state: LuaState) -> [String: LuaValue] {
        let functions: [(String, LuaHostBody)] = [
            ("users", { [unowned self] call in
                for entry in try call.table(1).sequence {
                    guard case let .table(fields) = entry else { throw DomainError.validation("users: each entry is a table { id=, name=, roles={…} }") }
                    users.append((try Self.user(from: fields), call.stack.callerLocation()))
                }
                return 0
            }),
            ("roles", { [unowned self] call in
                for entry in try call.table(1).sequence {
                    guard let role = entry.stringValue, !role.isEmpty, !role.contains(":") else {
                        throw DomainError.validation("roles: each entry is a role name such as \"bappeda\" (no ':')")
                    }
                    try Self.refuseControlCharacters(in: role, "roles: a role name")
                    roles.append(role)
                }
                return 0
            }),
            ("perangkat_daerah", { [unowned self] call in
                for entry in try call.table(1).sequence {
                    guard case let .table(fields) = entry, let short = fields["short"].stringValue, !short.isEmpty,
                          let name = fields["name"].stringValue, !name.isEmpty else {
                        throw DomainError.validation("perangkat_daerah: each entry is { short = \"DLH\", name = \"Dinas Lingkungan Hidup\" }")
                    }
                    try Self.refuseControlCharacters(in: short, "perangkat_daerah: a short name")
                    try Self.refuseControlCharacters(in: name, "perangkat_daerah: a name")
                    if agencies.contains(where: { $0.short.caseInsensitiveCompare(short) == .orderedSame }) {
                        throw DomainError.validation("perangkat_daerah: the short name \(short) is listed twice")
                    }
                    agencies.append(AgencyDirectory.Agency(short: short, name: name))
                }
                return 0
            }),
            ("holidays", { [unowned self] call in
                for entry in try call.table(1).sequence {
                    guard let text = entry.stringValue, let date = LocalDate(text) else {
                        throw DomainError.validation("holidays: '\(entry.stringValue ?? entry.typeName)' is not a date (YYYY-MM-DD)")
                    }
                    holidays.insert(date)
                }
                return 0
            }),
            ("channels", { [unowned self] call in
                try addChannels(try call.table(1))
                return 0
            }),
            ("schedule", { [unowned self] call in
                schedules.append(try Self.schedule(from: try call.table(1)))
                return 0
            }),
        ]
        return functions.reduce(into: [:]) { result, entry in result[entry.0] = state.functionValue(name: entry.0, entry.1) }
    }

    /// Refuses a user id declared twice, or a role that is neither built in nor declared with
    /// `roles{…}` (which may come anywhere in the file), at the `users{…}` call that gave it.
    func checkUsers() throws {
        let declared = Set(roles)
        var seen: Set<String> = []
        for (user, location) in users {
            func refuse(_ message: String) -> LuaError {
                .callback(HostError(DomainError.validation(message), message: message), location: location)
            }
            guard seen.insert(user.id).inserted else { throw refuse("users: the id \(user.id) is declared twice") }
            guard user.id != User.system.id else {
                throw refuse("users: the id \(User.system.id) is reserved for the workspace's system actor (scheduled jobs and timers); choose another id")
            }
            for role in user.roles where !Role.isKnown(role, declared: declared) {
                throw refuse("users: \(user.id) has role '\(role)', which is neither built in (\(Role.builtIn.joined(separator: ", ")), pd:NAME) "
                             + "nor declared with roles { \"\(role)\" }")
            }
        }
    }

    /// One `schedule{…}`: its text fields and its `args = {…}` list (strings or numbers, passed to
    /// the script as text). What the fields mean is the scheduler's to check (`ScheduledJob.parse`).
    static func schedule(from table: LuaTable) throws -> ScheduleDeclaration {
        func text(_ value: LuaValue, _ what: String) throws -> String {
            switch value {
            case let .integer(number): return String(number)
            case let .number(number): return LuaValue.formatNumber(number)
            default:
                guard let text = value.stringValue else { throw DomainError.validation("schedule: \(what) is a string, not a \(value.typeName)") }
                return text
            }
        }
        var declaration = ScheduleDeclaration()
        for (key, value) in table.pairs {
            guard let key = key.stringValue else { throw DomainError.validation("schedule: fields have names (name=, cron=, run=, …)") }
            if key == "args" {
                guard case let .table(list) = value else { throw DomainError.validation("schedule: args = { … } is a list of strings") }
                declaration.arguments = try list.sequence.map { try text($0, "each of args = { … }") }
            } else {
                declaration.fields[key] = try text(value, "\(key) = …")
            }
            try refuseControlCharacters(in: key, "schedule: a field name")
            try declaration.fields[key].map { try refuseControlCharacters(in: $0, "schedule: \(TerminalText.line(key))") }
        }
        guard declaration.fields["name"] != nil, declaration.fields["cron"] != nil, declaration.fields["run"] != nil else {
            throw DomainError.validation("schedule: needs name=, cron= and run=")
        }
        return declaration
    }

    static func user(from fields: LuaTable) throws -> User {
        guard let id = fields["id"].stringValue, !id.isEmpty else { throw DomainError.validation("users: an entry has no id") }
        guard case let .table(roleTable) = fields["roles"] else {
            throw DomainError.validation("users: \(id) has no roles = { … }")
        }
        // A role that is not text was dropped, leaving the user without it and the file without a word.
        let roles = try roleTable.sequence.map { entry in
            guard let role = entry.stringValue else {
                throw DomainError.validation("users: \(TerminalText.line(String(id.prefix(40)))) has a role that is a \(entry.typeName), not a name")
            }
            try refuseControlCharacters(in: role, "users: \(TerminalText.line(String(id.prefix(40)))): a role")
            return role
        }
        var contact: [String: String] = [:]
        if case let .table(table) = fields["contact"] {
            for (key, value) in table.pairs {
                // A contact that is not text was dropped: the user silently got no mail.
                guard let key = key.stringValue, let value = value.stringValue else {
                    throw DomainError.validation("users: \(TerminalText.line(String(id.prefix(40)))): contact = { … } holds names and "
                                                 + "text (email = \"…\"), not a \(key.stringValue == nil ? key.typeName : value.typeName)")
                }
                contact[key] = value
            }
        }
        let user = User(id: id, name: fields["name"].stringValue ?? id, login: fields["login"].stringValue, roles: roles, contact: contact)
        try refuseControlCharacters(in: user)
        return user
    }

    /// Names `sinergi.lua` gives roles, agencies and jobs reach the same places as a user's
    /// (notify recipients, role checks, the audit trail, `scheduler list`, terminals): refused
    /// when they hold a control character, as a user's fields are.
    static func refuseControlCharacters(in text: String, _ what: String) throws {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return }
        throw DomainError.validation("\(what) '\(TerminalText.line(String(text.prefix(60))))' holds a control character "
                                     + "(a line break, a tab, an escape); write it on one plain line")
    }

    /// A user's id, name, login and contacts go into mail and HTTP headers (the Idempotency-Key
    /// ends with the id), the audit trail, logs and terminals: a control character in one — a
    /// line break above all, which added a header to every webhook POST — is refused here.
    static func refuseControlCharacters(in user: User) throws {
        let fields = [("id", user.id), ("name", user.name), ("login", user.login ?? "")]
            + user.contact.sorted { $0.key < $1.key }.flatMap { [("contact key '\($0.key)'", $0.key), ("contact.\($0.key)", $0.value)] }
        for (field, value) in fields where value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            throw DomainError.validation("users: \(TerminalText.line(String(user.id.prefix(40)))): \(TerminalText.line(String(field.prefix(60)))) "
                                         + "holds a control character (a line break, a tab, an escape); write it on one plain line")
        }
    }
}
