import Foundation

/// POSTs the message's JSON to a URL — a WhatsApp/Telegram gateway, a chat system's hook —
/// with `Idempotency-Key` so a receiver that sees a message twice (delivery is at least once)
/// can drop the second. A 2xx status is success; any other status, a network error or the
/// channel's timeout is a failure, retried later. Redirects are not followed: a gateway that
/// moves says so with a status, and a POST is not silently turned into a GET elsewhere.
///
/// The request is made by `curl` (Debian's, on `PATH`), not by FoundationNetworking: linking
/// that pulled libcurl and some thirty libraries into every start of the binary (a cold `sinergi
/// eval` went from 13 to 29 ms), for the one channel that speaks HTTP. The headers — tokens
/// among them — go through a file only the user can read, never the command line (`ps` shows it);
/// a header line holding a control character is refused, so no value (an id that reached the
/// Idempotency-Key) can add a header of its own. The answer is the receiver's, of any size: it
/// comes back through a pipe, which keeps its start for the message and drops the rest (written
/// to a file, a receiver answering without end filled the disk — 1.9 GB in a 5 s timeout), and
/// the status follows it behind a marker the receiver cannot know.
struct WebhookChannel: NotifyChannel {
    let spec: ChannelSpec
    let url: URL
    let headers: [String: String]

    func send(_ delivery: Delivery) throws {
        var lines = headers.map { "\($0.key): \($0.value)" }
        lines.append("Content-Type: application/json; charset=utf-8")
        lines.append("Idempotency-Key: \(delivery.idempotencyKey)")
        if let line = lines.first(where: { $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }) {
            throw DeliveryError.unreachable("\(spec.name): the header '\(Delivery.printable(String(line.prefix(120))))' holds a control "
                                            + "character (a line break would add a header); fix the user id or header in sinergi.lua")
        }
        // The URL and the headers (tokens among them) reach curl as a config on a pipe: neither
        // its command line, which `ps` shows, nor a file, which a killed deliverer would leave.
        let config = (["url = " + Self.configString(url.absoluteString)] + lines.map { "header = " + Self.configString($0) })
            .joined(separator: "\n") + "\n"
        let marker = "\nsinergi-status-\(UUID().uuidString):"
        let arguments = ["--config", "/dev/fd/\(ProgramRun.privateInputDescriptor)", "--silent", "--show-error", "--request", "POST",
                         "--proto", "=http,https", "--max-redirs", "0", "--max-time", String(format: "%.3f", spec.timeout),
                         "--data-binary", "@-", "--output", "-", "--write-out", marker + "%{http_code}"]
        let shown = ChannelSpec.shown(url)
        let ending = try ProgramRun.run(try Self.curl(), arguments, input: try delivery.json, privateInput: Data(config.utf8),
                                        timeout: spec.timeout + ProgramRun.killGrace, what: "\(spec.name): curl \(shown)", timeoutText: spec.timeoutText)
        // The status curl received, written after the answer even when it stopped at its timeout.
        let end = String(decoding: ending.outputEnd, as: UTF8.self)
        let received = end.range(of: marker, options: .backwards).flatMap { Int(end[$0.upperBound...]) }.flatMap { $0 > 0 ? $0 : nil }
        // curl's exit 28 is its own timeout; any other non-zero exit is a network failure.
        if ending.status == 28 {
            // A receiver that sent its status but not the end of its answer in time is a failure,
            // retried like any other, even for a 2xx status: DESIGN.md's outbox contract is at-least-once
            // delivery ("delivery is at least once, with retries"; the README: "a webhook succeeds
            // on a 2xx status only", a condition, not a sufficient one), so a send whose exchange
            // did not complete is not recorded as delivered — a receiver (or a proxy before it)
            // may answer 200 before it has kept the message. Sending it again costs a duplicate the
            // receiver drops by its Idempotency-Key; recording it would risk losing it.
            guard let received else {
                throw DeliveryError.timedOut("\(spec.name): no answer from \(shown) within \(spec.timeoutText)")
            }
            throw DeliveryError.timedOut("\(spec.name): \(shown) answered \(received) but did not finish its answer "
                                         + "within \(spec.timeoutText), so it is not counted as delivered")
        }
        guard ending.exited, ending.status == 0, let status = received else {
            throw DeliveryError.failed("\(spec.name): \(shown): \(ending.errors.isEmpty ? "curl exited with status \(ending.status)" : ending.errors)")
        }
        guard (200..<300).contains(status) else {
            // The answer's start (already printable), up to the marker when it was short.
            let printableMarker = Delivery.printable(marker).trimmingCharacters(in: .whitespacesAndNewlines)
            let answer = ending.output.range(of: printableMarker).map { String(ending.output[..<$0.lowerBound]) } ?? ending.output
            let excerpt = String(answer.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
            throw DeliveryError.refused("\(spec.name): \(shown) answered \(status)\(excerpt.isEmpty ? "" : ": \(excerpt)")")
        }
    }

    /// `text` as a quoted string of a curl config file (its escapes: `\\`, `\"`; control
    /// characters were refused before).
    static func configString(_ text: String) -> String {
        // Scalar by scalar: a `\` or `"` with a combining mark after it is still one to escape.
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "\"" { quoted.append("\\") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// curl on `PATH` (the usual folders when PATH is unset).
    static func curl() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("curl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw DeliveryError.failed("the webhook channel needs curl on PATH (apt-get install curl)")
    }
}
