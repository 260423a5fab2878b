import Foundation
import Testing

/// The real binary against hostile workflow input: the scheduler's timer worker (`sinergi
/// scheduler timers`) with a guard that forges an error line and one that loops forever — each
/// fails its own timer (recorded, retried), the others fire, and what the guards said reaches
/// standard error escaped, on one line — and `workflow check` given what is not a definition.
@Suite struct HostileWorkflowCLITests {
    static let track = """
        return { name = "uji", title = "Uji", applies_to = { kind = "ksdd" }, initial = "persiapan", states = {
          persiapan = { deadline = { days = 1, fire = "lewat" }, on = { lewat = { to = "pelaksanaan",
            guard = function(a)
              if a.number == "U/1" then error("\\27[2J\\nerror[forbidden]: palsu\\r") end
              if a.number == "U/2" then while true do end end
              return true
            end } } },
          pelaksanaan = { final = true },
        } }
        """

    @Test func aTimerPassWithHostileGuardsFailsThemAloneAndSaysSoEscaped() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try Self.workspace(at: workspace, track: Self.track)
        let pass = try CLI.run(["scheduler", "timers", "--now", "2027-03-03T09:00:00+07:00"], in: workspace)
        #expect(pass.status == 1, "\(pass.stderr)")
        let lines = pass.stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("failed: U/1 deadline:persiapan lewat") && $0.contains("\\27[2J\\nerror[forbidden]: palsu\\r") },
                "\(pass.stderr)")
        #expect(lines.contains { $0.hasPrefix("failed: U/2 ") && $0.contains("time budget") }, "\(pass.stderr)")
        #expect(!lines.contains { $0.hasPrefix("error[forbidden]") })
        #expect(!pass.stderr.contains("\u{1B}") && !pass.stderr.contains("\r"))
        #expect(lines.last == "workflow timers: fired 1, dropped 0, failed 2")
        let third = try CLI.run(["workflow", "status", "U/3", "--format", "json"], in: workspace)
        #expect(third.stdout.contains("pelaksanaan"), "\(third.stdout)")
        let first = try CLI.run(["workflow", "history", "U/1", "--format", "csv"], in: workspace)
        #expect(first.stdout.contains(",failed,lewat,"), "\(first.stdout)")
    }

    /// `workflow tick` with failing timers: the table says what became of each, and stderr's
    /// first line is the contract's, naming how many failed and the first (escaped), exit 1.
    @Test func aTickWithFailedTimersEndsWithTheContractsErrorLine() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try Self.workspace(at: workspace, track: Self.track)
        let tick = try CLI.run(["workflow", "tick", "--now", "2027-03-03T09:00:00+07:00", "--format", "csv"], in: workspace)
        #expect(tick.status == 1, "\(tick.stderr)")
        #expect(tick.stdout.contains("U/3,deadline:persiapan,lewat,fired,pelaksanaan"), "\(tick.stdout)")
        #expect(tick.firstErrorLine.hasPrefix("error[runtime]: 2 of 3 due timers failed, first U/1 deadline:persiapan: "), "\(tick.stderr)")
        #expect(tick.firstErrorLine.hasSuffix("(each failure is in its agreement's workflow history; it is tried again in an hour)"))
        #expect(!tick.stderr.contains("\u{1B}") && !tick.stderr.contains("\r"))
    }

    /// A worker that ends inside a transition (killed here once its guard has said so, as the
    /// watchdog ends one stuck inside a C call) takes its uncommitted batch with it. The next
    /// pass fires that batch's timers one at a time — the others go through, the fatal one ends
    /// the worker again — and the pass after sets it aside as failed (retried in an hour)
    /// instead of ending every pass and holding back the timers due after it.
    @Test func aTimerWhoseTransitionEndsTheWorkerIsFiredAloneThenSetAside() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try Self.workspace(at: workspace, timeout: "60s", track: Self.track
            .replacingOccurrences(of: "a.number == \"U/1\"", with: "false")
            .replacingOccurrences(of: "while true do end", with: "log.info(\"macet\") while true do end"))
        let arguments = ["scheduler", "timers", "--now", "2027-03-03T09:00:00+07:00"]
        func state(_ number: String) throws -> String {
            try CLI.run(["eval", "return agreements.get('\(number)'):workflow().state"], in: workspace).stdout
                .trimmingCharacters(in: .newlines)
        }
        #expect(try Self.killed(saying: "macet", arguments, in: workspace))
        #expect(try ["U/1", "U/2", "U/3"].map(state) == ["persiapan", "persiapan", "persiapan"])
        #expect(try Self.killed(saying: "macet", arguments, in: workspace))
        #expect(try ["U/1", "U/2", "U/3"].map(state) == ["pelaksanaan", "persiapan", "persiapan"])
        let third = try CLI.run(arguments, in: workspace)
        #expect(third.status == 1, "\(third.stderr)")
        #expect(third.stderr.contains("failed: U/2 deadline:persiapan lewat: the process firing it ended 2 times"), "\(third.stderr)")
        #expect(third.stderr.hasSuffix("workflow timers: fired 1, dropped 0, failed 1\n"), "\(third.stderr)")
        #expect(try ["U/1", "U/2", "U/3"].map(state) == ["pelaksanaan", "persiapan", "pelaksanaan"])
        let history = try CLI.run(["workflow", "history", "U/2", "--format", "csv"], in: workspace)
        #expect(history.stdout.contains(",failed,lewat,"), "\(history.stdout)")
        let quiet = try CLI.run(arguments, in: workspace)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    /// Two timer passes at once (two `workflow tick` processes, or a tick beside the scheduler):
    /// the second reads the due timers while the first is firing them, then waits for its
    /// lock. Each timer fires once — the second finds it gone (fired, and its deadline set
    /// again) and leaves it, instead of firing its stale copy a second time.
    @Test func twoTimerPassesAtOnceFireEachTimerOnce() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try Self.workspace(at: workspace, timeout: "5s", track: """
            return { name = "uji", title = "Uji", applies_to = { kind = "ksdd" }, initial = "persiapan", states = {
              persiapan = { deadline = { days = 1, fire = "ingat" }, on = {
                ingat = { to = "persiapan", guard = function(a)
                  log.info("dalam " .. a.number) local t = os.clock() while os.clock() - t < 0.3 do end return true end },
                selesai = { to = "pelaksanaan", roles = { "admin" } } } },
              pelaksanaan = { final = true },
            } }
            """)
        let arguments = ["workflow", "tick", "--now", "2027-03-03T09:00:00+07:00"]
        let first = Process()
        first.executableURL = CLI.binary
        first.arguments = arguments
        first.currentDirectoryURL = workspace
        let err = Pipe()
        first.standardError = err
        first.standardOutput = FileHandle.nullDevice
        try first.run()
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("dalam U/1") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        let second = try CLI.run(arguments, in: workspace)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.status == 0, "\(second.stderr)")
        for number in ["U/1", "U/2", "U/3"] {
            let history = try CLI.run(["workflow", "history", number, "--format", "csv"], in: workspace).stdout
            #expect(history.components(separatedBy: ",transition,ingat,").count - 1 == 1, "\(number): \(history)")
        }
        let verify = try CLI.run(["audit", "verify"], in: workspace)
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    /// `--now` is read strictly and within the dates Sinergi counts: ISO 8601's formatter alone
    /// rolled 30 February over to 2 March, took an offset of +99:00, and let a tick run in year
    /// 10000 (Jakarta), whose stamps sort before 2027's as text — so the deadlines it set fired
    /// again at any later tick, and `today()` read 1970-01-01. Each is refused, nothing fired.
    @Test(arguments: ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+07:00", "2027-02-30T09:00:00+07:00",
                      "2027-03-03T09:00:00+99:00", "2027-03-03T24:00:00Z", "2027-03-03T09:00:00", "10000-01-01"])
    func aClockOutsideTheCalendarIsRefused(now: String) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try Self.workspace(at: workspace, track: Self.track.replacingOccurrences(of: "a.number == \"U/", with: "a.number == \"X/"))
        let tick = try CLI.run(["workflow", "tick", "--now", now], in: workspace)
        #expect(tick.status == 7, "\(tick.stdout)\(tick.stderr)")
        #expect(tick.firstErrorLine.hasPrefix("error[validation]: --now '\(now)' is not"), "\(tick.stderr)")
        let today = try CLI.run(["eval", "return today()", "--now", now], in: workspace)
        #expect(today.status == 7, "\(today.stdout)")
        let history = try CLI.run(["workflow", "history", "U/3", "--format", "csv"], in: workspace)
        #expect(!history.stdout.contains(",transition,"), "\(history.stdout)")
        for valid in ["2027-03-03", "2027-03-03T09:00:00+07:00", "2027-03-03T02:00:00Z"] {
            #expect(try CLI.run(["eval", "return today()", "--now", valid], in: workspace).stdout == "2027-03-03\n")
        }
    }

    /// Runs `sinergi ARGS` and kills it (SIGKILL) once its standard error says `signal`; true
    /// when it said so and was killed, false when it ended first.
    static func killed(saying signal: String, _ arguments: [String], in directory: URL) throws -> Bool {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains(signal) {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return String(decoding: said, as: UTF8.self).contains(signal) && process.terminationReason == .uncaughtSignal
    }

    /// A workspace whose one track is `track`, with U/1, U/2 and U/3 started on it on 1 March
    /// 2027 (their deadline timers due from the 2nd) and `timeout` as the budget of a transition.
    static func workspace(at workspace: URL, timeout: String = "300ms", track: String) throws {
        #expect(try CLI.run(["init", workspace.path]).status == 0)
        let shipped = workspace.appendingPathComponent("workflows")
        for file in try FileManager.default.contentsOfDirectory(atPath: shipped.path) where file.hasSuffix(".lua") {
            try FileManager.default.removeItem(at: shipped.appendingPathComponent(file))
        }
        try track.write(to: shipped.appendingPathComponent("uji.lua"), atomically: true, encoding: .utf8)
        let configuration = workspace.appendingPathComponent("sinergi.lua")
        try (try String(contentsOf: configuration, encoding: .utf8)
             + "\ntesting = { clock_override = true }\nworkflows = { limits = { timeout = \"\(timeout)\" } }\n")
            .write(to: configuration, atomically: true, encoding: .utf8)
        let create = try CLI.write("""
            for i = 1, 3 do
              agreements.create{ number = "U/" .. i, title = "Uji", kind = "ksdd", subkind = "sukarela", lead_agency = "Bagian Pemerintahan",
                parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } },
                starts_on = date("2027-01-01"), ends_on = date("2029-12-31") }
            end
            """, to: "buat.lua", in: workspace.deletingLastPathComponent())
        let made = try CLI.run(["run", create, "--now", "2027-03-01T09:00:00+07:00"], in: workspace)
        #expect(made.status == 0, "\(made.stderr)")
        for number in ["U/1", "U/2", "U/3"] {
            let started = try CLI.run(["workflow", "start", number, "--now", "2027-03-01T09:00:00+07:00"], in: workspace)
            #expect(started.status == 0, "\(started.stderr)")
        }
    }

    /// A definition with several shape defects cannot start an agreement: one `error[validation]` line
    /// naming the first defect and how many more `workflow check` lists, not a message whose
    /// newlines the report must escape into a literal `\\n`.
    @Test func aDefinitionWithDefectsCannotStartAndSaysSoOnOneLine() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try Self.workspace(at: workspace, track: """
            return { name = 'uji', applies_to = { kind = 'ksdd' }, initial = 'persiapan', states = {
              persiapan = { on = { kirim = { to = 'penawaran', roles = { 'admin' } } } }, penawaran = { final = true } } }
            """)
        try """
            return { name = 'uji', applies_to = { kind = 'ksdd' }, initial = 'persiapan', states = {
              persiapan = { on = { kirim = { roles = { 'admin' } } } },
              penawaran = { final = true, deadline = { fire = 'kirim' } } } }
            """.write(to: workspace.appendingPathComponent("workflows/uji.lua"), atomically: true, encoding: .utf8)
        let create = try CLI.write("""
            agreements.create{ number = "U/9", title = "Uji", kind = "ksdd", subkind = "sukarela", lead_agency = "Bagian Pemerintahan",
              parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } },
              starts_on = date("2027-01-01"), ends_on = date("2029-12-31") }
            """, to: "buat9.lua", in: folder)
        #expect(try CLI.run(["run", create, "--now", "2027-03-01T09:00:00+07:00"], in: workspace).status == 0)
        let started = try CLI.run(["workflow", "start", "U/9", "--now", "2027-03-01T09:00:00+07:00"], in: workspace)
        #expect(started.status == 7, "\(started.stderr)")
        let lines = started.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(started.stderr)")
        #expect(started.firstErrorLine.hasPrefix("error[validation]: the workflow uji cannot run: "), "\(started.stderr)")
        #expect(started.firstErrorLine.contains("uji.lua:2: event kirim of persiapan has no to = ") && started.firstErrorLine.contains(" and 1 more defect "),
                "\(started.stderr)")
        #expect(!started.stderr.contains("\\n"), "\(started.stderr)")
    }

    @Test(arguments: ["/dev/zero", "/dev/null"])
    func workflowCheckOfSomethingNotADefinitionFileFailsAsValidationAtOnce(path: String) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        #expect(try CLI.run(["init", workspace.path]).status == 0)
        let check = try CLI.run(["workflow", "check", path], in: workspace)
        #expect(check.status == 7, "\(check.stderr)")
        #expect(check.stdout.contains("is not a regular file"), "\(check.stdout)")
    }
}
