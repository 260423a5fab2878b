// Notify: delivers the outbox (Store) through real channels — console, a JSON-lines file, an
// HTTP webhook, a local program such as `sendmail -t` — with leases, retries, backoff and a dead
// state. May import: Agreements, Store, Foundation (never FoundationNetworking: see WebhookChannel). Knows no Lua
// and no SQL: `sinergi.lua` is read by ScriptHost into the values below.
import Agreements
import Foundation

/// One channel as `sinergi.lua` declares it (`channels { … }`), validated when the file loads.
///
///     channels {
///       { name = "arsip", type = "file", path = "outbox/messages.jsonl" },
///       { name = "wa", type = "webhook", url = "http://127.0.0.1:9000/kirim", contact = "phone", timeout = "5s" },
///       { name = "surel", type = "command", command = { "/usr/sbin/sendmail", "-t" }, contact = "email" },
///     }
///
/// `contact` names the key of `users{ contact = {…} }` that a channel sends to: with it, only
/// users who have that contact get the message there, and the value is the address; without it,
/// every recipient does (console, file).
public struct ChannelSpec: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Standard output, one escaped block per message.
        case console
        /// One JSON object per line, appended to a file inside the workspace.
        case file(path: String)
        /// An HTTP POST of the JSON object, with an `Idempotency-Key` header.
        case webhook(url: URL, headers: [String: String])
        /// A program (argv, no shell) that reads the message on standard input.
        case command(arguments: [String], format: CommandFormat)
    }

    /// What a command channel writes to the program's standard input.
    public enum CommandFormat: String, Equatable, Sendable, CaseIterable {
        /// An RFC 5322 message (`To:`, `Subject:`, body) for `sendmail -t`; needs an address contact.
        case mail
        /// The same JSON object the file and webhook channels write.
        case json
    }

    public var name: String
    public var kind: Kind
    /// The `contact` key whose value is a user's address on this channel; nil: every recipient.
    public var contact: String?
    /// How long one send may take (webhook, command).
    public var timeout: TimeInterval

    public static let defaultTimeout: TimeInterval = 10

    /// The timeout as messages say it: `5s`, `0.2s`.
    public var timeoutText: String { timeout == timeout.rounded() ? "\(Int(timeout))s" : "\(timeout)s" }

    /// Checks what the channel needs: a name of letters, digits, `_` and `-`; a relative file path
    /// without `..`; an http(s) URL and header lines without line breaks; a command with a program;
    /// the mail format with a contact to address.
    public init(name: String, kind: Kind, contact: String? = nil, timeout: TimeInterval = ChannelSpec.defaultTimeout) throws {
        func invalid(_ message: String) -> DomainError { .validation("channels: \(name): \(message)") }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }),
              name.unicodeScalars.allSatisfy(\.isASCII) else {
            throw DomainError.validation("channels: the name '\(name.prefix(40))' is not letters, digits, _ or -")
        }
        guard timeout > 0, timeout <= 3600 else { throw invalid("timeout must be between 0 and 1h") }
        if let contact, contact.isEmpty || contact.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            throw invalid("contact must name a key of users{ contact = {…} }, such as \"email\"")
        }
        switch kind {
        case .console: break
        case let .file(path):
            let parts = path.pathParts(omittingEmpty: false)
            guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0.isEmpty }),
                  !path.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw invalid("path '\(path)' must be a file inside the workspace, relative to it, without '..' (e.g. \"outbox/messages.jsonl\")")
            }
        case let .webhook(url, headers):
            guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw invalid("url '\(url.absoluteString)' is not an http:// or https:// address")
            }
            for (field, value) in headers {
                guard !field.isEmpty, field.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != ":" }),
                      !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw invalid("header '\(field)' is not a header name with a one-line value")
                }
                guard field.lowercased() != "idempotency-key", field.lowercased() != "content-type" else {
                    throw invalid("header '\(field)' is set by Sinergi")
                }
            }
        case let .command(arguments, format):
            guard let program = arguments.first, !program.isEmpty else { throw invalid("command must be a list { \"program\", \"arg\", … }") }
            guard !arguments.contains(where: { $0.contains("\0") }) else { throw invalid("command arguments may not contain NUL") }
            if format == .mail, contact == nil { throw invalid("format \"mail\" needs contact = \"email\" (the key of the address)") }
        }
        self.name = name
        self.kind = kind
        self.contact = contact
        self.timeout = timeout
    }
}

/// How delivery retries: exponential backoff with jitter, a dead state after `maxAttempts`, and
/// the lease that keeps two deliverers off one message (`sinergi.lua`: `notifications = {…}`).
public struct DeliveryPolicy: Equatable, Sendable {
    /// What a send may take past its channel's timeout: a program is stopped with SIGTERM, then
    /// SIGKILL `ProgramRun.killGrace` (2 s) later; curl, which stops itself at the timeout
    /// (`--max-time`), is given that grace before its stop begins — at most 4 s in all.
    public static let sendStopMargin: TimeInterval = 5

    /// Attempts before a message is dead (default 8: with the default delays, about 2 hours).
    public var maxAttempts = 8
    /// The wait after the first failure; each further failure doubles it, up to `maxRetryDelay`.
    public var firstRetryDelay: TimeInterval = 60
    public var maxRetryDelay: TimeInterval = 6 * 3600
    /// How long a claim holds a message. It must outlast one message's sends (each target up to
    /// its channel's timeout): a deliverer that overruns it may see the message sent again.
    public var lease: TimeInterval = 300

    public init() {}

    /// The wait before attempt `attempts + 1`, after `attempts` failures: half the doubled delay
    /// fixed, half random ("equal jitter"), so deliverers that failed together do not retry
    /// together. `jitter` is in 0..<1.
    public func delay(afterAttempts attempts: Int, jitter: Double) -> TimeInterval {
        let exponent = Double(min(max(attempts - 1, 0), 30))
        let full = min(maxRetryDelay, firstRetryDelay * pow(2, exponent))
        return full / 2 + full / 2 * min(max(jitter, 0), 1)
    }
}

/// The channels and policy of a workspace; no channel configured means the console.
public struct NotifyConfiguration: Equatable, Sendable {
    public var channels: [ChannelSpec] = []
    public var policy = DeliveryPolicy()

    public init() {}

    /// The channels to deliver through: those declared, else the console.
    public var effectiveChannels: [ChannelSpec] {
        channels.isEmpty ? [ChannelSpec.console] : channels
    }
}

extension ChannelSpec {
    /// A webhook's address as messages, the audit and the console show it: its scheme, host and
    /// port, with `/…` for a path. A URL may hold credentials (`https://user:secret@…`) or a
    /// token in its path (a Telegram bot's), and the audit trail can never forget what it records.
    public static func shown(_ url: URL) -> String {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false), let host = components.host else {
            return "(a URL)"
        }
        let port = components.port.map { ":\($0)" } ?? ""
        let rest = (components.path.isEmpty || components.path == "/") && components.query == nil ? components.path : "/…"
        return "\(components.scheme ?? "http")://\(host)\(port)\(rest)"
    }

    /// Where the channel sends, for the audit of `sinergi.lua` changes: `webhook
    /// https://gw.example/…, contact phone`. Header values and the URL's credentials and path
    /// are left out (they hold tokens).
    public var destination: String {
        let target: String
        switch kind {
        case .console: target = "console"
        case let .file(path): target = "file \(path)"
        case let .webhook(url, headers): target = "webhook \(Self.shown(url))" + (headers.isEmpty ? "" : " (headers \(headers.keys.sorted().joined(separator: ", ")))")
        case let .command(arguments, format): target = "command \(arguments.joined(separator: " ")) (\(format.rawValue))"
        }
        return target + (contact.map { ", contact \($0)" } ?? "")
    }
}

extension ChannelSpec {
    /// The default channel when `sinergi.lua` declares none (a console channel needs no checks).
    static let console = ChannelSpec(console: "console")

    private init(console name: String) {
        self.name = name
        kind = .console
        contact = nil
        timeout = ChannelSpec.defaultTimeout
    }
}
