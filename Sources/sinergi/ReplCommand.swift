import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Workflow

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Ask ad-hoc questions in Lua, with the same API as scripts.",
        discussion: """
        An expression line prints its value (`=expr` too); an unfinished statement continues on a \
        `>>` prompt. `local` variables last for one input only: use globals (x = …) to keep values. \
        Read-only unless --write; with --write each input is its own transaction, and \
        begin() … commit() / rollback() group several. `:format json|csv|table` (or fmt("json")) \
        switches output; help() lists the API. Ctrl-C stops a long input, Ctrl-D leaves. History \
        is kept per user in $XDG_STATE_HOME/sinergi/history (else ~/.local/state/sinergi/history), \
        never in the workspace; Tab completes names and fields.

        Piped input (sinergi repl < queries.lua) runs line by line without prompts.

        Examples:
          sinergi repl
          sinergi repl --write
          echo 'agreements.count{ kind = "ksdpk" }' | sinergi repl --strict
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var limitOptions: LimitOptions

    @Flag(help: "Allow changes (each input is one transaction).")
    var write = false

    @Flag(help: "With piped input: stop at the first error and exit with its code.")
    var strict = false

    func run() throws {
        let context = try CommandContext.optional(global)
        let limits = try limitOptions.limits(base: context?.workspace.configuration.limits)
        let repl = try ReplSession(workspace: context?.workspace, actor: context?.user, clock: context?.clock ?? SystemClock(),
                                   write: write, limits: limits, output: ScriptOutput.print)
        repl.session.watchdog = LuaWatchdog.exitingProcess(chunk: "stdin")
        // a:fire and friends in the REPL: the engine serves its session while the loop runs.
        let engine = context.map { WorkflowEngine(workspace: $0.workspace, session: repl.session) }
        defer { withExtendedLifetime(engine) {} }
        if let format = global.format { repl.format = ReplSession.Format(rawValue: format.rawValue) ?? .table }
        let interactive = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        var exitCode: Int32 = 0
        try repl.withConnection {
            exitCode = interactive ? try interactiveLoop(repl) : pipedLoop(repl)
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Reads lines with libedit's editing; `LibEdit.Unavailable` before anything is shown when the
    /// library cannot be loaded.
    private func interactiveLoop(_ repl: ReplSession) throws -> Int32 {
        let edit = try LibEdit.load()
        repl.width = Int(terminalWidth())
        print(repl.banner(version: Sinergi.version))
        let editor = LineEditor(edit: edit, history: history()) { repl.completions(for: $0) }
        repl.interruptHandle.interruptOnSIGINT()
        while let line = editor.readLine(prompt: repl.prompt) {
            switch repl.submit(bytes: line) {
            case .more: continue
            case .quit: return 0
            case let .output(text): if !text.isEmpty { ScriptOutput.print(text) }
            case let .failure(error): _ = ErrorReport.report(error, fallbackLocation: "stdin")
            }
        }
        print("")
        return 0
    }

    /// The user's history file, or nil with a note on stderr saying why there is none.
    private func history() -> ReplHistory? {
        do {
            return try ReplHistory(account: try OSAccount.current(), environment: ProcessInfo.processInfo.environment)
        } catch {
            printError("note: " + TerminalText.line("\(error)"))
            return nil
        }
    }

    private func pipedLoop(_ repl: ReplSession) -> Int32 {
        var lineNumber = 0
        var firstFailure: Int32 = 0
        var reader = BoundedLineReader(descriptor: STDIN_FILENO, limit: ReplSession.maximumInputBytes)
        while let line = reader.next() {
            lineNumber += 1
            switch repl.submit(bytes: line) {
            case .more: continue
            case .quit: return firstFailure
            case let .output(text): if !text.isEmpty { ScriptOutput.print(text) }
            case let .failure(error):
                let code = ErrorReport.report(error, fallbackLocation: "stdin:\(lineNumber)").rawValue
                if firstFailure == 0 { firstFailure = code }
                if strict { return code }
            }
        }
        if repl.prompt != "> " {
            printError("error[syntax]: stdin:\(lineNumber): unexpected end of input (an unfinished statement)")
            return strict || firstFailure == 0 ? 3 : firstFailure
        }
        return strict ? firstFailure : 0
    }

    private func terminalWidth() -> Int32 {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int32(size.ws_col) }
        return 100
    }
}
