import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store
import Workflow

/// `workflow check [NAME|FILE]`: every defect of the definitions, each at `file:line`.
struct WorkflowCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check workflow definitions before agreements run on them; each defect is shown at file:line.",
        discussion: """
        Without an argument every definition in workflows/ is checked; NAME checks workflows/NAME.lua; a FILE (a path ending in .lua) is checked as a draft, its require()s answered from workflows/lib.

        Errors: no kind in applies_to; a missing or unknown initial state; an event to an unknown state; a state no event reaches; a state that is not final and has no events; a final state with events; an event with no roles that no deadline or timer fires; a deadline or timer firing an unknown event; an unknown document kind in requires, or role; a stage the agreement's kind does not have; a status that is none. Warning: a period in hari kerja (workdays) that can run into a year for which sinergi.lua lists no holidays.

        A sound definition prints one line: ok, its name, its states and events, its version. Exit 0 when there are only warnings; exit 7 (validation) when there is an error.

        Example: sinergi workflow check
        Example: sinergi workflow check ksdd --format json
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("A definition's name, or a .lua file (default: every definition in workflows/).", valueName: "name-or-file"))
    var target: String?

    func run() throws {
        let context = try WorkflowContext(global, writes: [.table, .json])
        let catalog = context.engine.catalog
        let configuration = context.workspace.configuration
        let checker = WorkflowChecker(declaredRoles: Set(configuration.roles), holidays: configuration.holidays,
                                      today: configuration.calendar.date(of: context.command.clock.now()))
        let libFolder = catalog.folder.appendingPathComponent("lib")
        let targets: [String] = target.map { [$0] } ?? catalog.names()
        var results: [Result] = []
        for target in targets {
            let isFile = target.hasSuffix(".lua") || target.contains("/")
            do {
                let workflow = try context.readingDefinitions { _ in isFile ? try catalog.file(at: target) : try catalog.current(target) }
                results.append(Result(name: workflow.files.name, workflow: workflow, diagnostics: checker.check(workflow, libFolder: libFolder)))
            } catch DomainError.notFound(let message) {
                // No such definition or file: the command's own failure, not a defect of one.
                throw DomainError.notFound(message)
            } catch {
                // A file Lua cannot evaluate (a syntax error, a runtime error at load) is a defect too.
                let failure = FailureReport(error, fallbackLocation: isFile ? target : catalog.folder.appendingPathComponent(target + ".lua").path)
                results.append(Result(name: target, workflow: nil, diagnostics: [WorkflowDiagnostic(
                    file: failure.location ?? target, problem: WorkflowProblem(line: nil, message: failure.message))]))
            }
        }
        try report(results, format: global.outputFormat)
        let failed = results.filter { $0.diagnostics.contains { !$0.isWarning } }
        guard failed.isEmpty else {
            let errors = failed.reduce(0) { $0 + $1.diagnostics.filter { !$0.isWarning }.count }
            throw DomainError.validation("workflow check: \(errors) error\(errors == 1 ? "" : "s") in "
                                         + failed.map(\.name).joined(separator: ", ") + " (each listed on standard output as file:line)")
        }
    }

    struct Result {
        var name: String
        var workflow: LoadedWorkflow?
        var diagnostics: [WorkflowDiagnostic]

        /// `ok  ksdd  (12 states, 20 events, version 3fa2b9c01d4e)`
        var summary: String? {
            guard let workflow, !diagnostics.contains(where: { !$0.isWarning }) else { return nil }
            let definition = workflow.definition
            let events = definition.states.values.reduce(0) { $0 + $1.events.count }
            return "ok  \(name)  (\(definition.states.count) states, \(events) events, version \(WorkflowFiles.short(workflow.version)))"
        }
    }

    /// Each definition's diagnostics, then its `ok` line when it has no error; or all as JSON.
    private func report(_ results: [Result], format: TableFormat) throws {
        if format == .json {
            let objects = results.map { result -> [String: Any] in
                ["workflow": result.name, "version": result.workflow.map { WorkflowFiles.short($0.version) } ?? NSNull(),
                 "ok": result.summary != nil,
                 "problems": result.diagnostics.map { diagnostic -> [String: Any] in
                     ["file": WorkflowCommandSupport.display(diagnostic.file), "line": diagnostic.problem.line ?? NSNull(),
                      "severity": diagnostic.isWarning ? "warning" : "error", "message": diagnostic.problem.message]
                 }]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        if results.isEmpty { Swift.print("no workflow definitions in workflows/") }
        // A lib module several definitions require has its lines said once, with the first.
        var printed: Set<String> = []
        for result in results {
            for diagnostic in result.diagnostics {
                var shown = diagnostic
                shown.file = WorkflowCommandSupport.display(diagnostic.file)
                guard printed.insert(shown.description).inserted else { continue }
                Swift.print(TerminalText.line(shown.description))
            }
            if let summary = result.summary { Swift.print(TerminalText.line(summary)) }
        }
    }
}

/// `workflow graph NAME --format mermaid|dot [--agreement NUMBER]`.
struct WorkflowGraph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a workflow as a Mermaid or Graphviz (DOT) diagram, and where an agreement stands on it.",
        discussion: """
        States are boxes (final ones marked), events are arrows labelled `event [roles]` (one per target of a route), and what a deadline or timer fires is dashed, with its period. --format mermaid (the default) prints a Mermaid flowchart for Markdown; --format dot prints Graphviz (dot -Tsvg). With --agreement, the agreement's state is highlighted on the version of the definition it runs on.

        Example: sinergi workflow graph ksdd
        Example: sinergi workflow graph ksdd --format dot
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The definition's name (workflows/NAME.lua).", valueName: "name")) var name: String
    @Option(help: ArgumentHelp("Highlight where this agreement (number or id) stands.", valueName: "agreement")) var agreement: String?

    func run() throws {
        let context = try WorkflowContext(global, writes: [.mermaid, .dot])
        let catalog = context.engine.catalog
        let (workflow, standing) = try drawn(catalog, context)
        let title = "\(workflow.definition.name) (version \(WorkflowFiles.short(workflow.version)))"
            + (standing.map { ", \($0.number) at \($0.state)" } ?? "")
        let draw = global.format == .dot ? WorkflowDiagram.dot : WorkflowDiagram.mermaid
        ScriptOutput.print(draw(workflow.definition, workflow.clockEvents, standing?.state, title))
    }

    /// The definition to draw and where the agreement stands on it: with --agreement, the version
    /// its instance is pinned to (the file may have changed since it started), else the file as it is.
    private func drawn(_ catalog: WorkflowCatalog, _ context: WorkflowContext) throws
        -> (LoadedWorkflow, (number: String, state: String)?) {
        guard let agreement else { return (try context.readingDefinitions { _ in try catalog.current(name) }, nil) }
        return try context.readingDefinitions { unit in
            let found = try context.agreement(agreement, in: unit)
            guard let instance = try WorkflowStore().instance(of: found.id, in: unit) else {
                throw DomainError.notFound("agreement \(found.agreement.number) runs on no workflow; "
                                             + "start it with `sinergi workflow start \(found.agreement.number)`")
            }
            guard instance.workflow == name else {
                throw DomainError.validation("agreement \(found.agreement.number) runs on workflow \(instance.workflow), not \(name); "
                                             + "draw it with `sinergi workflow graph \(instance.workflow) --agreement \(found.agreement.number)`")
            }
            return (try catalog.pinned(instance.version, in: unit), (found.agreement.number, instance.state))
        }
    }
}

/// What the workflow commands share.
enum WorkflowCommandSupport {
    /// A path as people type it: relative to the current folder when inside it.
    static func display(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath
        let prefix = here.hasSuffix("/") ? here : here + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
