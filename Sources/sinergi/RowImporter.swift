import Agreements
import Foundation
import ScriptHost
import Store

/// Writes the rows of an import: each row a unit of its own in one group, so that a bad row
/// rolls back alone and the good ones are committed together — or nothing is.
///
/// A row creates an agreement; with `update`, a row whose number is already registered updates
/// that agreement instead (the store audits the change with its before and after).
struct RowImporter {
    let context: CommandContext
    let update: Bool

    struct Report {
        var created = 0
        var updated = 0
        var errors: [AgreementExchange.RowError] = []
        /// One line per row written, for `--dry-run`: `line 3: create 180/1/2027 (Pengelolaan sampah)`,
        /// `line 4: update 180/2/2027: title, status`.
        var done: [String] = []
    }

    /// Writes `rows`; keeps the writes when `commit` says so once all were tried.
    func run(_ rows: [AgreementExchange.ImportRow], commit: (Report) -> Bool) throws -> Report {
        let progress = Progress(total: rows.count)
        let store = context.workspace.agreements
        return try context.workspace.database.group { group -> Report in
            var report = Report()
            for (index, row) in rows.enumerated() {
                do {
                    try group.unit { unit in
                        if update, case let .text(number)? = row.values["number"],
                           var existing = try store.agreement(idOrNumber: number, in: unit),
                           existing.number.caseInsensitiveCompare(number) == .orderedSame {
                            let before = existing
                            try AgreementField.apply(row.values, to: &existing)
                            try store.update(existing, by: context.user, at: context.timestamp, in: unit)
                            let changed = AgreementField.all.filter { $0.isExchanged && $0.value(of: before) != $0.value(of: existing) }.map(\.name)
                            report.updated += 1
                            report.done.append("line \(row.line): update \(existing.number): "
                                               + (changed.isEmpty ? "no change" : changed.joined(separator: ", ")))
                        } else {
                            let created = try store.create(try AgreementField.agreement(from: row.values), by: context.user,
                                                           at: context.timestamp, in: unit)
                            if let id = created.id {
                                try store.importDocuments(row.documents, to: id, by: context.user, at: context.timestamp, in: unit)
                            }
                            report.created += 1
                            report.done.append("line \(row.line): create \(created.number) (\(created.title))")
                        }
                    }
                } catch let error as DomainError {
                    if case .permission = error { throw error }
                    report.errors.append(.init(line: row.line, message: error.description))
                }
                progress.update(index + 1)
            }
            progress.finish()
            if !commit(report) { try group.rollback() }
            return report
        }
    }
}
