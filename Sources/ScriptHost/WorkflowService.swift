import Agreements
import LuaKit
import Store

/// What the Lua API needs from the workflow engine, which sits above ScriptHost (DESIGN.md map):
/// `a:fire`, `a:workflow()`, `a:events()`, `a:history()`, `tasks.pending{…}`, `workflows.get(…)`.
/// The engine installs itself on a session (`ScriptSession.workflows`); without one these
/// functions say that no workflow engine is available.
public protocol WorkflowService: AnyObject {
    /// Fires `event` on the agreement's instance as `actor`, in the caller's unit of work.
    /// Returns the state the instance is in afterwards.
    func fire(agreementId: Int64, event: String, note: String?, actor: User, in unit: StoreUnit) throws -> String
    /// `{ name=, version=, state=, since= }`, or nil when no workflow runs the agreement.
    func status(agreementId: Int64, in unit: StoreUnit) throws -> LuaValue
    /// The events possible now: `{ { name=, to=, roles={…}, allowed=bool }, … }` (allowed for `actor`).
    func events(agreementId: Int64, actor: User?, in unit: StoreUnit) throws -> LuaValue
    /// `{ { at=, actor=, event=, from=, to=, outcome=, note= }, … }`; each line is charged
    /// (`charge`, the script's memory cap) before it is kept.
    func history(agreementId: Int64, in unit: StoreUnit, charge: (Int) throws -> Void) throws -> LuaValue
    /// Open human tasks, of a role or of a user's roles (all when both are nil), each charged
    /// before it is kept.
    func pendingTasks(role: String?, user: String?, in unit: StoreUnit, charge: (Int) throws -> Void) throws -> LuaValue
    /// A read-only view of a definition as the workspace has it now.
    func definition(named name: String) throws -> LuaValue
    /// Called when a unit of work of the session has ended, committed or not, with a way to run
    /// a unit of its own: refusals are recorded then, so a run that rolls back still leaves them.
    func unitEnded(writing: (_ body: (StoreUnit) throws -> Void) throws -> Void)
}

/// The refusal when no engine serves the session (plain `sinergi run` outside a workspace).
enum WorkflowUnavailable {
    static func error(_ what: String) -> DomainError {
        .notFound("\(what): no workflow engine in this session (workflows run inside a workspace: sinergi init DIR)")
    }
}
