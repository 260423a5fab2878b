import Agreements
import Foundation
import Testing
@testable import Notify
import Store

/// The file, command and console channels on real files and processes, and what a channel
/// declaration must hold.
@Suite struct ChannelTests {
    @Test func theFileChannelAppendsOneValidJSONObjectPerLine() throws {
        let fixture = try NotifyFixture()
        let spec = try ChannelSpec(name: "arsip", kind: .file(path: "outbox/messages.jsonl"))
        try fixture.enqueue("Baris \"satu\"", to: "user:sari", key: "a", body: "dua\nbaris\tdan \u{00E9}\n")
        try fixture.enqueue("Dua orang", key: "b")
        #expect(try fixture.deliverer([spec]).deliverDue().sent == 2)
        try fixture.enqueue("Berikutnya", to: "user:budi", key: "c")
        #expect(try fixture.deliverer([spec]).deliverDue().sent == 1)
        let text = try String(contentsOf: fixture.folder.appendingPathComponent("outbox/messages.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5 && lines.last == "")
        let objects = try lines.dropLast().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["idempotency_key"] as? String } == ["a/sari", "b/sari", "b/budi", "c/budi"])
        #expect(objects.first?["body"] as? String == "dua\nbaris\tdan \u{00E9}\n")
        #expect(objects.first?["subject"] as? String == "Baris \"satu\"")
        #expect(objects.first?["address"] == nil)
    }

    /// Two deliverers appending to one file at once: every line is whole (one write per line, O_APPEND).
    @Test func twoDeliverersAppendWholeLinesToOneFile() throws {
        let fixture = try NotifyFixture()
        let body = String(repeating: "panjang ", count: 4000)
        for index in 1...40 { try fixture.enqueue("Pesan \(index)", key: "m\(index)", body: body) }
        let spec = try ChannelSpec(name: "arsip", kind: .file(path: "outbox/messages.jsonl"))
        let databases = [fixture.database, try SinergiDatabase(path: fixture.database.path)]
        let (users, clock, folder) = (fixture.users, fixture.clock, fixture.folder)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let channel = spec.channel(root: folder, console: { _ in })
            _ = try? Deliverer(database: databases[index], users: users, channels: [channel], clock: clock).deliverDue()
        }
        let text = try String(contentsOf: fixture.folder.appendingPathComponent("outbox/messages.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 80)
        let keys = try lines.map { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["idempotency_key"] as? String ?? ""
        }
        #expect(Set(keys).count == 80)
        #expect(try fixture.entries().allSatisfy { $0.status == .sent })
    }

    @Test func theFileChannelRefusesASymbolicLinkOnItsPath() throws {
        let fixture = try NotifyFixture()
        let elsewhere = fixture.folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: fixture.folder.appendingPathComponent("outbox"), withDestinationURL: elsewhere)
        try FileManager.default.createSymbolicLink(at: fixture.folder.appendingPathComponent("direct.jsonl"),
                                                   withDestinationURL: elsewhere.appendingPathComponent("stolen.jsonl"))
        try fixture.enqueue("Jangan ke sana", to: "user:sari")
        for path in ["outbox/messages.jsonl", "direct.jsonl"] {
            let summary = try fixture.deliverer([try ChannelSpec(name: "arsip", kind: .file(path: path))]).deliverDue()
            #expect(summary.retrying == 1)
            #expect(summary.failures.first?.error.contains("symbolic link is refused") == true)
            fixture.clock.advance(DeliveryPolicy().maxRetryDelay)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    /// A FIFO no program reads is named as such, not as a symbolic link.
    @Test func aFIFOWithoutAReaderIsNamedAsOne() throws {
        let fixture = try NotifyFixture()
        try FileManager.default.createDirectory(at: fixture.folder, withIntermediateDirectories: true)
        #expect(mkfifo(fixture.folder.appendingPathComponent("pipa").path, 0o600) == 0)
        try fixture.enqueue("Ke pipa", to: "user:sari")
        let summary = try fixture.deliverer([try ChannelSpec(name: "arsip", kind: .file(path: "pipa"))]).deliverDue()
        #expect(summary.failures.first?.error == "arsip/sari: pipa: cannot open for appending: it is a FIFO no program is reading",
                "\(summary.failures)")
    }

    /// A long ASCII subject is folded as encoded-words: no line of the mail passes RFC 5322's 998.
    @Test func aLongSubjectIsFoldedWithinTheLineLimit() throws {
        let long = String(repeating: "A", count: 1024)
        let folded = Delivery.encodedWord(long)
        #expect(folded.split(separator: "\n").allSatisfy { $0.utf8.count <= 76 })
        let decoded = folded.split(separator: "\n").map { word in
            let base64 = word.trimmingCharacters(in: .whitespaces).dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == long)
        #expect(Delivery.encodedWord("Perjanjian berakhir") == "Perjanjian berakhir")
    }

    @Test func theCommandChannelPipesJSONOrAMailToAProgramWithoutAShell() throws {
        let fixture = try NotifyFixture()
        let json = fixture.folder.appendingPathComponent("piped.jsonl").path
        let mail = fixture.folder.appendingPathComponent("mail.txt").path
        let specs = [try ChannelSpec(name: "program", kind: .command(arguments: ["tee", "-a", json], format: .json)),
                     try ChannelSpec(name: "surel", kind: .command(arguments: ["tee", "-a", mail], format: .mail), contact: "email")]
        try fixture.enqueue("Perjanjian berakhir — segera", to: "user:sari", key: "$(touch pwned)", body: "Baris 1\r\n.\nBaris 3")
        #expect(try fixture.deliverer(specs).deliverDue().sent == 1)
        let piped = try String(contentsOfFile: json, encoding: .utf8)
        let object = try JSONSerialization.jsonObject(with: Data(piped.utf8)) as? [String: Any]
        #expect(object?["idempotency_key"] as? String == "$(touch pwned)/sari")
        let written = try String(contentsOfFile: mail, encoding: .utf8)
        let subjectWord = "=?UTF-8?B?" + Data("Perjanjian berakhir — segera".utf8).base64EncodedString() + "?="
        #expect(written == """
            To: sari@example.org
            Subject: \(subjectWord)
            MIME-Version: 1.0
            Content-Type: text/plain; charset=UTF-8
            Content-Transfer-Encoding: 8bit
            X-Sinergi-Idempotency-Key: $(touch pwned)/sari

            Baris 1
            .
            Baris 3

            """)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent("pwned").path))
    }

    @Test func aProgramPastItsTimeoutIsStoppedAndAFailingOneReported() throws {
        let fixture = try NotifyFixture()
        try fixture.enqueue("Lambat", to: "user:sari")
        let slow = try ChannelSpec(name: "lambat", kind: .command(arguments: ["sleep", "100"], format: .json), timeout: 0.2)
        var summary = try fixture.deliverer([slow]).deliverDue()
        #expect(summary.retrying == 1)
        #expect(summary.failures.first?.error == "lambat/sari: lambat: sleep did not finish within 0.2s and was stopped")
        fixture.clock.advance(DeliveryPolicy().maxRetryDelay)
        let failing = try ChannelSpec(name: "gagal", kind: .command(arguments: ["sh", "-c", "echo 'relay refused' >&2; exit 75"],
                                                                     format: .json))
        summary = try fixture.deliverer([failing]).deliverDue()
        #expect(summary.failures.first?.error == "gagal/sari: gagal: sh exited with status 75: relay refused")
        fixture.clock.advance(DeliveryPolicy().maxRetryDelay)
        let missing = try ChannelSpec(name: "hilang", kind: .command(arguments: ["no-such-program-sinergi"], format: .json))
        summary = try fixture.deliverer([missing]).deliverDue()
        #expect(summary.failures.first?.error.contains("no program no-such-program-sinergi on PATH") == true)
    }

    /// A program that exits at once but leaves a process behind (a mailer's queue runner) has
    /// sent: the send neither waits for the process nor times out. One past its timeout is
    /// stopped with what it started (its process group).
    @Test func aProgramThatLeavesABackgroundProcessHasSentAndATimeoutStopsItsGroup() throws {
        let fixture = try NotifyFixture()
        try fixture.enqueue("Latar", to: "user:sari")
        let marker = fixture.folder.appendingPathComponent("still-running").path
        let detached = try ChannelSpec(name: "latar", kind: .command(arguments: ["sh", "-c", "cat >/dev/null; (sleep 30 >/dev/null 2>&1 </dev/null &); exit 0"],
                                                                      format: .json), timeout: 5)
        let began = Date()
        #expect(try fixture.deliverer([detached]).deliverDue() == Deliverer.Summary(sent: 1))
        #expect(Date().timeIntervalSince(began) < 5)
        try fixture.enqueue("Grup", to: "user:sari")
        let group = try ChannelSpec(name: "grup", kind: .command(arguments: ["sh", "-c", "(sleep 3; touch '\(marker)') & sleep 100"],
                                                                 format: .json), timeout: 0.5)
        let summary = try fixture.deliverer([group]).deliverDue()
        #expect(summary.failures.first?.error == "grup/sari: grup: sh did not finish within 0.5s and was stopped")
        Thread.sleep(forTimeInterval: 4)
        #expect(!FileManager.default.fileExists(atPath: marker), "the program's background process outlived its stop")
    }

    @Test func aMailAddressThatIsNotOneAddressIsRefused() throws {
        let fixture = try NotifyFixture()
        let entry = try #require(try {
            try fixture.enqueue("S", to: "user:sari")
            return try fixture.entries().first
        }())
        for address in ["a@b.org, evil@example.org", "Sari <sari@example.org>", "no-at-sign", "a@b.org\nBcc: x@y.org"] {
            #expect(throws: DeliveryError.self) {
                try Delivery(entry: entry, user: fixture.users[0], address: address).mail()
            }
        }
    }

    @Test func theConsoleChannelPrintsAHeaderAndTheIndentedBody() throws {
        let fixture = try NotifyFixture()
        try fixture.enqueue("Judul", to: "user:sari", body: "baris\r\nkedua\r\n\nketiga")
        let printed = Printed()
        let channel = ChannelSpec.console.channel(root: fixture.folder, console: { printed.add($0) })
        let deliverer = Deliverer(database: fixture.database, users: fixture.users, channels: [channel], clock: fixture.clock)
        #expect(try deliverer.deliverDue().sent == 1)
        #expect(printed.all == ["notify #1 to sari (Sari) [user:sari]: Judul\n    baris\n    kedua\n    ketiga"])
    }

    /// What reaches a terminal or an error message never carries a control character (C0, DEL, C1).
    @Test func printableTextShowsControlCharactersEscaped() {
        #expect(Delivery.printable("a\u{1B}[2Jb\u{85}c\u{7F}\n") == "a\\u{1b}[2Jb\\u{85}c\\u{7f}\n")
    }

    final class Printed: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    @Test(arguments: [
        ("bad name", ChannelSpec.Kind.console, nil as String?),
        ("f", .file(path: "/etc/passwd"), nil),
        ("f", .file(path: "../outside.jsonl"), nil),
        ("f", .file(path: "a//b"), nil),
        ("w", .webhook(url: URL(fileURLWithPath: "/tmp/x"), headers: [:]), nil),
        ("w", .webhook(url: URL(string: "http://127.0.0.1/")!, headers: ["X-A": "b\r\nInjected: 1"]), nil),
        ("w", .webhook(url: URL(string: "http://127.0.0.1/")!, headers: ["Idempotency-Key": "x"]), nil),
        ("c", .command(arguments: [], format: .json), nil),
        ("c", .command(arguments: ["sendmail", "-t"], format: .mail), nil),
        ("c", .console, ""),
    ])
    func aChannelThatCannotWorkIsRefusedWhenDeclared(_ name: String, _ kind: ChannelSpec.Kind, _ contact: String?) {
        #expect(throws: DomainError.self) { try ChannelSpec(name: name, kind: kind, contact: contact) }
    }
}
