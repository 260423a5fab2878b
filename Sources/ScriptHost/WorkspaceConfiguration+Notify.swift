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
        let name = fields["name"].stringValue ?? type
        func invalid(_ message: String) -> DomainError { .validation("channels: \(name): \(message)") }
        func text(_ field: String) throws -> String {
            guard let value = fields[field].stringValue, !value.isEmpty else { throw invalid("a \(type) channel needs \(field) = \"…\"") }
            return value
        }
        let contact = fields["contact"].stringValue
        var timeout = ChannelSpec.defaultTimeout
        if let text = fields["timeout"].stringValue {
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
            if case let .table(table) = fields["headers"] {
                for (key, value) in table.pairs {
                    guard let field = key.stringValue, let line = value.stringValue else { throw invalid("headers = { [\"Name\"] = \"value\", … } holds text only") }
                    headers[field] = line
                }
            }
            kind = .webhook(url: url, headers: headers)
        case "command":
            guard case let .table(list) = fields["command"], list.sequence.count == list.pairs.count,
                  case let arguments = list.sequence.compactMap(\.stringValue), arguments.count == list.sequence.count, !arguments.isEmpty else {
                throw invalid("command = { \"/usr/sbin/sendmail\", \"-t\", \"-i\" } is the program and its arguments, as a list of strings (no shell)")
            }
            let formatName = fields["format"].stringValue ?? (contact == nil ? "json" : "mail")
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
        if case let .integer(attempts) = table["max_attempts"] {
            guard (1...100).contains(attempts) else { throw invalid("max_attempts must be between 1 and 100") }
            notifications.policy.maxAttempts = Int(attempts)
        }
        func duration(_ field: String) throws -> TimeInterval? {
            guard let text = table[field].stringValue else { return nil }
            guard let seconds = LuaLimits.parseDuration(text), seconds >= 1 else { throw invalid("\(field) '\(text)' is not a duration of at least 1s (30s, 5m, 1h)") }
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
