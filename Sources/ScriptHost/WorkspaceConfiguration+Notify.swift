import Agreements
import Foundation
import LuaKit
import Notify

/// `sinergi.lua`'s notification settings: `channels { … }` (each call adds channels) and
/// `notifications = { max_attempts =, retry_after =, max_retry_after =, lease = }`. Read into
/// Notify's values (`ChannelSpec`, `DeliveryPolicy`), which check what each channel needs; a
/// mistake stops the file loading, like a bad user, rather than losing messages later.
extension ConfigurationCollector {
    /// The fields a channel entry may have; another is refused (a misspelt `contacts` would
    /// otherwise send every message to everyone).
    static let channelFields: Set<String> = ["name", "type", "path", "url", "headers", "command", "format", "contact", "timeout"]

    /// `channels{…}`: appends each entry's `ChannelSpec`.
    func addChannels(_ entries: LuaTable) throws {
        for entry in entries.sequence {
            guard case let .table(fields) = entry else {
                throw DomainError.validation("channels: each entry is a table { name =, type = \"console\"|\"file\"|\"webhook\"|\"command\", … }")
            }
            let spec = try Self.channel(from: fields)
            guard !channels.contains(where: { $0.name == spec.name }) else {
                throw DomainError.validation("channels: the name \(spec.name) is used twice (give each channel its own name =)")
            }
            channels.append(spec)
        }
    }

    static func channel(from fields: LuaTable) throws -> ChannelSpec {
        for (key, _) in fields.pairs where !channelFields.contains(key.stringValue ?? "") {
            throw DomainError.validation("channels: \(LuaFieldValue.describe(key)) is not a channel field (\(channelFields.sorted().joined(separator: ", ")))")
        }
        guard let type = fields["type"].stringValue else {
            throw DomainError.validation("channels: an entry has no type = \"console\"|\"file\"|\"webhook\"|\"command\"")
        }
        func invalid(_ message: String) -> DomainError { .validation("channels: \(fields["name"].stringValue ?? type): \(message)") }
        /// A field that must be text when given (a number or table there is a mistake, not a default).
        func optionalText(_ field: String) throws -> String? {
            if case .nil = fields[field] { return nil }
            guard let value = fields[field].stringValue else { throw invalid("\(field) must be text, got \(fields[field].typeName)") }
            return value
        }
        let name = try optionalText("name") ?? type
        func text(_ field: String) throws -> String {
            guard let value = try optionalText(field), !value.isEmpty else { throw invalid("a \(type) channel needs \(field) = \"…\"") }
            return value
        }
        let contact = try optionalText("contact")
        var timeout = ChannelSpec.defaultTimeout
        if let text = try optionalText("timeout") {
            guard let seconds = LuaLimits.parseDuration(text) else { throw invalid("timeout '\(text)' is not a duration (500ms, 5s, 1m)") }
            timeout = seconds
        }
        let kind: ChannelSpec.Kind
        switch type {
        case "console": kind = .console
        case "file": kind = .file(path: try text("path"))
        case "webhook":
            let address = try text("url")
            guard let url = URL(string: address) else { throw invalid("url '\(address)' is not a URL") }
            var headers: [String: String] = [:]
            switch fields["headers"] {
            case .nil: break
            case let .table(table):
                for (key, value) in table.pairs {
                    guard let field = key.stringValue, let line = value.stringValue else { throw invalid("headers = { [\"Name\"] = \"value\", … } holds text only") }
                    headers[field] = line
                }
            default: throw invalid("headers = { [\"Name\"] = \"value\", … } holds text only")
            }
            kind = .webhook(url: url, headers: headers)
        case "command":
            guard case let .table(list) = fields["command"], list.sequence.count == list.pairs.count,
                  case let arguments = list.sequence.compactMap(\.stringValue), arguments.count == list.sequence.count, !arguments.isEmpty else {
                throw invalid("command = { \"/usr/sbin/sendmail\", \"-t\", \"-i\" } is the program and its arguments, as a list of strings (no shell)")
            }
            let formatName = try optionalText("format") ?? (contact == nil ? "json" : "mail")
            guard let format = ChannelSpec.CommandFormat(rawValue: formatName) else {
                throw invalid("format '\(formatName)' is not \"mail\" or \"json\"")
            }
            kind = .command(arguments: arguments, format: format)
        default:
            throw invalid("type '\(type)' is not console, file, webhook or command")
        }
        return try ChannelSpec(name: name, kind: kind, contact: contact, timeout: timeout)
    }
}

extension WorkspaceConfiguration {
    /// `notifications = { max_attempts = 8, retry_after = "1m", max_retry_after = "6h", lease = "5m" }`.
    mutating func applyNotifications(_ table: LuaTable, file: String) throws {
        func invalid(_ message: String) -> DomainError { .validation("\(file): notifications.\(message)") }
        for (key, _) in table.pairs where !["max_attempts", "retry_after", "max_retry_after", "lease"].contains(key.stringValue ?? "") {
            throw invalid("\(LuaFieldValue.describe(key).trimmingCharacters(in: CharacterSet(charactersIn: "'"))) is not a setting "
                          + "(max_attempts, retry_after, max_retry_after, lease)")
        }
        switch table["max_attempts"] {
        case .nil: break
        case let .integer(attempts) where (1...100).contains(attempts): notifications.policy.maxAttempts = Int(attempts)
        default: throw invalid("max_attempts must be a whole number between 1 and 100")
        }
        // At most a week: a longer wait is a message forgotten, and the instants stay far from overflow.
        func duration(_ field: String) throws -> TimeInterval? {
            guard table[field] != .nil else { return nil }
            guard let text = table[field].stringValue, let seconds = LuaLimits.parseDuration(text), seconds >= 1, seconds <= 7 * 24 * 3600 else {
                throw invalid("\(field) must be a duration from 1s to 168h (30s, 5m, 1h)")
            }
            return seconds
        }
        if let seconds = try duration("retry_after") { notifications.policy.firstRetryDelay = seconds }
        if let seconds = try duration("max_retry_after") { notifications.policy.maxRetryDelay = seconds }
        if let seconds = try duration("lease") { notifications.policy.lease = seconds }
        guard notifications.policy.maxRetryDelay >= notifications.policy.firstRetryDelay else {
            throw invalid("max_retry_after must not be shorter than retry_after")
        }
    }
}

extension WorkspaceConfiguration {
    /// A deliverer renews its lease before each send, and one send lasts at most its channel's
    /// timeout and the stop after it: a lease shorter than that is lost during the send, and the
    /// message is sent again by whichever deliverer claims it next — without end.
    func requireLeaseOutlastingSends(file: String) throws {
        let lease = notifications.policy.lease
        guard let slowest = notifications.channels.max(by: { $0.timeout < $1.timeout }),
              slowest.timeout + DeliveryPolicy.sendStopMargin > lease else { return }
        throw DomainError.validation("\(file): notifications.lease (\(Int(lease))s) must be longer than channel \(slowest.name)'s "
                                     + "timeout (\(slowest.timeoutText)) plus \(Int(DeliveryPolicy.sendStopMargin))s, or a send outlives its lease "
                                     + "and is sent again: raise lease = or lower that timeout =")
    }
}

extension Workspace {
    /// The deliverer of this workspace's outbox: its channels (the console when none is
    /// declared), users and retry policy — what `sinergi notify deliver` and the scheduler run.
    /// `console` receives the console channel's text.
    public func deliverer(clock: any Clock, console: @escaping @Sendable (String) -> Void) -> Deliverer {
        let notifications = configuration.notifications
        let channels = notifications.effectiveChannels.map { $0.channel(root: root, console: console) }
        return Deliverer(database: database, users: configuration.users, agencies: configuration.agencies, channels: channels,
                         policy: notifications.policy, clock: clock)
    }
}
