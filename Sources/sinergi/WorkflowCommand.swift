import Agreements
import ArgumentParser
import Foundation
import LuaKit
import Store
import Workflow

struct WorkflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Workflow definitions and the agreements running on them.",
        discussion: """
        A definition is a Lua file in workflows/ (ksdd.lua, ksdpk.lua, …). An agreement runs on \
        the version of its definition it started with, even after the file is edited; `migrate` \
        moves it on explicitly.
        """,
        subcommands: [WorkflowList.self, WorkflowStart.self, WorkflowFire.self, WorkflowStatus.self,
                      WorkflowHistory.self, WorkflowTick.self, WorkflowMigrate.self, WorkflowCheck.self, WorkflowGraph.self])
}

/// `workflow list`: each definition, its current version and the kept ones, with how many
/// instances run on each.
struct WorkflowList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List definitions, their versions and the instances on each.",
        discussion: "Example: sinergi workflow list")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try WorkflowContext(global)
        let kept = try context.read { try WorkflowStore().versions(in: $0) }
        var rows: [[String]] = []
        for name in context.engine.catalog.names() {
            let current = (try? context.engine.catalog.current(name))?.version
            rows.append([name, current.map(WorkflowFiles.short) ?? "(does not load)", "current", String(kept.first { $0.version == current }?.instances ?? 0)])
            for version in kept where version.name == name && version.version != current {
                rows.append([name, WorkflowFiles.short(version.version), "kept " + version.recordedAt, String(version.instances)])
            }
        }
        for version in kept where !context.engine.catalog.names().contains(version.name) {
            rows.append([version.name, WorkflowFiles.short(version.version), "kept (file gone)", String(version.instances)])
        }
        try Tabular.print(["workflow", "version", "source", "instances"], format: global.outputFormat, rows: rows)
    }
}

struct WorkflowStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start an agreement on its workflow, where it stands.",
        discussion: """
        Without --workflow, the definition whose applies_to names the agreement's kind. Without \
        --at, the state of the agreement's current stage: an agreement already under way (the \
        sample set, an imported register) joins its track there, audited as adopted — it is never \
        reset to the initial state.

        Example:
          sinergi workflow start CONTOH/009/KSDD/2026
          sinergi workflow start CONTOH/001/KSDD/2025 --workflow ksdd --at pelaksanaan
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number (or id).", valueName: "number")) var number: String
    @Option(help: ArgumentHelp("The definition to run on (a file name in workflows/).", valueName: "name")) var workflow: String?
    @Option(help: ArgumentHelp("The state to start in (default: the state of its current stage).", valueName: "state")) var at: String?

    func run() throws {
        let context = try WorkflowContext(global)
        let instance = try context.write { unit in
            let (_, id) = try context.agreement(number, in: unit)
            return try context.engine.start(agreementId: id, workflow: workflow, at: at, actor: context.user, in: unit)
        }
        print("\(number): \(instance.workflow) \(WorkflowFiles.short(instance.version)), state \(instance.state)")
    }
}

struct WorkflowFire: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fire", abstract: "Fire an event on an agreement's workflow as the acting user.",
        discussion: """
        The role check, guard, required documents, actions, state change, tasks, timers, history \
        and notifications are one transaction: any error rolls back all of it. If someone else \
        moved the agreement first, nothing is fired and the error says where it is now.

        Example:
          sinergi workflow fire CONTOH/001/KSDD/2025 naskah_diarsipkan --as sari --note "naskah asli disimpan"
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number (or id).", valueName: "number")) var number: String
    @Argument(help: ArgumentHelp("The event (see `sinergi workflow status NUMBER`).", valueName: "event")) var event: String
    @Option(help: ArgumentHelp("A note recorded with the transition.", valueName: "text")) var note: String?

    func run() throws {
        let context = try WorkflowContext(global)
        // The state the user saw: a fire racing another one is refused, not fired in the new state.
        let seen = try context.read { unit in
            try WorkflowStore().instance(of: try context.agreement(number, in: unit).id, in: unit)?.state
        }
        let state = try context.write { unit in
            try context.engine.fire(agreementId: try context.agreement(number, in: unit).id, event: event, note: note,
                                    actor: context.user, expectedState: seen, in: unit)
        }
        print("\(number): \(event) → \(state)")
    }
}

struct WorkflowTick: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick", abstract: "Fire every workflow timer that is due now.",
        discussion: """
        Deadlines and named timers (the DPRD's 45 days, the partner's 30 + 15) fire as the \
        system actor. A timer whose event is no longer possible is dropped and recorded. The \
        scheduler runs this for you; with --now an administrator rehearses a track on a test \
        workspace.

        Example:
          sinergi workflow tick
        """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try WorkflowContext(global)
        try WorkflowContext.autoStart(context.command)
        let report = try context.engine.tick()
        var rows: [[String]] = []
        for (outcome, lines) in [("fired", report.fired), ("dropped", report.dropped), ("failed", report.failed)] {
            rows += lines.map { [$0.number, $0.timer, $0.event, outcome, $0.detail] }
        }
        if rows.isEmpty && global.outputFormat == .table {
            print("no timer is due")
        } else {
            try Tabular.print(["agreement", "timer", "event", "outcome", "detail"], format: global.outputFormat, rows: rows)
        }
        // The table says what became of each timer; the contract's one line says the tick failed.
        if let first = report.failed.first {
            let due = report.fired.count + report.dropped.count + report.failed.count
            throw LuaError.runtime(message: "\(report.failed.count) of \(due) due timers failed, first \(first.number) \(first.timer): "
                                   + "\(first.detail) (each failure is in its agreement's workflow history; it is tried again in an hour)",
                                   location: nil, traceback: "")
        }
    }
}

struct WorkflowMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Move an agreement's instance to another version of its definition.",
        discussion: """
        The instance stays in its state; refused when that version has no such state. For admin \
        and sekretariat; audited.

        Example:
          sinergi workflow migrate CONTOH/001/KSDD/2025 --to latest
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number (or id).", valueName: "number")) var number: String
    @Option(help: ArgumentHelp("`latest`, or a version (any unique prefix, see `workflow list`).", valueName: "version")) var to: String

    func run() throws {
        let context = try WorkflowContext(global)
        let moved = try context.write { unit in
            try context.engine.migrate(agreementId: try context.agreement(number, in: unit).id, to: to, actor: context.user, in: unit)
        }
        print("\(number): version \(WorkflowFiles.short(moved.from)) → \(WorkflowFiles.short(moved.to))")
    }
}
