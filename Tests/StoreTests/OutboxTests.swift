import Agreements
import Foundation
import Testing
@testable import Store

/// The outbox's enqueue: idempotent by key, in the caller's unit, validated at entry.
@Suite struct OutboxTests {
    struct Boom: Error {}
    let outbox = Outbox()

    func message(key: String? = "expiry:1:30", to: String = "role:sekretariat") -> OutboxMessage {
        OutboxMessage(to: to, subject: "KB 1/2026 berakhir 30 hari lagi", body: "Mohon ditindaklanjuti.\n", key: key)
    }

    @Test func aKeyIsQueuedOnceAndMessagesWithoutKeyAlways() throws {
        let fixture = try StoreFixture()
        let results = try fixture.database.write { unit in
            [try outbox.enqueue(message(), by: "admin", at: "t", in: unit),
             try outbox.enqueue(message(), by: "admin", at: "t", in: unit),
             try outbox.enqueue(message(key: nil), by: "admin", at: "t", in: unit),
             try outbox.enqueue(message(key: nil), by: "admin", at: "t", in: unit)]
        }
        #expect(results == [true, false, true, true])
        // A later unit, after the first message was sent, does not queue the key again either.
        try fixture.tamper("UPDATE outbox SET status = 'sent' WHERE key IS NOT NULL")
        #expect(try fixture.database.write { try outbox.enqueue(message(), by: "admin", at: "t", in: $0) } == false)
        let entries = try fixture.database.read { try outbox.list(status: nil, in: $0) }.reversed()
        #expect(entries.map(\.message.key) == ["expiry:1:30", nil, nil])
        #expect(entries.first?.status == .sent)
        #expect(entries.last?.status == .pending)
        #expect(entries.last?.message == message(key: nil))
        #expect(entries.last?.createdBy == "admin")
    }

    @Test func aFailingUnitKeepsNoMessage() throws {
        let fixture = try StoreFixture()
        #expect(throws: Boom.self) {
            try fixture.database.write { unit in
                try outbox.enqueue(message(), by: "admin", at: "t", in: unit)
                throw Boom()
            }
        }
        #expect(try fixture.database.read { try outbox.list(status: nil, in: $0) }.isEmpty)
        // The key is free again: the rolled-back message never existed.
        #expect(try fixture.database.write { try outbox.enqueue(message(), by: "admin", at: "t", in: $0) })
    }

    @Test func aReadUnitRefusesToQueue() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError.self) { try fixture.database.read { try outbox.enqueue(message(), by: "admin", at: "t", in: $0) } }
    }

    /// A refused message, named by what is wrong with it (the huge ones would flood the test log).
    struct Refused: CustomTestStringConvertible, Sendable {
        var why: String
        var message: OutboxMessage
        var testDescription: String { why }
        init(_ why: String, _ message: OutboxMessage) { (self.why, self.message) = (why, message) }
    }

    @Test(arguments: [
        Refused("no prefix", OutboxMessage(to: "sekretariat", subject: "s", body: "")),
        Refused("empty role", OutboxMessage(to: "role:", subject: "s", body: "")),
        Refused("unknown form", OutboxMessage(to: "group:x", subject: "s", body: "")),
        Refused("space around the id", OutboxMessage(to: "user: sari", subject: "s", body: "")),
        Refused("space after the id", OutboxMessage(to: "user:sari ", subject: "s", body: "")),
        Refused("ideographic space before the role", OutboxMessage(to: "role:\u{3000}sekretariat", subject: "s", body: "")),
        Refused("nothing before the colon", OutboxMessage(to: ":sari", subject: "s", body: "")),
        Refused("a form in capitals", OutboxMessage(to: "USER:sari", subject: "s", body: "")),
        Refused("empty subject", OutboxMessage(to: "user:sari", subject: "", body: "")),
        Refused("header injection", OutboxMessage(to: "user:sari", subject: "a\r\nBcc: x@example.org", body: "")),
        Refused("escape sequence", OutboxMessage(to: "user:sari", subject: "s", body: "\u{1B}[2J")),
        Refused("NUL", OutboxMessage(to: "user:sari", subject: "s", body: "nul\u{0}")),
        Refused("DEL", OutboxMessage(to: "user:sari", subject: "s", body: "del\u{7F}")),
        Refused("C1 control in the body", OutboxMessage(to: "user:sari", subject: "s", body: "é\u{85}")),
        Refused("C1 control in the subject", OutboxMessage(to: "user:sari", subject: "\u{80}", body: "")),
        Refused("subject of spaces", OutboxMessage(to: "user:sari", subject: " \u{3000}\u{A0}\u{2029}", body: "")),
        Refused("body too long", OutboxMessage(to: "user:sari", subject: "s",
                                               body: String(repeating: "x", count: OutboxMessage.maximumBodyBytes + 1))),
        Refused("subject too long", OutboxMessage(to: "user:sari", subject: String(repeating: "x", count: OutboxMessage.maximumSubjectBytes + 1),
                                                  body: "")),
        Refused("empty key", OutboxMessage(to: "user:sari", subject: "s", body: "", key: "")),
        Refused("key with a line break", OutboxMessage(to: "user:sari", subject: "s", body: "", key: "a\nb")),
    ])
    func aMessageThatBreaksTheLimitsIsRefused(_ refused: Refused) throws {
        let fixture = try StoreFixture()
        #expect {
            try fixture.database.write { try outbox.enqueue(refused.message, by: "admin", at: "t", in: $0) }
        } throws: { error in
            guard case DomainError.validation(let text) = error else { return false }
            return text.hasPrefix("notify: ")
        }
    }

    @Test func theLargestAllowedMessageIsQueuedWithLineBreaksAndTabs() throws {
        let fixture = try StoreFixture()
        let body = "a\tb\r\n" + String(repeating: "é", count: (OutboxMessage.maximumBodyBytes - 5) / 2)
        let message = OutboxMessage(to: "role:pd:DLH", subject: String(repeating: "s", count: OutboxMessage.maximumSubjectBytes),
                                    body: body)
        #expect(try fixture.database.write { try outbox.enqueue(message, by: "admin", at: "t", in: $0) })
        #expect(try message.recipient == .role("pd:DLH"))
        #expect(try OutboxRecipient(parsing: "role:pd:Dinas Lingkungan Hidup") == .role("pd:Dinas Lingkungan Hidup"))
    }

    /// Scalars next to the C1 block in UTF-8 (U+00A0–U+00FF share its 0xC2/0xC3 lead bytes) and
    /// text in other scripts are text, not controls; a subject of one non-ASCII letter is not blank.
    @Test func nonASCIITextNextToTheControlsIsQueued() throws {
        let fixture = try StoreFixture()
        for (subject, body) in [("\u{A0}é", "«Tahap» ¡sí! ¿ \u{A0}\u{BF}\u{C0}\u{FF} ꦱꦶꦤꦼꦂꦒꦶ €"), ("é", ""), ("\u{3000}x", "\u{2028}")] {
            let message = OutboxMessage(to: "user:sari", subject: subject, body: body)
            #expect(try fixture.database.write { try outbox.enqueue(message, by: "admin", at: "t", in: $0) }, "\(subject)")
        }
    }

    /// A claim takes the oldest due message whose lease is free, counts an attempt and leases it;
    /// only the lease's owner, while it holds it, records the outcome.
    @Test func aClaimLeasesTheOldestDueMessageAndOnlyItsOwnerFinishesIt() throws {
        let fixture = try StoreFixture()
        try fixture.database.write { unit in
            try outbox.enqueue(message(key: "first"), by: "admin", at: "t", in: unit)
            try outbox.enqueue(message(key: "second"), by: "admin", at: "t", in: unit)
        }
        let claim = { (owner: String, now: Int64) in
            try fixture.database.write { try outbox.claimNext(owner: owner, now: now, lease: 1000, in: $0) }
        }
        let first = try #require(try claim("A", 5000))
        #expect(first.message.key == "first" && first.attempts == 1 && first.leaseOwner == "A" && first.leaseUntil == 6000)
        #expect(try claim("B", 5500)?.message.key == "second")
        #expect(try claim("C", 5999) == nil)
        // B failed and retries at 9000; A's lease ran out at 6000, so C takes A's message.
        #expect(try fixture.database.write {
            try outbox.finish(id: 2, owner: "B", outcome: .retry(at: 9000, error: "500"), delivered: ["wa/sari"], now: 5600, in: $0)
        })
        #expect(try claim("C", 6000)?.id == 1)
        #expect(try claim("D", 6500) == nil)
        #expect(try fixture.database.write {
            try outbox.finish(id: 1, owner: "A", outcome: .sent, delivered: [], now: 6001, in: $0)
        } == false)
        #expect(try fixture.database.write {
            try outbox.finish(id: 1, owner: "C", outcome: .dead(error: "gave up"), delivered: [], now: 6001, in: $0)
        })
        let entries = try fixture.database.read { try outbox.list(status: nil, in: $0) }
        #expect(entries.map(\.status) == [.pending, .dead])
        #expect(entries.first?.dueAt == 9000 && entries.first?.delivered == ["wa/sari"] && entries.first?.lastError == "500")
        #expect(entries.last?.attempts == 2 && entries.last?.leaseOwner == nil && entries.last?.lastError == "gave up")
        #expect(try claim("D", 9000)?.attempts == 2)
    }
}
