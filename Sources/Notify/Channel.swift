import Foundation

/// A way to reach people: sends one `Delivery` or throws (a `DeliveryError` says why).
///
/// A send must be safe to repeat: delivery is at least once, so after a crash between a send and
/// its record a channel sends again, with the same idempotency key for the receiver to dedupe.
public protocol NotifyChannel: Sendable {
    var spec: ChannelSpec { get }
    func send(_ delivery: Delivery) throws
}

extension ChannelSpec {
    /// The channel this spec describes. `root` is the workspace folder (the file channel's paths
    /// are inside it); `console` receives the console channel's text (standard output on the CLI).
    public func channel(root: URL, console: @escaping @Sendable (String) -> Void) -> any NotifyChannel {
        switch kind {
        case .console: return ConsoleChannel(spec: self, output: console)
        case let .file(path): return FileChannel(spec: self, root: root, path: path)
        case let .webhook(url, headers): return WebhookChannel(spec: self, url: url, headers: headers)
        case let .command(arguments, format): return CommandChannel(spec: self, arguments: arguments, format: format)
        }
    }
}

/// Prints each message for a person at a terminal: a header line and the indented body, with
/// control characters escaped (a message cannot rewrite the screen).
struct ConsoleChannel: NotifyChannel {
    let spec: ChannelSpec
    let output: @Sendable (String) -> Void

    func send(_ delivery: Delivery) throws {
        let message = delivery.entry.message
        var lines = ["notify #\(delivery.entry.id) to \(Delivery.printable(delivery.user.id)) (\(Delivery.printable(delivery.user.name)))"
                     + " [\(message.to)]: \(Delivery.printable(message.subject))"]
        for line in message.body.split(whereSeparator: \.isNewline) {
            lines.append("    " + Delivery.printable(String(line)))
        }
        output(lines.joined(separator: "\n"))
    }
}
