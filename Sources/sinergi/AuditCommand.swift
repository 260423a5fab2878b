import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail: who changed what, and whether the record is intact.",
        subcommands: [AuditLogCommand.self, AuditVerify.self]
    )
}

struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show the newest audit entries, by register number, with each field's change.",
        discussion: """
        Example: sinergi audit log --agreement CONTOH/001/KSDD/2025 --actor sari --since 2026-12-01
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many entries (newest first).") var limit = 20
    @Option(help: ArgumentHelp("Only entries about this agreement (number or id): its own and its workflow's.", valueName: "agreement")) var agreement: String?
    @Option(help: ArgumentHelp("Only entries by this user id.", valueName: "user")) var actor: String?
    @Option(help: ArgumentHelp("Only entries from this date (YYYY-MM-DD) or ISO 8601 time on.", valueName: "date")) var since: String?

    func run() throws {
        if let since, LocalDate(since) == nil, !since.contains("T") {
            throw DomainError.validation("--since '\(since)' is not a date (YYYY-MM-DD) or an ISO 8601 time")
        }
        let context = try CommandContext(global)
        let (entries, numbers) = try context.workspace.database.read { unit -> ([AuditEntry], [Int64: String]) in
            var id: Int64?
            if let agreement {
                guard let found = try context.workspace.agreements.agreement(idOrNumber: agreement, in: unit) else {
                    throw DomainError.notFound("no agreement with number or id '\(agreement)'")
                }
                id = found.id
            }
            let entries = try AuditLog.entries(limit: limit, aboutAgreement: id, actor: actor, since: since, in: unit)
            return (entries, try context.workspace.agreements.numbers(in: unit))
        }
        func record(_ entry: AuditEntry) -> String {
            guard let id = entry.entityId else { return entry.entity }
            // A workflow entry's id is its agreement's (WorkflowStore.record).
            return entry.entity == "agreement" || entry.entity == "workflow"
                ? numbers[id] ?? "agreement id \(id)" : "\(entry.entity) \(id)"
        }
        try Tabular.print(["id", "at", "actor", "action", "record", "changes"], format: global.outputFormat, rows: entries.map { entry in
            [String(entry.id), entry.at, entry.actor, entry.action, record(entry), AuditLogCommand.changes(entry).joined(separator: "; ")]
        }, objects: {
            entries.map { entry -> [String: Any] in
                ["id": entry.id, "at": entry.at, "actor": entry.actor, "action": entry.action, "entity": entry.entity,
                 "entity_id": entry.entityId ?? NSNull(), "record": record(entry), "changes": AuditLogCommand.changes(entry),
                 "before": entry.before ?? NSNull(), "after": entry.after ?? NSNull(), "hash": entry.hash]
            }
        })
    }

    /// What an entry changed, as people read it: each field of an update with its old and new
    /// value (`ends_on: 2027-01-31 → 2028-01-31`); the document an attach recorded; why a record
    /// was voided; for a change of `sinergi.lua`, the changes it lists (`user mallory added: …`).
    static func changes(_ entry: AuditEntry) -> [String] {
        let after = SnapshotValues(entry.after)
        if entry.entity == ConfigurationLog.entity { return after.values["changes"] as? [String] ?? [] }
        if entry.entity == "workflow" {
            // workflow.transition: kak_diajukan persiapan → persiapan_kajian (approved) "note"
            let text = { (key: String) in after.values[key] as? String }
            var line = [text("event"), [text("from"), text("to")].compactMap { $0 }.joined(separator: " → ")]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            if let outcome = text("outcome") { line += " (\(outcome))" }
            if let note = text("note") { line += " \"\(note)\"" }
            // A move's row also holds the agreement's fields it changed: `stage: persiapan → …`.
            let moved = SnapshotValues(entry.before).changes(to: after.member(AuditLog.movedAgreement))
            return [line.isEmpty ? "version \(text("version")?.prefix(12) ?? "")" : line] + moved
        }
        switch entry.action {
        case "create": return ["(new)"]
        case "attach":
            return [["kind", "number", "date"].compactMap { after.values[$0] as? String }.joined(separator: " ")]
        case "void":
            let what = (after.values["document"] as? String).map { "document \($0)" } ?? "agreement"
            return ["\(what) voided: \(after.values["reason"] as? String ?? "")"]
        default: return SnapshotValues(entry.before).changes(to: after)
        }
    }
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit trail's hash chain and check every record against it.",
        discussion: "Exit 0 when intact; exit 7 (validation) naming the first broken row, or the first record (and field) that differs from its latest audited state — a change made to the database file outside Sinergi."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try CommandContext(global)
        let verdict = try context.workspace.database.read { try AuditLog.verify(in: $0) }
        switch verdict {
        case let .intact(rows):
            print("audit trail intact: \(rows) rows, hash chain verified; every agreement, document, void and workflow matches it")
        case let .broken(rowId, reason):
            throw DomainError.validation("audit_log row \(rowId): \(reason)")
        case let .recordDiffers(record, reason):
            throw DomainError.validation("\(record): \(reason)")
        }
    }
}
