import Agreements
import Foundation
import LuaKit
import Notify
import Testing
@testable import ScriptHost

/// `channels{…}` and `notifications = {…}` in `sinergi.lua`, read into Notify's values.
@Suite struct NotifyConfigurationTests {
    func load(_ text: String) throws -> WorkspaceConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-\(UUID().uuidString).lua")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try WorkspaceConfiguration.load(from: file)
    }

    /// The message of a load error, whichever way it arrives (a host error inside a Lua error).
    func loadError(_ text: String) -> String {
        do {
            _ = try load(text)
            return "no error"
        } catch let LuaError.callback(host, _) {
            return "\(host.error)"
        } catch {
            return "\(error)"
        }
    }

    /// A user's id, name, login and contacts reach mail and HTTP headers, logs and terminals: a
    /// control character in one (`u1\r\nX-Injected: yes` added a header to every webhook POST
    /// through the Idempotency-Key) is refused where sinergi.lua declares it.
    @Test func aUserFieldWithAControlCharacterIsRefused() throws {
        for field in [#"id = "u1\r\nX-Injected: yes", name = "U""#, #"id = "u1", name = "U\27[2J""#,
                      #"id = "u1", name = "U", login = "u\n1""#] {
            let text = "users { { \(field), roles = { \"sekretariat\" } } }\n"
            #expect(loadError(text).contains("holds a control character"), "\(field): \(loadError(text))")
        }
        let contact = #"users { { id = "u1", roles = { "sekretariat" }, contact = { phone = "1\r\n2" } } }"# + "\n"
        #expect(loadError(contact).contains("users: u1: contact.phone holds a control character"), "\(loadError(contact))")
        #expect(try load("users { { id = \"pak.budi\", name = \"Pak Budi\", roles = { \"sekretariat\" } } }\n").users.map(\.id) == ["pak.budi"])
    }

    @Test func withoutChannelsTheConsoleIsUsedWithTheDefaultPolicy() throws {
        // Not an empty file: Foundation leaks its 4 KB read buffer on one (LeakSanitizer, `make sanitize`).
        let configuration = try load("-- no channels\n")
        #expect(configuration.notifications.channels.isEmpty)
        #expect(configuration.notifications.effectiveChannels.map(\.kind) == [.console])
        #expect(configuration.notifications.policy == DeliveryPolicy())
    }

    @Test func channelsAndPolicyAreRead() throws {
        let configuration = try load("""
            channels {
              { name = "arsip", type = "file", path = "outbox/messages.jsonl" },
              { name = "wa", type = "webhook", url = "http://127.0.0.1:9000/kirim", contact = "phone", timeout = "5s",
                headers = { Authorization = "Bearer x" } },
            }
            channels { { name = "surel", type = "command", command = { "/usr/sbin/sendmail", "-t", "-i" }, contact = "email" },
                       { type = "console" } }
            notifications = { max_attempts = 3, retry_after = "30s", max_retry_after = "1h", lease = "2m" }
            """)
        let channels = configuration.notifications.channels
        #expect(channels.map(\.name) == ["arsip", "wa", "surel", "console"])
        #expect(channels[0].kind == .file(path: "outbox/messages.jsonl"))
        #expect(channels[1].kind == .webhook(url: try #require(URL(string: "http://127.0.0.1:9000/kirim")), headers: ["Authorization": "Bearer x"]))
        #expect(channels[1].contact == "phone" && channels[1].timeout == 5)
        // A command channel with a contact writes a mail.
        #expect(channels[2].kind == .command(arguments: ["/usr/sbin/sendmail", "-t", "-i"], format: .mail))
        let policy = configuration.notifications.policy
        #expect(policy.maxAttempts == 3 && policy.firstRetryDelay == 30 && policy.maxRetryDelay == 3600 && policy.lease == 120)
    }

    @Test(arguments: [
        (#"channels { { type = "pigeon" } }"#, "type 'pigeon' is not console, file, webhook or command"),
        (#"channels { { type = "file" } }"#, "a file channel needs path"),
        (#"channels { { type = "file", path = "/etc/x" } }"#, "must be a file inside the workspace"),
        // A "/" with a combining mark after it is still a step up (split by byte, not by Character).
        ("channels { { type = \"file\", path = \"../\u{301}x.jsonl\" } }", "must be a file inside the workspace"),
        (#"channels { { type = "console", contacts = "email" } }"#, "'contacts' is not a channel field"),
        (#"channels { { type = "console" }, { type = "console" } }"#, "the name console is used twice"),
        (#"channels { { type = "command", command = "sendmail -t" } }"#, "as a list of strings (no shell)"),
        (#"channels { { type = "command", command = { "cat" }, format = "xml" } }"#, "format 'xml' is not"),
        (#"channels { { type = "webhook", url = "ftp://x/y" } }"#, "is not an http:// or https:// address"),
        (#"channels { { type = "webhook", url = "http://x/", timeout = "soon" } }"#, "timeout 'soon' is not a duration"),
        (#"channels { "console" }"#, "each entry is a table"),
        (#"channels { { type = "webhook", url = "http://x/", timeout = 5 } }"#, "timeout must be text, got number"),
        (#"channels { { type = "console", contact = { "email" } } }"#, "contact must be text, got table"),
        (#"channels { { type = "webhook", url = "http://x/", headers = "Authorization: x" } }"#, "holds text only"),
        (#"notifications = { max_attempts = 0 }"#, "max_attempts must be a whole number between 1 and 100"),
        (#"notifications = { max_attempts = "8" }"#, "max_attempts must be a whole number between 1 and 100"),
        (#"notifications = { lease = "1e300s" }"#, "lease must be a duration from 1s to 168h"),
        // A send that can outlive the lease would be sent again and again.
        (#"channels { { type = "webhook", url = "http://x/", timeout = "1h" } }"#,
         "notifications.lease (300s) must be longer than channel webhook's timeout (3600s) plus 5s"),
        (#"channels { { type = "webhook", url = "http://x/", timeout = "10s" } } notifications = { lease = "14s" }"#,
         "notifications.lease (14s) must be longer than channel webhook's timeout (10s) plus 5s"),
        (#"notifications = { retry_after = 60 }"#, "retry_after must be a duration from 1s to 168h"),
        (#"notifications = { retry_after = "1h", max_retry_after = "1m" }"#, "max_retry_after must not be shorter"),
        (#"notifications = { retries = 3 }"#, "retries is not a setting"),
    ])
    func aChannelOrSettingThatCannotWorkStopsTheLoad(_ text: String, _ expected: String) {
        let message = loadError(text)
        #expect(message.contains(expected), "\(message)")
    }
}
