import Agreements
import ArgumentParser
import Foundation
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
        commandName: "log", abstract: "Show the newest audit entries (the fields each change touched).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many entries (newest first).") var limit = 20
    @Option(help: ArgumentHelp("Only entries of this agreement (number or id).", valueName: "agreement")) var agreement: String?

    func run() throws {
        do {
            let context = try CommandContext(global)
            let entries = try context.workspace.database.read { unit -> [AuditEntry] in
                var id: Int64?
                if let agreement {
                    guard let found = try context.workspace.agreements.agreement(idOrNumber: agreement, in: unit) else {
                        throw DomainError.notFound("no agreement with number or id '\(agreement)'")
                    }
                    id = found.id
                }
                return try AuditLog.entries(limit: limit, entity: id == nil ? nil : "agreement", entityId: id, in: unit)
            }
            switch global.outputFormat {
            case .json:
                let objects = entries.map { entry -> [String: Any] in
                    ["id": entry.id, "at": entry.at, "actor": entry.actor, "action": entry.action, "entity": entry.entity,
                     "entity_id": entry.entityId ?? NSNull(), "before": entry.before ?? NSNull(), "after": entry.after ?? NSNull(),
                     "hash": entry.hash]
                }
                let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            case .csv, .table:
                let rows = entries.map { entry in
                    [String(entry.id), entry.at, entry.actor, entry.action, "\(entry.entity) \(entry.entityId.map(String.init) ?? "")",
                     AuditLogCommand.changedFields(entry)]
                }
                let header = ["id", "at", "actor", "action", "record", "changed"]
                if global.outputFormat == .csv {
                    print(([header] + rows).map(CSVTable.line).joined(separator: "\n"))
                } else {
                    print(TextTable.render(header, rows))
                }
            }
        } catch {
            throw ErrorReport.report(error, fallbackLocation: nil)
        }
    }

    /// The top-level fields that differ between before and after; for a change of `sinergi.lua`,
    /// the changes it lists (`user mallory added: login mallory, roles admin`).
    static func changedFields(_ entry: AuditEntry) -> String {
        func object(_ text: String?) -> [String: Any] {
            guard let text, let data = text.data(using: .utf8) else { return [:] }
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }
        let before = object(entry.before), after = object(entry.after)
        if entry.entity == ConfigurationLog.entity { return (after["changes"] as? [String] ?? []).joined(separator: "; ") }
        if entry.before == nil { return entry.action == "attach" ? (after["kind"] as? String ?? "") : "(new)" }
        func canonical(_ value: Any?) -> Data? {
            value.flatMap { try? JSONSerialization.data(withJSONObject: [$0], options: [.sortedKeys]) }
        }
        return Set(before.keys).union(after.keys).sorted().filter { canonical(before[$0]) != canonical(after[$0]) }
            .joined(separator: ", ")
    }
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit trail's hash chain; name the first row that does not match.",
        discussion: "Exit 0 when intact; exit 7 (validation) naming the first broken row otherwise."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        do {
            let context = try CommandContext(global)
            let verdict = try context.workspace.database.read { try AuditLog.verify(in: $0) }
            switch verdict {
            case let .intact(rows):
                print("audit trail intact: \(rows) rows, hash chain verified")
            case let .broken(rowId, reason):
                throw DomainError.validation("audit_log row \(rowId): \(reason)")
            }
        } catch {
            throw ErrorReport.report(error, fallbackLocation: nil)
        }
    }
}
