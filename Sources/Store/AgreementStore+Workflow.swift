import Agreements
import Foundation
import GRDB

extension AgreementStore {
    /// Moves an agreement's `stage` (and `status`) as a workflow start or transition does, and
    /// records that move's history `line`: validated, without the edit policy — the engine
    /// checked the event's roles, and the Sekda or the DPRD may move an agreement they may not
    /// edit — and audited by the line's one audit row, which also holds the agreement's fields
    /// that changed (`WorkflowStore.record`): one audit event for one state change.
    ///
    /// With `endingGroundFollows`, a move to `terminated` without an ending ground is validated as
    /// if it had one: the ground may be recorded only once the agreement has ended, so the caller
    /// records it next and then checks the whole record (`requireValid`).
    /// `current` is the agreement as `unit` read it with no write since (`StoreUnit.writeCount`
    /// unchanged), which spares reading it again; without it the agreement is read here.
    /// Returns the agreement as it now is.
    @discardableResult
    public func setProgress(of id: Int64, stage: String, status: Status?, recording line: WorkflowHistoryRecord,
                            endingGroundFollows: Bool = false, current: Agreement? = nil, in unit: StoreUnit) throws -> Agreement {
        guard let before = try current.flatMap({ $0.id == id ? $0 : nil }) ?? agreement(id: id, in: unit) else {
            throw DomainError.notFound("no agreement with id \(id)")
        }
        try requireNotVoid(before, in: unit)
        var after = before
        after.stage = stage
        if let status { after.status = status }
        guard after != before else {
            try WorkflowStore().record(line, in: unit)
            return before
        }
        var checked = after
        if endingGroundFollows && after.status == .terminated && after.endingGround == nil {
            checked.endingGround = EndingGround.grounds(for: after.kind).first { $0 != .jangka_waktu_berakhir }
        }
        try AgreementField.validate(checked, rules: rules, written: AgreementField.movedByWorkflows)
        try unit.writing { db in
            // Only the columns that change are set: SQLite rewrites the entries of every index on a
            // column in the SET list, and two indexes lead with `status`, which most moves keep.
            if after.status == before.status {
                try StatementWrite.run(unit.statement(Self.moveStage, db), after.stage, line.at, id)
            } else {
                try StatementWrite.run(unit.statement(Self.moveStageAndStatus, db), after.stage, after.status.rawValue, line.at, id)
            }
        }
        try WorkflowStore().record(line, moving: Snapshot.changes(from: before, to: after, among: Snapshot.progressFields), in: unit)
        return after
    }

    private static let moveStage = StoreSQL("UPDATE agreement SET stage = ?, updated_at = ? WHERE id = ?")
    private static let moveStageAndStatus = StoreSQL("UPDATE agreement SET stage = ?, status = ?, updated_at = ? WHERE id = ?")

    /// Refuses the agreement as stored when it breaks a rule (after a move whose ground follows).
    public func requireValid(_ id: Int64, in unit: StoreUnit) throws {
        guard let stored = try agreement(id: id, in: unit) else { throw DomainError.notFound("no agreement with id \(id)") }
        try AgreementField.validate(stored, rules: rules)
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
