import Agreements
import Foundation
import LuaKit
import Store

/// What the API functions of one session share: the workspace, the acting user, the clock, and
/// the store's unit of work in progress.
final class RunContext {
    let workspace: Workspace?
    /// Who the API's reads and writes act as: the session's user, or whom the engine acts for
    /// meanwhile (`acting(as:)`).
    private(set) var actor: User?
    let clock: any Clock
    let calendar: WorkCalendar
    let readOnly: Bool
    let log: (String, String) -> Void
    /// The workflow engine serving `a:fire` and friends (installed by the Workflow module).
    weak var workflows: (any WorkflowService)?
    /// The unit of work in progress; set only while one runs (`within`).
    private var current: StoreUnit?
    /// Definition files being evaluated (nested when one's top level asks for another with
    /// `workflows.get`): their top level only builds a table, so no write is allowed meanwhile.
    var definitionsBeingBuilt = 0

    init(workspace: Workspace?, actor: User?, clock: any Clock, readOnly: Bool, log: @escaping (String, String) -> Void) {
        self.workspace = workspace
        self.actor = actor
        self.clock = clock
        self.calendar = workspace?.configuration.calendar ?? WorkCalendar()
        self.readOnly = readOnly
        self.log = log
    }

    /// Counts the units `within` has run, the current one last. An agreement handle's values hold
    /// only in the unit that read them (`AgreementHandle.full`): a REPL input that failed or a
    /// group rolled back took its writes with it, and another process may have written since.
    private(set) var unitSerial = 0

    /// Counts the agreement writes made through handles, and keeps the count at each agreement's
    /// latest in this unit: a handle that read a record before another handle on the same
    /// agreement wrote it reads it again (it showed the old title after `b:update{…}`).
    private var agreementWrites = 0
    private var latestWrite: [Int64: Int] = [:]

    /// Where the unit stands now, for a handle that reads a record.
    var readMark: ReadMark { ReadMark(unit: unitSerial, writes: agreementWrites) }

    /// Whether what a handle on agreement `id` read at `mark` is what the unit holds now.
    func isCurrent(_ mark: ReadMark, of id: Int64) -> Bool {
        mark.unit == unitSerial && (mark.writes == agreementWrites || (latestWrite[id] ?? 0) <= mark.writes)
    }

    /// Notes that agreement `id` was written through a handle.
    func noteWrite(of id: Int64) {
        agreementWrites &+= 1
        latestWrite[id] = agreementWrites
    }

    /// Runs `body` with `unit` as the unit the API reads and writes through.
    func within<T>(_ unit: StoreUnit, _ body: () throws -> T) rethrows -> T {
        unitSerial &+= 1
        if !latestWrite.isEmpty { latestWrite.removeAll() }
        current = unit
        defer { current = nil }
        return try body()
    }

    /// Runs `body` with the API acting as `user`: a timer fires as the system, and what its
    /// actions write through the API (`a:update`, `a:fire`, `notify{}`) is the system's too, not
    /// the work of whoever ran the tick — nor refused for their roles.
    func acting<T>(as user: User, _ body: () throws -> T) rethrows -> T {
        let saved = actor
        actor = user
        defer { actor = saved }
        return try body()
    }

    /// The unit to read or write in.
    func unit() throws -> StoreUnit {
        try requireNoDefinitionBeingBuilt("read agreements, tasks or workflow state")
        guard workspace != nil else {
            throw DomainError.notFound("agreements live in a workspace: run this inside one (sinergi init DIR), or pass --workspace DIR")
        }
        guard let current else { throw LuaError.runtime(message: "the database is not open outside a script run", location: nil, traceback: "") }
        return current
    }

    /// What a definition's top level may not do with the clock (`requireNoDefinitionBeingBuilt`).
    static let clockReading = "read the clock (today(), now(), os.time(), os.date())"

    /// Refuses what a definition's top level must not do (`what`). It runs whenever a command
    /// first needs the definition, inside whatever unit is open, and its table is what a version
    /// is: were it built from the data or the clock, one version would run one way today and
    /// another tomorrow, or change data as a side effect of being read.
    func requireNoDefinitionBeingBuilt(_ what: String) throws {
        guard definitionsBeingBuilt > 0 else { return }
        throw LuaError.forbidden(message: "a workflow definition's top level only builds its table: it cannot \(what) "
                                 + "(do it in a guard, a route or an action, which get a and ctx)", location: nil)
    }

    /// The store, for a write: refuses in read-only sessions.
    func writableStore() throws -> (AgreementStore, StoreUnit, User) {
        try requireNoDefinitionBeingBuilt("change data")
        let unit = try unit()
        if readOnly {
            throw DomainError.permission("this session is read-only: nothing was changed (to make changes, add --write: `sinergi eval --write …`, `sinergi repl --write`)")
        }
        guard let actor, let workspace else { throw DomainError.permission("no acting user") }
        return (workspace.agreements, unit, actor)
    }

    var store: AgreementStore { workspace?.agreements ?? AgreementStore() }

    var timestamp: String { calendar.timestamp(of: clock.now()) }
    var today: LocalDate { calendar.date(of: clock.now()) }
}

/// When a handle read its record: the unit, and how many agreement writes it had seen
/// (`RunContext.isCurrent`).
struct ReadMark {
    let unit: Int
    let writes: Int
}
