import Foundation
import Testing

/// Whole outputs of the real binary, character for character, as swift-argument-parser's own
/// tests check theirs: a change to what a user reads shows up here as a diff.
@Suite struct GoldenOutputTests {
    /// Runs `sinergi ARGS` in a folder holding `files`; returns exit status, stdout and stderr.
    func run(_ arguments: [String], files: [String: String] = [:]) throws -> CLI.Result {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files { _ = try CLI.write(text, to: name, in: folder) }
        return try CLI.run(arguments, in: folder)
    }

    @Test func aSyntaxErrorIsOneLineWithItsPlace() throws {
        let result = try run(["run", "syntax.lua"], files: ["syntax.lua": "local x = 1\nlocal = 2\n"])
        #expect(result.status == 3)
        #expect(result.stdout == "")
        #expect(result.stderr == "error[syntax]: syntax.lua:2: <name> expected near '='\n")
    }

    @Test func aRuntimeErrorCarriesItsTracebackWithoutTheSandboxsFrames() throws {
        let result = try run(["run", "runtime.lua"], files: ["runtime.lua": "local function f()\n  error(\"boom\")\nend\nf()\n"])
        #expect(result.status == 1)
        #expect(result.stderr == """
            error[runtime]: runtime.lua:2: boom
            stack traceback:
            \t[C]: in function 'error'
            \truntime.lua:2: in local 'f'
            \truntime.lua:4: in main chunk

            """)
    }

    @Test func aWithheldNameIsForbiddenAndNamed() throws {
        let result = try run(["eval", "io.write(1)"])
        #expect(result.status == 5)
        #expect(result.stderr == "error[forbidden]: eval:1: io is not available in Sinergi scripts\n")
    }

    @Test func aBadBudgetIsAUsageErrorWithTheCommandsUsage() throws {
        let result = try run(["run", "--timeout", "nope", "x.lua"])
        #expect(result.status == 64)
        #expect(result.stderr == """
            Error: --timeout 'nope' is not a duration from 1ms to 7 days; use e.g. 500ms, 2s, 5m or 1h
            Usage: sinergi run [--workspace <dir>] [--format <format>] [--as <user>] [--now <time>] [--timeout <duration>] [--memory <size>] [--dry-run] <file> [<args> ...]
              See 'sinergi run --help' for more information.

            """)
    }

    @Test func aMissingScriptIsNotFound() throws {
        let result = try run(["run", "missing.lua"])
        #expect(result.status == 8)
        #expect(result.stderr == "error[not-found]: missing.lua: cannot read script 'missing.lua': no such file\n")
    }

    /// The options every command that runs a script shows (the global ones and the budget), as
    /// its --help screen lists them.
    static let scriptOptions = """
          --workspace <dir>       The workspace folder (default: $SINERGI_WORKSPACE,
                                  else the current folder or a parent with sinergi.lua).
          --format <format>       Output format where output is tabular: table, json or
                                  csv; xlsx where a command writes it (agreement
                                  export, template); mermaid or dot for workflow graph.
                                  (values: table, json, csv, xlsx, mermaid, dot)
          --as <user>             Act as this user (only an admin may act as someone
                                  else; default: $SINERGI_USER, else the user whose
                                  login is your OS account).
          --now <time>            The clock for this command, ISO 8601 (only when
                                  sinergi.lua sets testing = { clock_override = true }).
          --timeout <duration>    Wall-clock budget: 500ms, 2s, 5m, 1h (default 5s).
          --memory <size>         Memory cap: 64KB, 64MB, 1GB (default 64MB).

        """

    /// How every --help screen ends.
    static let helpTail = """
          --version               Show the version.
          -h, --help              Show help information.

        """ + "\n"

    /// The whole `--help` screen of a command, as a user reads it.
    @Test func evalHelpTeachesWhatEvalDoes() throws {
        let result = try run(["eval", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout == """
            OVERVIEW: Run a Lua chunk and print what it returns.

            An expression is evaluated as if prefixed with `return`. Tables are
            pretty-printed with sorted keys; several results print one per line; `--format
            json|csv` prints them as JSON or CSV. Read-only, like the REPL: a write is
            refused unless --write is given (then the chunk is one transaction).

            Examples:
              sinergi eval '1 + 1'
              sinergi eval 'return { b = 2, a = 1 }'
              sinergi eval --format json 'agreements.find{ kind = "ksdpk" }'
              sinergi eval --write 'agreements.get(3):update{ funding = "APBD" }'

            USAGE: sinergi eval [--workspace <dir>] [--format <format>] [--as <user>] [--now <time>] [--timeout <duration>] [--memory <size>] [--write] <chunk>

            ARGUMENTS:
              <chunk>                 The Lua chunk or expression.

            OPTIONS:

            """ + Self.scriptOptions + """
              --write                 Allow changes (the chunk is one transaction, rolled
                                      back if it fails).

            """ + Self.helpTail)
    }

    @Test func runHelpTeachesWhatRunDoes() throws {
        let result = try run(["run", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout == """
            OVERVIEW: Run a Lua script in the sandbox, with Sinergi's API.

            The script gets its arguments as `...` and in `arg` (arg[0] is the script's
            path). It runs in a fresh sandbox: io, os.execute, debug, package and binary
            chunks are withheld, and it is stopped past its time budget or memory cap.

            Example:
              sinergi run scripts/expiring.lua 30
              sinergi run --timeout 2s --memory 16MB scripts/dprd_summary.lua

            USAGE: sinergi run [--workspace <dir>] [--format <format>] [--as <user>] [--now <time>] [--timeout <duration>] [--memory <size>] [--dry-run] <file> [<args> ...]

            ARGUMENTS:
              <file>                  The script to run.
              <args>                  Arguments passed to the script.

            OPTIONS:

            """ + Self.scriptOptions + """
              --dry-run               Roll back everything the script wrote when it ends.

            """ + Self.helpTail)
    }
}
