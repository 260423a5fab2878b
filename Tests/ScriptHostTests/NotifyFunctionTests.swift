import Agreements
import Foundation
import LuaKit
import Store
import Testing
@testable import ScriptHost

/// `notify{…}` from scripts: queued in the run's unit, idempotent by key, refused for unknown
/// recipients, read-only sessions and hostile tables — always a clean error, never a crash.
@Suite struct NotifyFunctionTests {
    static let configuration = """
        roles { "bappeda" }
        users { { id = "sari", name = "Sari", roles = { "sekretariat" }, contact = { email = "sari@example.org" } } }
        """

    func entries(_ fixture: ScriptHostFixture) throws -> [OutboxEntry] {
        try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.reversed()
    }

    /// The error class a failed run reports: the host error inside the Lua error.
    func hostError(_ body: () throws -> Void) -> (any Error)? {
        do {
            try body()
            return nil
        } catch let LuaError.callback(host, _) {
            return host.error
        } catch {
            return error
        }
    }

    @Test func aScriptQueuesAMessageOncePerKey() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: Self.configuration)
        let agreement = try fixture.eval(AgreementsAPITests.create)
        #expect(agreement.count == 1)
        let script = """
            local a = agreements.get("180/1/2027")
            local first = notify{ to = "role:sekretariat", subject = "KB " .. a.number .. " berakhir",
                                  body = "Mohon ditindaklanjuti.\\n", key = "expiry:" .. a.id .. ":30", agreement = a }
            local again = notify{ to = "user:sari", subject = "lagi", key = "expiry:" .. a.id .. ":30" }
            local keyless = notify{ to = "role:bappeda", subject = "tanpa kunci" }
            return first, again, keyless
            """
        #expect(try fixture.session().run(source: script, chunkName: "remind.lua") == [.boolean(true), .boolean(false), .boolean(true)])
        #expect(try fixture.session().run(source: script, chunkName: "remind.lua") == [.boolean(false), .boolean(false), .boolean(true)])
        let queued = try entries(fixture)
        #expect(queued.count == 3)
        #expect(queued.first?.message == OutboxMessage(to: "role:sekretariat", subject: "KB 180/1/2027 berakhir",
                                                      body: "Mohon ditindaklanjuti.\n", key: "expiry:1:30", agreementId: 1))
        #expect(queued.first?.createdBy == "tester")
        #expect(queued.first?.createdAt.hasPrefix("2026-11-30T") == true)
    }

    @Test func aFailingScriptKeepsNoMessage() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: Self.configuration)
        let error = hostError {
            _ = try fixture.session().run(source: """
                notify{ to = "user:sari", subject = "akan hilang", key = "k" }
                error("later failure")
                """, chunkName: "fail.lua")
        }
        #expect(error != nil)
        #expect(try entries(fixture).isEmpty)
        // A dry run keeps nothing either, and the key stays free.
        _ = try fixture.session().run(source: #"notify{ to = "user:sari", subject = "s", key = "k" }"#, chunkName: "d.lua", dryRun: true)
        #expect(try entries(fixture).isEmpty)
        #expect(try fixture.eval(#"notify{ to = "user:sari", subject = "s", key = "k" }"#) == [.boolean(true)])
    }

    @Test func aReadOnlySessionRefusesToQueue() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: Self.configuration)
        let error = hostError { _ = try fixture.eval(#"notify{ to = "user:sari", subject = "s" }"#, readOnly: true) }
        guard case DomainError.permission(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("read-only"))
        #expect(try entries(fixture).isEmpty)
    }

    @Test(arguments: [
        (#"notify{ to = "role:sekertariat", subject = "s" }"#, "neither built in"),
        (#"notify{ to = "user:nobody", subject = "s" }"#, "no user 'nobody'"),
        (#"notify{ to = "sari", subject = "s" }"#, "is not \"role:NAME\" or \"user:ID\""),
        (#"notify{ to = "user:sari" }"#, "to= and subject= are required"),
        (#"notify{ to = "user:sari", subject = 42 }"#, "subject must be a string, got number"),
        (#"notify{ to = "user:sari", subject = "s", body = {} }"#, "body must be a string, got table"),
        (#"notify{ to = "user:sari", subject = "s", key = print }"#, "key must be a string, got function"),
        (#"notify{ to = "user:sari", subject = "s", agreement = 99 }"#, "no agreement with id 99"),
        (#"notify{ to = "user:sari", subject = "s", agreement = "x" }"#, "agreement must be an agreement or its id, got string"),
        (#"notify{ to = "user:sari", subject = "s", agreement = today() }"#, "agreement must be an agreement or its id, got date"),
        (#"notify{ to = "user:sari", subject = "s", cc = "x" }"#, "'cc' is not a field of a notification"),
        (#"notify{ "user:sari", "s" }"#, "1 is not a field of a notification"),
        (#"notify{ to = "user:sari", subject = "a\r\nBcc: x@example.org" }"#, "control character U+D"),
        (#"notify{ to = "user:sari", subject = "s", body = "\27[2J" }"#, "control character U+1B"),
        (#"notify{ to = "user:sari", subject = "s", body = "a\u{85}b" }"#, "control character U+85"),
        (#"notify{ to = "user:sari", subject = "a\u{9F}", body = "b" }"#, "control character U+9F"),
        (#"notify{ to = "user:sari", subject = "s", body = "tab\tok\127" }"#, "control character U+7F"),
        (#"notify{ to = "user:sari", subject = " \u{3000}\u{A0}\u{2028}" }"#, "subject is empty"),
        (#"notify{ to = "user:sari", subject = "" }"#, "subject is empty"),
        (#"notify{ to = "user:sari", subject = "s", body = "\255\254" }"#, "body is not UTF-8 text"),
        (#"notify{ to = "user:sari", subject = "s", body = string.rep("x", 65537) }"#, "body is 65537 bytes, more than the 65536 allowed"),
        (#"notify{ to = "user:sari", subject = "s", body = string.rep("x", 1 << 24) }"#, "more than the 65536 allowed"),
    ])
    func aBadNotificationIsAValidationError(_ chunk: String, _ expected: String) throws {
        let fixture = try ScriptHostFixture(extraConfiguration: Self.configuration)
        let error = hostError { _ = try fixture.eval(chunk) }
        switch error {
        case let DomainError.validation(message)?, let DomainError.notFound(message)?:
            #expect(message.contains(expected), "\(message)")
        default:
            Issue.record("\(chunk): \(String(describing: error))")
        }
        #expect(try entries(fixture).isEmpty)
    }

    /// Metamethods never run (the table is read raw: `__index` supplies nothing, `__pairs` is not
    /// called), and a non-table argument is Lua's own bad-argument error.
    @Test func hostileArgumentsAreRefusedCleanly() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: Self.configuration)
        let indexed = hostError {
            _ = try fixture.eval(#"""
                notify(setmetatable({}, { __index = function() error("metamethod ran") end,
                                          __pairs = function() error("metamethod ran") end }))
                """#)
        }
        guard case DomainError.validation(let message)? = indexed else { Issue.record("\(String(describing: indexed))"); return }
        #expect(message.contains("to= and subject= are required"))
        let notTable = hostError { _ = try fixture.eval(#"notify("user:sari")"#) }
        #expect("\(String(describing: notTable))".contains("table expected, got string"))
        // A table with a __tostring/__name trick in a field is refused by type, never called.
        let tricky = hostError {
            _ = try fixture.eval(#"notify{ to = "user:sari", subject = setmetatable({}, { __tostring = function() error("ran") end }) }"#)
        }
        guard case DomainError.validation(let trickyMessage)? = tricky else { Issue.record("\(String(describing: tricky))"); return }
        #expect(trickyMessage.contains("subject must be a string, got table"))
        // After all that the session still works.
        #expect(try fixture.eval(#"notify{ to = "user:sari", subject = "baik" }"#) == [.boolean(true)])
    }
}
