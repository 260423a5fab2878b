import Agreements
import Foundation
import Store

/// One message on its way to one user through one channel: what a channel sends.
///
/// Every channel writes the same facts; `json` is the one form of them that the file, webhook
/// and command (`format = "json"`) channels share, and `mail` the form `sendmail -t` reads.
public struct Delivery: Sendable {
    public var entry: OutboxEntry
    public var user: User
    /// The user's contact on this channel (the value of the channel's `contact` key), if it has one.
    public var address: String?

    public init(entry: OutboxEntry, user: User, address: String?) {
        self.entry = entry
        self.user = user
        self.address = address
    }

    /// What a receiver dedupes by: the message's key (or `sinergi-outbox-ID` for a message
    /// queued without one) and the user, since one message to a role reaches several people.
    public var idempotencyKey: String {
        (entry.message.key ?? "sinergi-outbox-\(entry.id)") + "/" + user.id
    }

    /// The fields of `json`, in the order of the documentation (written with sorted keys).
    struct Payload: Encodable {
        var id: Int64
        var key: String?
        var idempotency_key: String
        var to: String
        var user: String
        var name: String
        var address: String?
        var subject: String
        var body: String
        var agreement_id: Int64?
        var created_at: String
        var created_by: String
    }

    /// One JSON object on one line (sorted keys; strings escaped, so a body's line breaks stay
    /// inside); absent values are left out.
    public var json: Data {
        get throws {
            let message = entry.message
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(Payload(id: entry.id, key: message.key, idempotency_key: idempotencyKey, to: message.to,
                                              user: user.id, name: user.name, address: address, subject: message.subject,
                                              body: message.body, agreement_id: message.agreementId,
                                              created_at: entry.createdAt, created_by: entry.createdBy))
        }
    }

    /// An RFC 5322 message for `sendmail -t`: `To:` the address, the subject RFC 2047-encoded
    /// when it is not ASCII, UTF-8 text, and the idempotency key as a header. The address must
    /// be one plain address (no list, no display name), so a contact cannot add recipients.
    public func mail() throws -> Data {
        guard let address, address.utf8.count <= 254,
              address.range(of: #"^[^\s,;<>"()\[\]\\@]+@[^\s,;<>"()\[\]\\@]+$"#, options: .regularExpression) != nil else {
            throw DeliveryError.unreachable("\(user.id)'s address '\(Self.printable(address ?? ""))' is not one e-mail address")
        }
        let body = entry.message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let headers = [
            "To: \(address)",
            "Subject: \(Self.encodedWord(entry.message.subject))",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 8bit",
            "X-Sinergi-Idempotency-Key: \(Self.encodedWord(idempotencyKey))",
        ]
        return Data((headers.joined(separator: "\n") + "\n\n" + body + (body.hasSuffix("\n") ? "" : "\n")).utf8)
    }

    /// `text` as is when it is printable ASCII short enough for one header line, else as RFC 2047
    /// encoded-words of at most 75 characters (each a whole number of UTF-8 characters, joined by
    /// folding whitespace).
    static func encodedWord(_ text: String) -> String {
        // Printable ASCII goes as it is (one line already: OutboxMessage refuses line breaks) while
        // its header line stays within RFC 5322's 998 characters; longer, it is folded as words.
        if text.utf8.count <= maximumPlainHeaderText, text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return text
        }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\n ")
    }

    /// The longest header text written unencoded: with its name (`Subject: `) the line stays
    /// under RFC 5322's limit of 998 characters.
    static let maximumPlainHeaderText = 900

    /// `text` with control characters shown as `\u{…}`: safe for a terminal, a log or an error.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 && scalar != "\n" || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Why a send failed; the deliverer records the description as the message's last error.
public enum DeliveryError: Error, Equatable, CustomStringConvertible {
    /// The receiver refused or failed (a non-2xx status, a program's non-zero exit).
    case refused(String)
    /// The send took longer than the channel's timeout.
    case timedOut(String)
    /// The message cannot reach the user this way (no usable address, no such recipient).
    case unreachable(String)
    /// The channel itself failed (a file that cannot be opened, a program that cannot start).
    case failed(String)

    public var description: String {
        switch self {
        case let .refused(text), let .timedOut(text), let .unreachable(text), let .failed(text): return text
        }
    }
}
