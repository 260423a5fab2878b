import Foundation
import Testing

/// `sinergi repl` end to end: piped input, and a real terminal (a pseudo-terminal) for history,
/// completion and Ctrl-C.
@Suite struct ReplCommandTests {
    @Test func pipedInputRunsLineByLineWithoutPromptsOrEscapes() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let result = try CLI.run(["repl"], environment: sample.environment, input: """
            agreements.count{ kind = "ksdpk" }
            for i = 1, 2 do
              print("line " .. i)
            end
            a = agreements.get("CONTOH/003/KSDPK/2024")
            a.ends_on - a.starts_on
            a:update{ title = "x" }
            a.title
            """)
        #expect(result.status == 0)
        #expect(result.stdout == "6\nline 1\nline 2\n900\nPenelitian, KKN tematik dan magang mahasiswa\n")
        #expect(!result.stdout.contains("\u{1b}") && !result.stdout.contains("> "))
        #expect(result.firstErrorLine.hasPrefix("error[permission]: stdin:1: this session is read-only"))
    }

    @Test func strictStopsAtTheFirstErrorWithItsExitCode() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let result = try CLI.run(["repl", "--strict"], environment: sample.environment,
                                 input: "x = 1\nos.execute('id')\nprint('not reached')\n")
        #expect(result.status == 5)
        #expect(result.stdout.isEmpty)
        #expect(result.firstErrorLine == "error[forbidden]: stdin:1: os.execute is not available in Sinergi scripts")
        let unfinished = try CLI.run(["repl", "--strict"], environment: sample.environment, input: "for i = 1, 2 do\n")
        #expect(unfinished.status == 3)
    }

    @Test func writeModeKeepsEachSuccessfulInput() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let result = try CLI.run(["repl", "--write"], environment: sample.environment, input: """
            agreements.get("CONTOH/003/KSDPK/2024"):update{ scope = "diperbarui" }
            agreements.get("CONTOH/004/KSDPK/2025"):update{ scope = "diperbarui" }; error("undo this one")
            """)
        #expect(result.status == 0)
        let scopes = try sample.run(["eval", "return agreements.get('CONTOH/003/KSDPK/2024').scope == 'diperbarui', agreements.get('CONTOH/004/KSDPK/2025').scope == 'diperbarui'"])
        #expect(scopes.stdout == "true\nfalse\n")
    }

    /// Drives the REPL through a pseudo-terminal with Python's pty module: Tab completion, the
    /// history file, Ctrl-C on a runaway input, Ctrl-D to leave. The history goes to the user's
    /// state folder; a `.sinergi/history` link planted in the (shared) workspace is not written
    /// through (issue #7, finding 13).
    @Test func aTerminalSessionCompletesRemembersAndInterrupts() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let victim = sample.folder.deletingLastPathComponent().appendingPathComponent("victim.txt")
        try "precious\n".write(to: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: sample.folder.appendingPathComponent(".sinergi/history").path,
                                                   withDestinationPath: victim.path)
        let state = sample.folder.deletingLastPathComponent().appendingPathComponent("state")
        let transcript = try Self.terminalSession(in: sample, stateHome: state)
        #expect(transcript.contains("Sinergi 0.1.0 — workspace"))
        #expect(transcript.contains("\n12\r") || transcript.contains("12\r\n"))
        #expect(transcript.contains("interrupted"))
        #expect(transcript.contains("42"))
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
        let history = try String(contentsOf: state.appendingPathComponent("sinergi/history"), encoding: .utf8)
        #expect(history.contains("agreements.count\\040{}"))  // completed from "agreements.cou"
        #expect(history.contains("6\\040*\\0407"))
        let mode = try FileManager.default.attributesOfItem(atPath: state.appendingPathComponent("sinergi").path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    /// A state folder that is a symbolic link (or not the user's) is not used: the REPL runs
    /// without history, says why, and writes nothing through the link.
    @Test func aHistoryFolderThatIsALinkTurnsHistoryOff() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let state = sample.folder.deletingLastPathComponent().appendingPathComponent("state")
        let elsewhere = sample.folder.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: state.appendingPathComponent("sinergi").path, withDestinationPath: elsewhere.path)
        let transcript = try Self.terminalSession(in: sample, stateHome: state)
        #expect(transcript.contains("note: history is off: \(state.path)/sinergi is a symbolic link"))
        #expect(transcript.contains("42"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    /// Runs the scripted terminal session; returns what the terminal showed.
    static func terminalSession(in sample: WorkspaceCommandTests.Sample, stateHome: URL) throws -> String {
        let driver = """
            import os, pty, sys, time, select
            binary, workspace, state = sys.argv[1], sys.argv[2], sys.argv[3]
            pid, fd = pty.fork()
            if pid == 0:
                os.chdir(workspace)
                os.environ.pop("SINERGI_WORKSPACE", None)
                os.environ["XDG_STATE_HOME"] = state
                os.execv(binary, [binary, "repl"])
            out = b""
            def read(seconds):
                global out
                end = time.time() + seconds
                while time.time() < end:
                    ready, _, _ = select.select([fd], [], [], 0.05)
                    if ready:
                        try:
                            chunk = os.read(fd, 4096)
                        except OSError:
                            return
                        if not chunk:
                            return
                        out += chunk
            def until(text, seconds=10):
                end = time.time() + seconds
                while time.time() < end and text.encode() not in out:
                    read(0.1)
            until("> ")
            os.write(fd, b"agreements.cou\\t"); until("agreements.count")
            os.write(fd, b"{}\\r"); until("12")
            os.write(fd, b"while true do end\\r"); read(0.5)
            os.write(fd, b"\\x03"); until("interrupted")
            os.write(fd, b"6 * 7\\r"); until("42")
            os.write(fd, b"\\x04"); read(1.0)
            # Never wait forever: a REPL that does not leave on Ctrl-D fails the test, with its transcript.
            def ended(seconds):
                end = time.time() + seconds
                while time.time() < end:
                    if os.waitpid(pid, os.WNOHANG)[0] == pid:
                        return True
                    read(0.1)
                return False
            if not ended(15):
                os.write(fd, b"\\x04")
                if not ended(10):
                    os.kill(pid, 9); os.waitpid(pid, 0)
                    out += b"\\n[pty driver: the REPL did not leave on Ctrl-D; killed]"
            sys.stdout.write(out.decode("utf-8", "replace"))
            """
        let script = sample.folder.deletingLastPathComponent().appendingPathComponent("pty_driver.py")
        try driver.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, CLI.binary.path, sample.folder.path, stateHome.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let transcript = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return transcript
    }
}

extension ReplCommandTests {
    /// A refused `a:fire` is recorded once its unit ends, even when the unit rolls back — in a
    /// `begin()` group, once the group ends: also when the session ends with the group open.
    @Test func aRefusalInAGroupLeftOpenIsRecordedWhenTheSessionEnds() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try HostileWorkflowCLITests.workspace(at: workspace, track: """
            return { name = "uji", title = "Uji", applies_to = { kind = "ksdd" }, initial = "persiapan", states = {
              persiapan = { on = { setuju = { to = "pelaksanaan", roles = { "dprd_pimpinan" } } } },
              pelaksanaan = { final = true },
            } }
            """)
        let configuration = workspace.appendingPathComponent("sinergi.lua")
        try (try String(contentsOf: configuration, encoding: .utf8) + "\nusers {\n  { id = \"sari\", name = \"Sari\", roles = { \"sekretariat\" } },\n}\n")
            .write(to: configuration, atomically: true, encoding: .utf8)
        let repl = try CLI.run(["repl", "--write", "--as", "sari"], in: workspace,
                               input: "begin()\nagreements.get(\"U/1\"):update{ scope = \"dibatalkan\" }\nagreements.get(\"U/1\"):fire(\"setuju\")\n")
        #expect(repl.firstErrorLine.hasPrefix("error[permission]: stdin:1: sari may not fire setuju"), "\(repl.stderr)")
        let history = try CLI.run(["workflow", "history", "U/1", "--format", "csv"], in: workspace)
        #expect(history.stdout.contains("sari,refused,setuju,persiapan"), "\(history.stdout)")
        // The group itself was rolled back: the update in it is gone.
        let scope = try CLI.run(["eval", "agreements.get('U/1').scope"], in: workspace)
        #expect(scope.stdout != "dibatalkan\n", "\(scope.stdout)")
    }
}
