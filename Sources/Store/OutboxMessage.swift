import Agreements
import Foundation

/// A notification as queued: who it is for, what it says, and the key that makes queueing it
/// idempotent (`Outbox.enqueue`).
///
/// The limits keep one message cheap to store and safe to hand to every channel: the subject is
/// one line (it becomes an e-mail `Subject:` header, so a CR or LF in it would let a script add
/// headers), the body is text of at most 64 KB (a reminder, not a document), and nothing holds a
/// control character that could rewrite a terminal or a log line.
///
///     OutboxMessage(to: "role:sekretariat", subject: "KB 12/2026 berakhir 30 hari lagi",
///                   body: "…", key: "expiry:12:30", agreementId: 12)
public struct OutboxMessage: Equatable, Sendable {
    /// `role:NAME` (everyone with the role) or `user:ID` (one declared user).
    public var to: String
    public var subject: String
    public var body: String
    /// Queueing a second message with the same key does nothing; nil: always queued.
    public var key: String?
    /// The agreement the message is about, if any.
    public var agreementId: Int64?

    public init(to: String, subject: String, body: String, key: String? = nil, agreementId: Int64? = nil) {
        self.to = to
        self.subject = subject
        self.body = body
        self.key = key
        self.agreementId = agreementId
    }

    /// At most this many bytes (UTF-8) of subject: one header line.
    public static let maximumSubjectBytes = 1024
    /// At most this many bytes (UTF-8) of body: 64 KB.
    public static let maximumBodyBytes = 64 * 1024
    /// At most this many bytes (UTF-8) of key, and of a recipient's name.
    public static let maximumKeyBytes = 256

    /// Who the message is for, parsed (`to` must be in one of the two forms).
    public var recipient: OutboxRecipient {
        get throws { try OutboxRecipient(parsing: to) }
    }

    /// Refuses a message that breaks the limits above, with `DomainError.validation` naming the
    /// field; the recipient it parsed on the way, for a caller that checks it further.
    @discardableResult
    public func validate() throws -> OutboxRecipient {
        let recipient = try recipient
        try Self.check(subject, field: "subject", maximum: Self.maximumSubjectBytes, lineBreaks: false)
        // A printable ASCII byte settles it at once; only subjects without one are walked as Characters.
        guard subject.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) || !subject.allSatisfy(\.isWhitespace) else {
            throw DomainError.validation("notify: subject is empty; give a one-line subject")
        }
        try Self.check(body, field: "body", maximum: Self.maximumBodyBytes, lineBreaks: true)
        if let key {
            try Self.check(key, field: "key", maximum: Self.maximumKeyBytes, lineBreaks: false)
            guard !key.isEmpty else { throw DomainError.validation("notify: key is empty; give a key or leave it out") }
        }
        return recipient
    }

    /// Refuses text longer than `maximum` bytes, or with a control character (C0, DEL, C1) —
    /// except tab, LF and CR where `lineBreaks` allows them.
    static func check(_ text: String, field: String, maximum: Int, lineBreaks: Bool) throws {
        let bytes = text.utf8
        guard bytes.count <= maximum else {
            throw DomainError.validation("notify: \(field) is \(bytes.count) bytes, more than the \(maximum) allowed")
        }
        let control = bytes.withContiguousStorageIfAvailable { firstControl(in: $0, lineBreaks: lineBreaks) }
            ?? Array(bytes).withUnsafeBufferPointer { firstControl(in: $0, lineBreaks: lineBreaks) }
        if let control {
            throw DomainError.validation("notify: \(field) contains the control character U+\(String(control, radix: 16, uppercase: true))"
                                         + (lineBreaks ? "" : " (it must be one line)"))
        }
    }

    /// The first control character (C0, DEL, C1) in UTF-8 `bytes` — tab, LF and CR allowed with
    /// `lineBreaks` — by byte (a body is up to 64 KB, checked on every enqueue): C0 and DEL are
    /// single bytes, and a C1 control (U+0080–U+009F) is the only scalar encoded as 0xC2 then 0x80–0x9F.
    private static func firstControl(in bytes: UnsafeBufferPointer<UInt8>, lineBreaks: Bool) -> UInt32? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F {
                if !(lineBreaks && (byte == 0x0A || byte == 0x09 || byte == 0x0D)) { return UInt32(byte) }
            } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] <= 0x9F {
                return UInt32(bytes[index + 1])
            }
            index += 1
        }
        return nil
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// The two forms of `OutboxMessage.to`.
public enum OutboxRecipient: Equatable, Sendable, CustomStringConvertible {
    /// Everyone who has the role (`role:sekretariat`, `role:pd:DLH`).
    case role(String)
    /// One declared user, by id (`user:sari`).
    case user(String)

    /// Parses `role:NAME` or `user:ID`; the name is non-empty, without control characters or
    /// spaces around it (inside is fine: `role:pd:Dinas Lingkungan Hidup`).
    public init(parsing text: String) throws {
        // On UTF-8 and the scalars at the name's ends: every notification is parsed on its way
        // into the outbox, a workflow transition's included.
        let colon = text.utf8.firstIndex(of: UInt8(ascii: ":"))
        let kind = colon.map { text[..<$0] } ?? "", name = colon.map { text[text.utf8.index(after: $0)...] } ?? ""
        guard colon != nil, !name.isEmpty, name.utf8.count <= OutboxMessage.maximumKeyBytes,
              !name.hasBlankEnds(newlines: false),
              !name.unicodeScalars.contains(where: { OutboxMessage.isControl($0) }),
              kind == "role" || kind == "user" else {
            throw DomainError.validation("notify: to = '\(String(text.unicodeScalars.prefix(80).filter { !OutboxMessage.isControl($0) }.map(Character.init)))' "
                                         + "is not \"role:NAME\" or \"user:ID\" (e.g. to = \"role:sekretariat\")")
        }
        self = kind == "role" ? .role(String(name)) : .user(String(name))
    }

    public var description: String {
        switch self {
        case let .role(name): return "role:\(name)"
        case let .user(id): return "user:\(id)"
        }
    }
}
