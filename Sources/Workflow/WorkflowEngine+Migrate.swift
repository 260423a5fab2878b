import Agreements
import Foundation
import ScriptHost
import Store

extension WorkflowEngine {
    /// Moves an instance to another version of its definition (`latest`: the file as it is now;
    /// else a kept version, by any unique prefix), in the same state — refused, naming the
    /// state, when that version has no such state. Its open tasks are reopened, and its deadline
    /// set again, as the new version's state declares them. Admins and the sekretariat only; audited.
    @discardableResult
    public func migrate(agreementId: Int64, to requested: String, actor: User, in unit: StoreUnit) throws -> (from: String, to: String) {
        guard actor.isAdmin || actor.has(role: "sekretariat") else {
            throw DomainError.permission("moving an instance to another version is for admin or sekretariat; \(actor.id) has \(actor.roles.joined(separator: ", "))")
        }
        guard let instance = try store.instance(of: agreementId, in: unit) else {
            throw DomainError.notFound("agreement \(agreementId) runs on no workflow")
        }
        let target: LoadedWorkflow
        if requested == "latest" {
            target = try catalog.current(instance.workflow)
            try store.keepVersion(name: instance.workflow, version: target.version, modules: target.files.stored, at: timestamp, in: unit)
        } else {
            guard let version = try store.version(matching: requested, named: instance.workflow, in: unit) else {
                throw DomainError.notFound("no version '\(requested)' of \(instance.workflow) (see `sinergi workflow list`)")
            }
            target = try catalog.pinned(version, in: unit)
        }
        try WorkflowCatalog.requireRunnable(target)
        guard let state = target.definition.states[instance.state] else {
            throw DomainError.validation("version \(WorkflowFiles.short(target.version)) of \(instance.workflow) has no state \(instance.state), "
                                         + "where the agreement stands; fire it on to a state that exists there first")
        }
        guard try store.move(agreementId, from: instance.revision, to: instance.state, version: target.version, since: instance.since, in: unit) else {
            throw DomainError.validation("the state moved while migrating; nothing was changed")
        }
        try store.closeTasks(of: agreementId, by: actor.id, event: "migrate", at: timestamp, in: unit)
        try openTasks(of: state, agreementId: agreementId, in: unit)
        // The state's deadline is the new version's, counted from the day the agreement entered
        // the state: the old version's would otherwise fire an event the new one may not declare.
        // Timers its actions set stay; one whose event the state no longer has is dropped when due.
        try store.cancelDeadlines(of: agreementId, state: instance.state, in: unit)
        if let deadline = state.deadline {
            let entered = ISO8601DateFormatter().date(from: instance.since).map(calendar.date(of:)) ?? calendar.date(of: now)
            try setTimer(agreementId: agreementId, name: "deadline:" + state.name, event: deadline.event, period: deadline.period,
                         from: entered, state: state.name, in: unit)
        }
        try store.record(WorkflowHistoryRecord(agreementId: agreementId, at: timestamp, actor: actor.id, kind: .migrate,
                                               from: instance.state, to: instance.state,
                                               note: "version \(WorkflowFiles.short(instance.version)) → \(WorkflowFiles.short(target.version))",
                                               version: target.version), in: unit)
        return (instance.version, target.version)
    }
}
