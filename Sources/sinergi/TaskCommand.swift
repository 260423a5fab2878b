import Agreements
import ArgumentParser
import Foundation
import Store
import Workflow

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Human tasks: the approvals waiting for your roles.",
        discussion: """
        Entering a workflow state opens a task for each role that may fire one of its events; \
        the task closes when the state is left, whoever moved it.
        """,
        subcommands: [TaskList.self, TaskApprove.self, TaskReject.self])
}

struct TaskList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the open tasks for the acting user's roles.",
        discussion: """
        Example:
          sinergi task list
          sinergi task list --all --format json
        """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Every open task, whoever it is for.") var all = false

    func run() throws {
        let context = try WorkflowContext(global)
        let tasks = try context.read { try context.engine.openTasks(for: all ? nil : context.user, in: $0) }
        try Tabular.print(["id", "agreement", "state", "role", "events", "opened_at"], format: global.outputFormat, rows: tasks.map {
            [String($0.record.id), $0.number, $0.record.state, $0.record.role, $0.record.events.joined(separator: ", "), $0.record.openedAt]
        })
    }
}

/// Fires the event of a task whose `outcome` is `approved` or `rejected`.
private func decide(_ context: WorkflowContext, task id: Int64, outcome: String, event requested: String?, note: String?) throws -> String {
    let task = try context.read { unit -> WorkflowTaskRecord in
        guard let task = try WorkflowStore().task(id: id, in: unit) else { throw DomainError.notFound("no task #\(id) (see `sinergi task list`)") }
        return task
    }
    guard task.closedAt == nil else {
        throw DomainError.validation("task #\(id) is closed: its state was left by \(task.closingEvent ?? "another event") (\(task.closedBy ?? "?"), \(task.closedAt ?? ""))")
    }
    let event = try context.read { unit -> String in
        let events = try context.engine.possibleEvents(agreementId: task.agreementId, actor: context.user, in: unit)
            .filter { task.events.contains($0.event.name) }
        if let requested {
            guard events.contains(where: { $0.event.name == requested }) else {
                throw DomainError.validation("task #\(id) offers \(task.events.joined(separator: ", ")), not \(requested)")
            }
            return requested
        }
        let matching = events.filter { $0.event.outcome == outcome }.map(\.event.name)
        guard matching.count == 1, let event = matching.first else {
            throw DomainError.validation(matching.isEmpty
                ? "task #\(id) has no event whose outcome is \(outcome) (events: \(task.events.joined(separator: ", "))); fire one with `sinergi workflow fire`"
                : "task #\(id) has several \(outcome) events (\(matching.joined(separator: ", "))): choose one with --event")
        }
        return event
    }
    return try context.write { unit in
        try context.engine.fire(agreementId: task.agreementId, event: event, note: note, actor: context.user,
                                expectedState: task.state, in: unit)
    }
}

struct TaskApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve: fire the task's event whose outcome is approved.",
        discussion: "Example: sinergi task approve 25 --as sari --note \"kajian lengkap\"")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The task's id (see `sinergi task list`).", valueName: "id")) var id: Int64
    @Option(help: ArgumentHelp("The event to fire when the task offers several approvals.", valueName: "event")) var event: String?
    @Option(help: ArgumentHelp("A note recorded with the transition.", valueName: "text")) var note: String?

    func run() throws {
        let context = try WorkflowContext(global)
        let state = try decide(context, task: id, outcome: "approved", event: event, note: note)
        print("task #\(id) approved → \(state)")
    }
}

struct TaskReject: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject: fire the task's event whose outcome is rejected (a note is required).",
        discussion: "Example: sinergi task reject 25 --as sari --note \"lengkapi kajian RTRW\"")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The task's id (see `sinergi task list`).", valueName: "id")) var id: Int64
    @Option(help: ArgumentHelp("The event to fire when the task offers several rejections.", valueName: "event")) var event: String?
    @Option(help: ArgumentHelp("Why (recorded with the transition).", valueName: "text")) var note: String

    func run() throws {
        let context = try WorkflowContext(global)
        let state = try decide(context, task: id, outcome: "rejected", event: event, note: note)
        print("task #\(id) rejected → \(state)")
    }
}
