import Foundation
import GRDB

extension AuditLog {
    /// Checks every agreement's workflow against the audit trail: its history lines, in id order,
    /// are its `workflow.*` entries, in order and field by field; and its instance stands in the
    /// state and version of the last line that moved it (`start`, `adopt`, `transition`, `migrate`).
    ///
    /// The chain proves the trail was not edited, but `verify` compared only agreements, documents
    /// and voids with it: `UPDATE workflow_instance SET state = 'pelaksanaan'` moved an agreement
    /// past its DPRD approval, and a deleted or edited history line rewrote who approved what,
    /// with `audit verify` still reporting the trail intact.
    static func verifyWorkflows(numbers: [Int64: String], in unit: StoreUnit) throws -> Verdict? {
        try unit.reading { db in
            func record(_ id: Int64) -> String {
                "the workflow of " + (numbers[id].map { "agreement \($0) (id \(id))" } ?? "agreement id \(id)")
            }
            typealias Entry = (row: Int64, at: String, actor: String, after: String)
            var audited: [Int64: [Entry]] = [:]
            try StatementRows.each(db.makeStatement(sql: """
                SELECT id, entity_id, at, actor, after FROM audit_log WHERE entity = 'workflow' AND entity_id IS NOT NULL ORDER BY id
                """)) { row in
                audited[row.integer(1), default: []].append((row.integer(0), row.text(2), row.text(3), row.text(4)))
            }
            typealias Line = (line: Int64, at: String, actor: String, json: String, moves: Bool, to: String?, version: String)
            var kept: [Int64: [Line]] = [:]
            try StatementRows.each(db.makeStatement(sql: """
                SELECT id, agreement_id, at, actor, kind, event, from_state, to_state, outcome, note, version
                FROM workflow_history ORDER BY id
                """)) { row in
                let kind = row.text(4), to = row.optionalText(7), version = row.text(10)
                let json = WorkflowStore.auditJSON(kind: kind, event: row.optionalText(5), from: row.optionalText(6), to: to,
                                                   outcome: row.optionalText(8), note: row.optionalText(9), version: version)
                let moves = ["start", "adopt", "transition", "migrate"].contains(kind)
                kept[row.integer(1), default: []].append((row.integer(0), row.text(2), row.text(3), json, moves, to, version))
            }
            for id in Set(kept.keys).union(audited.keys).sorted() {
                let lines = kept[id] ?? [], entries = audited[id] ?? []
                guard lines.count == entries.count else {
                    return .recordDiffers(record: record(id), reason: "it has \(lines.count) history lines but the audit trail records "
                                          + "\(entries.count): a line was added or deleted outside Sinergi")
                }
                for (line, entry) in zip(lines, entries) {
                    let who = line.actor != entry.actor ? ("actor", line.actor, entry.actor)
                        : line.at != entry.at ? ("at", line.at, entry.at) : nil
                    if let (name, now, then) = who {
                        return .recordDiffers(record: record(id), reason: "history line \(line.line): \(name) is \(now) but "
                                              + "audit_log row \(entry.row) says \(then): the history was changed outside Sinergi")
                    }
                    // The agreement's fields a move changed are checked with the agreement (`verifyRecords`).
                    if let field = differingField(audited: SnapshotValues(entry.after).removing(movedAgreement), current: SnapshotValues(line.json),
                                                  everyField: true) {
                        return .recordDiffers(record: record(id), reason: "history line \(line.line): \(field.name) is \(field.current) but "
                                              + "audit_log row \(entry.row) says \(field.audited): the history was changed outside Sinergi")
                    }
                }
            }

            var instances: [(id: Int64, state: String, version: String)] = []
            try StatementRows.each(db.makeStatement(sql: "SELECT agreement_id, state, version FROM workflow_instance ORDER BY agreement_id")) { row in
                instances.append((row.integer(0), row.text(1), row.text(2)))
            }
            for (id, state, version) in instances {
                guard let last = kept[id]?.last(where: \.moves) else {
                    return .recordDiffers(record: record(id), reason: "it stands in \(state) with no audited start: "
                                          + "it was started outside Sinergi")
                }
                if last.to != state || last.version != version {
                    let (field, now, then) = last.to != state ? ("state", state, last.to ?? "-") : ("version", version, last.version)
                    return .recordDiffers(record: record(id), reason: "its \(field) is \(now) but its latest audited move "
                                          + "(history line \(last.line)) says \(then): the workflow was changed outside Sinergi")
                }
            }
            let started = Set(instances.map(\.id))
            if let id = kept.filter({ $0.value.contains(where: \.moves) }).keys.filter({ !started.contains($0) }).min() {
                return .recordDiffers(record: record(id), reason: "it is in the audit trail but has no instance: "
                                      + "it was deleted outside Sinergi")
            }
            return nil
        }
    }

    /// The highest id the audit trail has ever given (SQLite's AUTOINCREMENT counter), when it
    /// is past `last`: the newest rows were deleted, which the chain alone cannot show.
    static func deletedTail(after last: Int64, _ db: Database) throws -> Int64? {
        let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'") ?? 0
        return issued > last ? issued : nil
    }
}
