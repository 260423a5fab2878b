import Agreements
import Foundation
import GRDB

extension AgreementStore {
    /// Moves an agreement's `stage` (and `status`) as a workflow transition does: validated and
    /// audited as an update by `actor`, without the edit policy — the engine checked the event's
    /// roles, and the Sekda or the DPRD may move an agreement they may not edit.
    public func setProgress(of id: Int64, stage: String, status: Status?, by actor: User, at timestamp: String,
                            in unit: StoreUnit) throws {
        guard let before = try agreement(id: id, in: unit) else { throw DomainError.notFound("no agreement with id \(id)") }
        try requireNotVoid(before, in: unit)
        var after = before
        after.stage = stage
        if let status { after.status = status }
        guard after != before else { return }
        try AgreementField.validate(after, rules: rules)
        try unit.writing { db in
            try db.cachedStatement(sql: "UPDATE agreement SET stage = ?, status = ?, updated_at = ? WHERE id = ?").execute(arguments: [after.stage, after.status.rawValue, timestamp, id])
            try AuditLog.append(db, at: timestamp, actor: actor.id, action: "update", entity: "agreement", entityId: id,
                                before: Snapshot.json(before), after: Snapshot.json(after))
        }
    }

    /// Refuses a change of `stage` or `status` by hand while a workflow runs the agreement: only
    /// its transitions move them.
    func requireNoWorkflowProgress(_ before: Agreement, _ after: Agreement, in unit: StoreUnit) throws {
        guard before.stage != after.stage || before.status != after.status, let id = before.id,
              let instance = try WorkflowStore().instance(of: id, in: unit) else { return }
        let field = before.stage != after.stage ? "stage" : "status"
        throw DomainError.validation("\(field): agreement \(before.number) runs on workflow \(instance.workflow) (state \(instance.state)); "
                                     + "its \(field) changes only through a transition: a:fire(EVENT) or `sinergi workflow fire \(before.number) EVENT` "
                                     + "(see `sinergi workflow status \(before.number)`)")
    }
}
