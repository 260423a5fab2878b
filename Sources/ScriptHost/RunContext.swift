import Agreements
import Foundation
import GRDB
import LuaKit
import Store

/// What the API functions of one session share: the workspace, the acting user, the clock, and
/// the database transaction of the unit of work in progress.
final class RunContext {
    let workspace: Workspace?
    let actor: User?
    let clock: any Clock
    let calendar: WorkCalendar
    let readOnly: Bool
    let log: (String, String) -> Void
    /// The open transaction; set only while a unit of work runs.
    var database: Database?

    init(workspace: Workspace?, actor: User?, clock: any Clock, readOnly: Bool, log: @escaping (String, String) -> Void) {
        self.workspace = workspace
        self.actor = actor
        self.clock = clock
        self.calendar = workspace?.configuration.calendar ?? WorkCalendar()
        self.readOnly = readOnly
        self.log = log
    }

    /// The transaction to read or write in.
    func db() throws -> Database {
        guard workspace != nil else {
            throw DomainError.notFound("agreements live in a workspace: run this inside one (sinergi init DIR), or pass --workspace DIR")
        }
        guard let database else { throw LuaError.runtime(message: "the database is not open outside a script run", location: nil, traceback: "") }
        return database
    }

    /// The store, for a write: refuses in read-only sessions.
    func writableStore() throws -> (AgreementStore, Database, User) {
        let database = try db()
        if readOnly {
            throw DomainError.permission("this session is read-only: nothing was changed (to make changes, add --write: `sinergi eval --write …`, `sinergi repl --write`)")
        }
        guard let actor, let workspace else { throw DomainError.permission("no acting user") }
        return (workspace.agreements, database, actor)
    }

    var store: AgreementStore { workspace?.agreements ?? AgreementStore() }

    var timestamp: String { calendar.timestamp(of: clock.now()) }
    var today: LocalDate { calendar.date(of: clock.now()) }
}
