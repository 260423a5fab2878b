import Foundation
import Testing

/// `sinergi run` and `sinergi eval` end to end on the real binary: output, error lines, exit codes.
@Suite struct RunCommandTests {
    /// Runs `source`, written to `name` in a fresh folder, with `sinergi run OPTIONS FILE`; the
    /// result and the file's path (which error lines name).
    static func run(_ source: String, named name: String, options: [String] = []) throws -> (result: CLI.Result, script: String) {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try CLI.write(source, to: name, in: folder)
        return (try CLI.run(["run"] + options + [script]), script)
    }

    @Test func runPassesArgumentsAndPrints() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try CLI.write("print(#arg, ...)\nprint(arg[0] ~= nil)", to: "a.lua", in: folder)
        let result = try CLI.run(["run", script, "x", "y z"])
        #expect(result.status == 0)
        #expect(result.stdout == "2\tx\ty z\ntrue\n")
    }

    /// A script file is read as stock `lua` reads one: a `#!` first line and a UTF-8 byte-order
    /// mark are skipped, lines still counted as in the file; a precompiled chunk is forbidden
    /// (exit 5), as `load` of one is in a script.
    @Test func aFileIsReadAsStockLuaReadsOneAndABinaryChunkIsForbidden() throws {
        let (ran, shebang) = try Self.run("#!/usr/bin/env sinergi run\nprint('hi')\nerror('x')\n", named: "s.lua")
        #expect(ran.status == 1)
        #expect(ran.stdout == "hi\n")
        #expect(ran.firstErrorLine == "error[runtime]: \(shebang):3: x")
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bom = folder.appendingPathComponent("bom.lua")
        try Data([0xEF, 0xBB, 0xBF] + Array("#!x\nprint('bom')".utf8)).write(to: bom)
        #expect(try CLI.run(["run", bom.path]).stdout == "bom\n")
        let binary = folder.appendingPathComponent("b.lua")
        try Data([0x1B] + Array("LuaT".utf8)).write(to: binary)
        let refused = try CLI.run(["run", binary.path])
        #expect(refused.status == 5)
        #expect(refused.firstErrorLine == "error[forbidden]: \(binary.path): binary chunks is not available in Sinergi scripts")
        // Text is read as it is: `eval` of a `#` line is Lua's syntax error, as `lua -e` gives.
        #expect(try CLI.run(["eval", "#!x"]).status == 3)
    }

    @Test func infiniteLoopExitsFourWithTimeoutAboutTheBudget() throws {
        let start = Date()
        let (result, script) = try Self.run("local x = 0\nwhile true do end", named: "loop.lua", options: ["--timeout", "500ms"])
        let elapsed = Date().timeIntervalSince(start)
        #expect(result.status == 4)
        #expect(result.firstErrorLine == "error[timeout]: \(script):2: script ran past its time budget of 500ms")
        #expect(elapsed < 5, "took \(elapsed)s for a 500ms budget")
    }

    @Test func hugeStringRepExitsFourWithMemory() throws {
        let (result, script) = try Self.run("local s = string.rep(\"x\", 1e9)", named: "mem.lua")
        #expect(result.status == 4)
        #expect(result.firstErrorLine == "error[memory]: \(script):1: script passed its memory cap of 64MB")
    }

    @Test func osExecuteExitsFiveWithForbidden() throws {
        let (result, script) = try Self.run("\nos.execute(\"id\")", named: "os.lua")
        #expect(result.status == 5)
        #expect(result.firstErrorLine == "error[forbidden]: \(script):2: os.execute is not available in Sinergi scripts")
    }

    @Test func syntaxErrorExitsThreeNamingFileAndLine() throws {
        let (result, script) = try Self.run("local x = 1\nlocal y = = 2\n", named: "syntax.lua")
        #expect(result.status == 3)
        #expect(result.firstErrorLine == "error[syntax]: \(script):2: unexpected symbol near '='")
    }

    @Test func runtimeErrorExitsOneWithTraceback() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try CLI.write("local function f()\n  error('boom')\nend\nf()\n", to: "boom.lua", in: folder)
        let result = try CLI.run(["run", script])
        #expect(result.status == 1)
        #expect(result.firstErrorLine == "error[runtime]: \(script):2: boom")
        #expect(result.stderr.contains("stack traceback:"))
        #expect(!result.stderr.contains("[sinergi]"))
    }

    @Test func catastrophicPatternStopsAtTheDeadline() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try CLI.write("local s = string.rep('a', 3000)\nreturn string.find(s, '.-.-.-.-.-.-b')", to: "pattern.lua", in: folder)
        let start = Date()
        let result = try CLI.run(["run", "--timeout", "300ms", script])
        #expect(result.status == 4)
        #expect(result.firstErrorLine == "error[timeout]: \(script):2: script ran past its time budget of 300ms")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func missingFileIsNotFound() throws {
        let result = try CLI.run(["run", "/nonexistent/x.lua"])
        #expect(result.status == 8)
        #expect(result.firstErrorLine == "error[not-found]: /nonexistent/x.lua: cannot read script '/nonexistent/x.lua': no such file")
    }

    @Test func badTimeoutIsAUsageError() throws {
        let result = try CLI.run(["run", "--timeout", "soon", "x.lua"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--timeout 'soon' is not a duration"))
    }

    @Test func evalPrintsValuesWithSortedKeys() throws {
        let result = try CLI.run(["eval", "{ b = 2, a = 'x', 10, { true } }"])
        #expect(result.status == 0)
        #expect(result.stdout == "{ 10, { true }, a = \"x\", b = 2 }\n")
        let several = try CLI.run(["eval", "return 1, 'two', nil"])
        #expect(several.stdout == "1\ntwo\nnil\n")
    }

    @Test func evalWithdrawnNameIsForbidden() throws {
        let result = try CLI.run(["eval", "io.write('x')"])
        #expect(result.status == 5)
        #expect(result.firstErrorLine == "error[forbidden]: eval:1: io is not available in Sinergi scripts")
    }

    @Test func versionAndHelpTeach() throws {
        let version = try CLI.run(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try CLI.run(["run", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: sinergi run"))
        #expect(help.stdout.contains("--timeout <duration>"))
        #expect(help.stdout.contains("sinergi run scripts/expiring.lua 30"))
    }
}
