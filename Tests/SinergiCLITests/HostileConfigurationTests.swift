import Foundation
import Testing

/// A hostile or careless administrator's `sinergi.lua`, and the budgets given on the command line,
/// through the real binary: every bad value is refused with its class, exit code and the line
/// that sets it — never a crash, never a setting quietly left at its default or switched off.
@Suite struct HostileConfigurationTests {
    /// A plain workspace whose `sinergi.lua` ends with `extra`.
    final class Workspace {
        let folder: URL
        var environment: [String: String] { ["SINERGI_WORKSPACE": folder.path] }

        init(appending extra: String = "") throws {
            folder = try CLI.temporaryFolder().appendingPathComponent("ws")
            let created = try CLI.run(["init", folder.path])
            guard created.status == 0 else { throw HostileScriptTests.Failure(message: created.stderr) }
            let file = folder.appendingPathComponent("sinergi.lua")
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n\(extra)\n".utf8))
            try handle.close()
        }

        deinit { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }

        /// The line `extra` starts on.
        var lastLine: Int {
            get throws {
                try String(contentsOf: folder.appendingPathComponent("sinergi.lua"), encoding: .utf8)
                    .split(separator: "\n", omittingEmptySubsequences: false).count - 1
            }
        }

        func run(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments, environment: environment) }
    }

    /// `1e300h` overflowed the deadline's nanoseconds (SIGILL in every run), and `0.5b` rounded to
    /// a cap of 0, which the allocator reads as "no cap".
    @Test(arguments: [["--timeout", "1e300h"], ["--timeout", "1e10s"], ["--timeout", "1e-300s"],
                      ["--memory", "0.5b"], ["--memory", "0.0001KB"], ["--memory", "1e300GB"]])
    func absurdBudgetsOnTheCommandLineAreUsageErrors(_ option: [String]) throws {
        let workspace = try Workspace()
        let script = try CLI.write("print('ran')\n", to: "x.lua", in: workspace.folder)
        let result = try workspace.run(["run"] + option + [script])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(!result.stdout.contains("ran"))
        #expect(result.stderr.contains("is not a"), "\(result.stderr)")
    }

    @Test(arguments: [
        (#"limits = { timeout = "1e300h" }"#, "limits.timeout '1e300h' is not a duration from 1ms to 7 days"),
        (#"limits = { memory = "0.5b" }"#, "limits.memory '0.5b' is not a size from 1KB to 1024GB"),
        (#"limits = { timeout = 5 }"#, "limits.timeout is text such as \"5s\" or \"64MB\", not a number"),
        (#"limits = { timout = "1s" }"#, "limits: 'timout' is not a setting (timeout, memory)"),
        ("limits = function() return {} end", "limits is a table { … }, not a function"),
        ("rules = { kb_max_years = 4.0 }", "rules.kb_max_years is a whole number of years (such as 5), not 4.0"),
        ("rules = { kb_max_years = 1e300 }", "rules.kb_max_years is a whole number of years"),
        ("rules = { pks_max_years = -5 }", "rules.pks_max_years: -5 is not a term"),
        ("rules = { pks_max_years = math.mininteger }", "rules.pks_max_years:"),
        (#"rules = { pks_within_kb = "no" }"#, "rules.pks_within_kb is true or false, not 'no'"),
        (#"testing = { clock_override = "yes" }"#, "testing.clock_override is true or false, not 'yes'"),
        ("timezone = {}", "timezone is a time zone name such as \"Asia/Jakarta\", not a table"),
        ("timezone = 'Mars/Olympus'", "timezone 'Mars/Olympus' is not a time zone name"),
        (#"workflows = { limits = { timeout = "1e300h" } }"#, "workflows.limits.timeout '1e300h' is not a duration"),
        ("database = 5", "database is text"),
        (#"roles { "bad\27[31mrole" }"#, #"roles: a role name 'bad\27[31mrole' holds a control character"#),
        (#"perangkat_daerah { { short = "D\nL", name = "Dinas L" } }"#, #"perangkat_daerah: a short name 'D\nL' holds a control character"#),
        (#"users { { id = "x", roles = { "pd:\rX" } } }"#, #"users: x: a role 'pd:\rX' holds a control character"#),
        ("users { { id = 'x', roles = { function() end } } }", "users: x has a role that is a function, not a name"),
        ("users { { id = 'x', roles = { 'pd' }, contact = { email = function() end } } }", "users: x: contact = { … } holds names and text"),
        (#"schedule { name = "a\27b", cron = "0 8 * * *", run = "scripts/x.lua" }"#, #"schedule: name 'a\27b' holds a control character"#),
    ])
    func aHostileSettingIsRefusedAtItsLine(_ setting: String, _ message: String) throws {
        let workspace = try Workspace(appending: setting)
        let result = try workspace.run(["eval", "return 1"])
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.firstErrorLine.hasPrefix("error[validation]: \(workspace.folder.path)/sinergi.lua:\(try workspace.lastLine): "),
                "\(result.stderr)")
        #expect(result.firstErrorLine.contains(message), "\(result.stderr)")
        #expect(!result.stdout.contains("1"))
    }

    @Test func theSameSettingsWrittenWellStillLoad() throws {
        let workspace = try Workspace(appending: """
            limits = { timeout = "2s", memory = "32MB" }
            rules = { kb_max_years = 4, pks_max_years = 5, pks_within_kb = true, university_as_sinergi = false }
            testing = { clock_override = true }
            roles { "bappeda" }
            """)
        let result = try workspace.run(["eval", "return 1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "1\n")
    }
}
