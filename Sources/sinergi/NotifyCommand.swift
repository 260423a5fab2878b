import Agreements
import ArgumentParser
import Foundation
import LuaKit
import Notify
import ScriptHost
import Store

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "The outbox: messages that scripts and workflows queued with notify{…}, and their delivery.",
        discussion: """
        Queueing is exactly once per key; delivery is at least once: each message carries an \
        Idempotency-Key (webhook header, JSON field, mail header) for the receiver to drop a repeat. \
        Channels are set in sinergi.lua (channels { … }); without any, messages go to the console.
        """,
        subcommands: [NotifyList.self, NotifyDeliver.self, NotifyRetry.self]
    )
}

/// `notify list`: the outbox, newest first.
struct NotifyList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List outbox messages, newest first, with their status, attempts and last error.",
        discussion: """
        Example: sinergi notify list
        Example: sinergi notify list --status dead --format json
        """)

    enum Status: String, WordArgument { case pending, sent, dead, all }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Which messages: pending, sent, dead or all.") var status: Status = .all
    @Option(help: "At most this many (the newest).") var limit = 100

    func run() throws {
        let context = try CommandContext(global)
        let (entries, counts) = try context.workspace.database.read { unit in
            (try Outbox().list(status: OutboxEntry.Status(rawValue: status.rawValue), limit: max(limit, 0), in: unit),
             try Outbox().counts(in: unit))
        }
        let calendar = context.workspace.configuration.calendar
        func instant(_ milliseconds: Int64?) -> String? {
            milliseconds.map { calendar.timestamp(of: Date(timeIntervalSince1970: Double($0) / 1000)) }
        }
        func orNull(_ value: Any?) -> Any { value ?? NSNull() }
        switch global.outputFormat {
        case .json:
            let objects = entries.map { entry -> [String: Any] in
                let message = entry.message
                return ["id": Int(entry.id), "status": entry.status.rawValue, "attempts": entry.attempts, "to": message.to,
                        "subject": message.subject, "body": message.body, "key": orNull(message.key),
                        "agreement_id": orNull(message.agreementId.map { Int($0) }),
                        "created_at": entry.createdAt, "created_by": entry.createdBy,
                        "due_at": orNull(entry.status == .pending ? instant(entry.dueAt) : nil),
                        "sent_at": orNull(instant(entry.sentAt)), "last_error": orNull(entry.lastError),
                        "delivered": entry.delivered]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        case .csv, .table:
            let header = ["id", "status", "attempts", "to", "subject", "key", "due", "last_error"]
            let rows = entries.map { entry in
                [String(entry.id), entry.status.rawValue, String(entry.attempts), entry.message.to, entry.message.subject,
                 entry.message.key ?? "", entry.status == .pending ? (entry.dueAt == 0 ? "now" : instant(entry.dueAt) ?? "") : "",
                 entry.lastError ?? ""]
            }
            if global.outputFormat == .csv {
                print(([header] + rows).map(CSVTable.line).joined(separator: "\n"))
            } else {
                if rows.isEmpty {
                    print("no \(status == .all ? "" : status.rawValue + " ")messages")
                } else {
                    print(TextTable.render(header, rows.map { $0.map { String($0.prefix(80)) } }))
                }
                print("(outbox: " + OutboxEntry.Status.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + ")")
            }
        }
    }
}

/// `notify deliver`: one delivery pass.
struct NotifyDeliver: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Deliver the messages that are due, once, and print what happened.",
        discussion: """
        A message that fails is retried by a later pass, after a delay that doubles each time \
        (with jitter), and is dead after notifications.max_attempts attempts (default 8). \
        Failures are reported, not errors: the exit status is non-zero only when delivery \
        itself cannot run (the database, sinergi.lua). Run it from the scheduler, cron or a systemd timer.
        Example: sinergi notify deliver
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Deliver at most this many messages in this pass.") var limit: Int?

    func run() throws {
        let context = try CommandContext(global)
        let deliverer = context.workspace.deliverer(clock: context.clock, console: { print($0) })
        let summary = try deliverer.deliverDue(limit: max(limit ?? .max, 0))
        var line = "delivered \(summary.sent), retrying \(summary.retrying), dead \(summary.dead)"
        if summary.leaseLost > 0 { line += ", lease lost \(summary.leaseLost)" }
        print(line)
        for failure in summary.failures {
            print("  #\(failure.id): \(TerminalText.line(failure.error))")
        }
    }
}

/// `notify retry`: put dead messages back.
struct NotifyRetry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put a dead (or waiting) message back, due now with fresh attempts; --dead for every dead one.",
        discussion: """
        Needs the admin or sekretariat role; each message put back is an audit event \
        (sinergi audit log). A sent message is not sent again: queue a new one.
        Example: sinergi notify retry --dead
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The message's id (see notify list).", valueName: "id")) var id: Int64?
    @Flag(help: "Every dead message.") var dead = false

    func validate() throws {
        guard (id != nil) != dead else { throw ValidationError("give a message id or --dead (one of them)") }
    }

    func run() throws {
        let context = try CommandContext(global)
        guard context.user.isAdmin || context.user.has(role: "sekretariat") else {
            throw DomainError.permission("\(context.user.id) may not retry notifications (needs role admin or sekretariat)")
        }
        let outbox = Outbox()
        let count = try context.workspace.database.write { unit -> Int in
            if let id {
                try outbox.retry(id: id, by: context.user.id, at: context.timestamp, in: unit)
                return 1
            }
            return try outbox.retryDead(by: context.user.id, at: context.timestamp, in: unit)
        }
        print("\(count) message\(count == 1 ? "" : "s") due again; deliver with `sinergi notify deliver`")
    }
}
