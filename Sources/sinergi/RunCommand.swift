import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Workflow

/// Options shared by `run` and `eval`: the script's budget.
struct LimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Wall-clock budget: 500ms, 2s, 5m, 1h (default 5s).", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Memory cap: 64KB, 64MB, 1GB (default 64MB).", valueName: "size"))
    var memory: String?

    /// Bad durations and sizes are command-line mistakes, reported with the command's usage.
    func validate() throws { _ = try limits() }

    /// The limits: the workspace's (or the defaults), overridden by the options.
    func limits(base: LuaLimits? = nil) throws -> LuaLimits {
        var limits = base ?? LuaLimits.default
        if let timeout {
            guard let seconds = LuaLimits.parseDuration(timeout) else {
                throw ValidationError("--timeout '\(timeout)' is not a duration from 1ms to 7 days; use e.g. 500ms, 2s, 5m or 1h")
            }
            limits.timeout = seconds
        }
        if let memory {
            guard let bytes = LuaLimits.parseSize(memory) else {
                throw ValidationError("--memory '\(memory)' is not a size from 1KB to 1024GB; use e.g. 64KB, 64MB or 1GB")
            }
            limits.memory = bytes
        }
        return limits
    }
}

extension LuaWatchdog {
    /// The CLI's watchdog: a run stuck in C past its budget is reported and the process exits 4.
    static func exitingProcess(chunk: String) -> LuaWatchdog {
        LuaWatchdog {
            let line = "error[timeout]: \(TerminalText.line(chunk)): script stuck in a C function past its time budget "
                + "(nothing it did was kept)\n"
            StandardOutput.writeError(line)
            exit(4)
        }
    }
}

/// Runs `body` with a script session on the workspace (if any) whose units of work the CLI's
/// watchdog watches; failures are reported in the contract's form with their exit code.
func withWatchedSession(_ global: GlobalOptions, _ limitOptions: LimitOptions, chunk: String, modulePaths: [URL],
                        readOnly: Bool = false, _ body: (ScriptSession) throws -> Void) throws {
    let context = try CommandContext.optional(global)
    let limits = try limitOptions.limits(base: context?.workspace.configuration.limits)
    let session = try ScriptSession(workspace: context?.workspace, actor: context?.user,
                                    clock: context?.clock ?? SystemClock(), readOnly: readOnly, limits: limits,
                                    modulePaths: context.map { $0.workspace.modulePaths } ?? modulePaths,
                                    output: ScriptOutput.print)
    session.watchdog = LuaWatchdog.exitingProcess(chunk: chunk)
    // a:fire and friends: the engine serves the session for as long as the body runs.
    let engine = context.map { WorkflowEngine(workspace: $0.workspace, session: session) }
    try withExtendedLifetime(engine) { try body(session) }
}

struct Run: ParsableCommand, LocatedCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua script in the sandbox, with Sinergi's API.",
        discussion: """
        The script gets its arguments as `...` and in `arg` (arg[0] is the script's path). It runs \
        in a fresh sandbox: io, os.execute, debug, package and binary chunks are withheld, and it \
        is stopped past its time budget or memory cap.

        Example:
          sinergi run scripts/expiring.lua 30
          sinergi run --timeout 2s --memory 16MB scripts/dprd_summary.lua
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var limitOptions: LimitOptions

    @Flag(help: "Roll back everything the script wrote when it ends.")
    var dryRun = false

    @Argument(help: ArgumentHelp("The script to run.", valueName: "file"))
    var file: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments passed to the script.", valueName: "args"))
    var arguments: [String] = []

    var errorLocation: String? { file }

    func run() throws {
        // Outside a workspace, `require` looks in a lib/ folder beside the script.
        let libraryBesideScript = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("lib")
        try withWatchedSession(global, limitOptions, chunk: file, modulePaths: [libraryBesideScript]) { session in
            _ = try session.runFile(at: file, arguments: arguments, dryRun: dryRun, keepingResults: false)
        }
    }
}

struct Eval: ParsableCommand, LocatedCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run a Lua chunk and print what it returns.",
        discussion: """
        An expression is evaluated as if prefixed with `return`. Tables are pretty-printed with \
        sorted keys; several results print one per line; `--format json|csv` prints them as JSON or \
        CSV. Read-only, like the REPL: a write is refused unless --write is given (then the chunk \
        is one transaction).

        Examples:
          sinergi eval '1 + 1'
          sinergi eval 'return { b = 2, a = 1 }'
          sinergi eval --format json 'agreements.find{ kind = "ksdpk" }'
          sinergi eval --write 'agreements.get(3):update{ funding = "APBD" }'
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var limitOptions: LimitOptions

    @Flag(help: "Allow changes (the chunk is one transaction, rolled back if it fails).")
    var write = false

    @Argument(help: ArgumentHelp("The Lua chunk or expression.", valueName: "chunk"))
    var chunk: String

    var errorLocation: String? { "eval" }

    func run() throws {
        try withWatchedSession(global, limitOptions, chunk: "eval", modulePaths: [], readOnly: !write) { session in
            let format = ScriptSession.OutputFormat(rawValue: global.outputFormat.rawValue) ?? .table
            // Printing a lazy list reads the database, so it happens inside the unit of work.
            try session.unitOfWork {
                let text = try session.render(try session.evalInCurrentUnit(chunk), as: format)
                if !text.isEmpty { ScriptOutput.print(text) }
            }
        }
    }
}
