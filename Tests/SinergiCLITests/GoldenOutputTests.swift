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
            Error: --timeout 'nope' is not a duration; use e.g. 500ms, 2s, 5m or 1h
            Usage: sinergi run [--workspace <dir>] [--format <format>] [--as <user>] [--now <time>] [--timeout <duration>] [--memory <size>] [--dry-run] <file> [<args> ...]
              See 'sinergi run --help' for more information.

            """)
    }

    @Test func aMissingScriptIsNotFound() throws {
        let result = try run(["run", "missing.lua"])
        #expect(result.status == 8)
        #expect(result.stderr == "error[not-found]: missing.lua: cannot read script 'missing.lua': no such file\n")
    }
}
