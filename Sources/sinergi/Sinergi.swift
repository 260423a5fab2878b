// sinergi: the command-line interface. Thin commands that wire the modules together; no
// domain rules and no Lua here. May import every module, ArgumentParser and Foundation.
import ArgumentParser

@main
struct Sinergi: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "sinergi",
        abstract: "Run regional-government cooperation agreements (Kerja Sama Daerah) as Lua-scripted workflows.",
        discussion: """
        Sinergi keeps agreements under PP 28/2018 and Permendagri 22/2020 in one SQLite file and lets administrators script workflows, reminders and reports in sandboxed Lua 5.4.

        Start with: sinergi init --sample demo && cd demo && sinergi agreement list

        Failures print one line `error[CLASS]: WHERE: MESSAGE` on stderr and exit with:
          1 runtime, 3 syntax, 4 timeout/memory, 5 forbidden, 6 permission,
          7 validation, 8 not-found, 64 usage.
        """,
        version: version,
        subcommands: [Init.self, Run.self, Eval.self, Repl.self, AgreementCommand.self, WorkflowCommand.self, TaskCommand.self,
                      NotifyCommand.self, SchedulerCommand.self, CronCommand.self, Audit.self, Backup.self, UserCommand.self, Bench.self]
    )

    /// The CLI's one error path: every command throws, and here a failure becomes the contract's
    /// `error[CLASS]: WHERE: MESSAGE` and its exit code (ErrorReport); command-line mistakes,
    /// --help and exit codes already decided go through swift-argument-parser as usual.
    static func main() {
        var command: (any ParsableCommand)?
        do {
            var parsed = try parseAsRoot()
            command = parsed
            try GlobalOptions.of(parsed)?.refuseDiagram(in: parsed)
            try parsed.run()
            // What `print` buffered goes out now, so a full disk or a closed file behind standard
            // output is reported (StandardOutput) instead of lost at exit with status 0.
            try StandardOutput.flush()
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch where ErrorReport.isCommandLineError(error) {
            Self.exit(withError: error)
        } catch {
            Self.exit(withError: ErrorReport.report(error, fallbackLocation: (command as? LocatedCommand)?.errorLocation))
        }
    }
}

/// A command whose failures point at something when the error itself does not (the script
/// `run` ran, `eval`, the file `import` read).
protocol LocatedCommand {
    var errorLocation: String? { get }
}
