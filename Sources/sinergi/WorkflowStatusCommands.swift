import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store
import Workflow

/// `workflow status NUMBER`: where the agreement stands, on which version (and the current
/// one), what can happen next and who may do it, the open tasks and the clocks running.
struct WorkflowStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show where an agreement stands on its workflow.",
        discussion: "Example: sinergi workflow status CONTOH/001/KSDD/2025")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number (or id).", valueName: "number")) var number: String

    func run() throws {
        let context = try WorkflowContext(global)
        let store = WorkflowStore()
        try context.read { unit in
            let (agreement, id) = try context.agreement(number, in: unit)
            guard let instance = try store.instance(of: id, in: unit) else {
                throw DomainError.notFound("\(agreement.number) runs on no workflow; start it with `sinergi workflow start \(agreement.number)`")
            }
            // What the file says now, or why it says nothing: the instance runs on its stored version either way.
            let current: String
            do {
                current = WorkflowFiles.short(try context.engine.catalog.current(instance.workflow).version)
            } catch DomainError.notFound {
                current = "(workflows/\(instance.workflow).lua no longer exists; the agreement runs on its stored version)"
            } catch {
                let failure = FailureReport(error, fallbackLocation: nil)
                current = "(workflows/\(instance.workflow).lua does not load: \(failure.location.map { $0 + ": " } ?? "")\(failure.message))"
            }
            let events = try context.engine.possibleEvents(agreementId: id, actor: context.user, in: unit)
            let tasks = try store.openTasks(agreementId: id, in: unit)
            let timers = try store.timers(of: id, in: unit)
            var fields: [(String, String)] = [
                ("agreement", agreement.number), ("workflow", instance.workflow),
                ("version", WorkflowFiles.short(instance.version)),
                ("current_version", current),
                ("state", instance.state), ("stage", agreement.stage), ("status", agreement.status.rawValue), ("since", instance.since),
            ]
            fields += events.map { ("event", "\($0.event.name) → \($0.event.targets.joined(separator: "|")) [\($0.event.roles.joined(separator: ", "))]"
                                            + ($0.allowed ? "" : " (not for \(context.user.id))")) }
            fields += tasks.map { ("task", "#\($0.id) \($0.role): \($0.events.joined(separator: ", "))") }
            fields += timers.map { ("timer", "\($0.name) → \($0.event) at \($0.dueAt ?? "the day after " + ($0.afterField ?? "?"))") }
            switch global.outputFormat {
            case .table:
                let width = fields.map(\.0.count).max() ?? 0
                for (key, value) in fields { print(key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + TerminalText.line(value)) }
            default:
                try Tabular.print(["field", "value"], format: global.outputFormat, rows: fields.map { [$0.0, $0.1] })
            }
        }
    }
}

struct WorkflowHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show an agreement's workflow history: who fired what, when, with which outcome.",
        discussion: "Example: sinergi workflow history CONTOH/001/KSDD/2025 --format csv")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number (or id).", valueName: "number")) var number: String

    func run() throws {
        let context = try WorkflowContext(global)
        let lines = try context.read { unit in try WorkflowStore().history(of: try context.agreement(number, in: unit).id, in: unit) }
        try Tabular.print(["at", "actor", "kind", "event", "from", "to", "outcome", "note"], format: global.outputFormat, rows: lines.map {
            [$0.at, $0.actor, $0.kind.rawValue, $0.event ?? "", $0.from ?? "", $0.to ?? "", $0.outcome ?? "", $0.note ?? ""]
        })
    }
}
