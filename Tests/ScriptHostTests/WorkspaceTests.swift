import Agreements
import Foundation
import LuaKit
import Store
import Testing
@testable import ScriptHost

@Suite struct WorkspaceTests {
    @Test func configurationIsReadFromSinergiLua() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: """
            users { { id = "sari", name = "Sari", roles = { "sekretariat" }, contact = { email = "s@x.invalid" } } }
            holidays { "2027-08-17" }
            limits = { timeout = "2s", memory = "16MB" }
            rules = { pks_max_years = 5, pks_within_kb = true }
            schedule { name = "reminders", cron = "0 8 * * 1-5", run = "scripts/expiring.lua", args = { "30", 7 } }
            testing = { clock_override = true }
            """)
        let configuration = fixture.workspace.configuration
        #expect(configuration.users.map(\.id) == ["tester", "sari"])
        #expect(configuration.users[1].contact["email"] == "s@x.invalid")
        #expect(configuration.holidays.contains(LocalDate("2027-08-17")!))
        #expect(configuration.limits.timeout == 2 && configuration.limits.memory == 16 << 20)
        #expect(configuration.rules.pksMaxYears == 5 && configuration.rules.pksWithinKb)
        #expect(configuration.schedules.first?.fields["cron"] == "0 8 * * 1-5")
        #expect(configuration.schedules.first?.arguments == ["30", "7"])
        #expect(configuration.clockOverride)
        #expect(configuration.timeZone.identifier == "Asia/Jakarta")
    }

    @Test func configurationErrorsNameTheFileAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-cfg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("sinergi.lua")
        try "timezone = 'Asia/Jakarta'\nusers { { name = 'no id', roles = {} } }\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: LuaError.self) { _ = try Workspace(root: folder, loadedBy: "tester") }
        try "timezone = 'Mars/Olympus'\n".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try Workspace(root: folder, loadedBy: "tester")
            Issue.record("no error")
        } catch let LuaError.callback(error, location) {
            #expect(error.message == "timezone 'Mars/Olympus' is not a time zone name (e.g. Asia/Jakarta)")
            #expect(location?.line == 1)
        }
        try "os.execute('id')\n".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try Workspace(root: folder, loadedBy: "tester")
            Issue.record("no error")
        } catch let LuaError.forbidden(message, location) {
            #expect(message == "os.execute is not available in Sinergi scripts")
            #expect(location?.line == 1)
        }
    }

    @Test func onlyAnAdminMayActAsSomeoneElse() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: """
            users { { id = "budi", name = "Budi", login = "budi", roles = { "pd" } },
                    { id = "sari", name = "Sari", roles = { "sekretariat" } } }
            """)
        #expect(try fixture.workspace.actingUser(requested: nil, osLogin: "tester").id == "tester")
        #expect(try fixture.workspace.actingUser(requested: "sari", osLogin: "tester").id == "sari")
        #expect(throws: DomainError.self) { _ = try fixture.workspace.actingUser(requested: "sari", osLogin: "budi") }
        #expect(throws: DomainError.self) { _ = try fixture.workspace.actingUser(requested: nil, osLogin: "stranger") }
        #expect(throws: DomainError.self) { _ = try fixture.workspace.actingUser(requested: "ghost", osLogin: "tester") }
        // A user is mapped by the login declared for it, never by an id that happens to equal an OS login.
        #expect(throws: DomainError.self) { _ = try fixture.workspace.actingUser(requested: nil, osLogin: "sari") }
    }

    @Test func aChangedConfigurationIsAuditedOnceByTheAccountThatLoadedIt() throws {
        let fixture = try ScriptHostFixture()
        let file = fixture.folder.appendingPathComponent("sinergi.lua")
        let text = try String(contentsOf: file, encoding: .utf8)
        try (text + "\nusers { { id = \"budi\", name = \"Budi\", login = \"budi\", roles = { \"pd\", \"admin\" } } }\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let reopened = try Workspace(root: fixture.folder, loadedBy: "someone")
        _ = try Workspace(root: fixture.folder, loadedBy: "someone")
        let entries = try reopened.database.read { try AuditLog.entries(in: $0) }
        #expect(entries.map(\.action) == ["configure", "configure"])
        #expect(entries.first?.actor == "someone")
        #expect(entries.first?.after?.contains(#""changes":["user budi added: login budi, roles admin, pd"]"#) == true)
        #expect(entries.first?.after?.contains(reopened.configuration.fileSHA256) == true)
        #expect(entries.last?.actor == "tester")
        #expect(try reopened.database.read { try AuditLog.verify(in: $0) } == .intact(rows: 2))
    }

    /// The audit trail's hash is the SHA-256 of the bytes loaded (`sha256sum` of this text gives
    /// the constant); a configuration made in code has none.
    @Test func theFilesHashIsTheSHA256OfTheBytesLoaded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("sinergi.lua")
        try "timezone = \"Asia/Jakarta\"\n".write(to: file, atomically: true, encoding: .utf8)
        let configuration = try WorkspaceConfiguration.load(from: file)
        try "timezone = \"UTC\"\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(configuration.fileSHA256 == "cbe55da1fb76c453693a639f3a6b8633065d75187e51d450f8c85b95e902e0f1")
        #expect(WorkspaceConfiguration().fileSHA256 == "")
    }

    @Test func theSummaryListsEachChangeOfGrants() {
        var configuration = WorkspaceConfiguration()
        configuration.users = [User(id: "a", name: "A", login: "a", roles: ["tkksd", "admin"]), User(id: "b", name: "B", roles: ["pd"])]
        let old = ConfigurationSummary(configuration)
        configuration.users = [User(id: "a", name: "Renamed", login: "a", roles: ["admin", "tkksd"]), User(id: "c", name: "C", roles: ["admin"])]
        configuration.rules.pksMaxYears = 5
        configuration.clockOverride = true
        let new = ConfigurationSummary(configuration)
        #expect(new.changes(since: old) == ["user b removed (was login none, roles pd)", "user c added: login none, roles admin",
                                            "rules.clock_override: false → true", "rules.pks_max_years: none → 5"])
        #expect(ConfigurationSummary.decode(old.json) == old)
        #expect(new.changes(since: new).isEmpty)
    }

    @Test func theClockOverrideNeedsTheTestingSwitch() throws {
        let plain = try ScriptHostFixture()
        #expect(throws: DomainError.self) { _ = try plain.workspace.clock(override: "2027-01-15") }
        let testing = try ScriptHostFixture(extraConfiguration: "testing = { clock_override = true }")
        let clock = try testing.workspace.clock(override: "2027-01-15")
        #expect(testing.workspace.configuration.calendar.date(of: clock.now()).description == "2027-01-15")
        #expect(throws: DomainError.self) { _ = try testing.workspace.clock(override: "next tuesday") }
    }

    @Test func initRefusesToOverwriteAndShipsTheScripts() throws {
        let fixture = try ScriptHostFixture()
        #expect(throws: DomainError.self) { try WorkspaceInitializer.create(at: fixture.folder, admin: "x", login: "x", sample: false) }
        #expect(FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent("scripts/expiring.lua").path))
        #expect(FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent("scripts/lib/format.lua").path))
    }

    @Test func shippedScriptsRunOnTheSampleData() throws {
        let fixture = try ScriptHostFixture(sample: true)
        let session = try fixture.session()
        let expiring = try session.runFile(at: fixture.folder.appendingPathComponent("scripts/expiring.lua").path, arguments: ["90"])
        #expect(expiring == [.integer(3)])
        #expect(fixture.output.joined(separator: "\n").contains("CONTOH/010/SINERGI/2024"))
        let dprd = try session.runFile(at: fixture.folder.appendingPathComponent("scripts/dprd_summary.lua").path, arguments: [])
        #expect(dprd == [.integer(5)])
    }

    /// `init --sample` schedules the shipped reminder scripts, and in the sample every role they (and the
    /// shipped workflows) address is held by a user with an e-mail address, so each message resolves.
    @Test func theSampleSchedulesTheRemindersAndEveryRoleHasAContact() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try WorkspaceInitializer.create(at: folder, admin: "tester", login: "tester", sample: true)
        // Read as text: the scheduler owns how a schedule{} declaration is parsed.
        let text = try String(contentsOf: folder.appendingPathComponent("sinergi.lua"), encoding: .utf8)
        // Each part ends its lines: a line appended with `echo … >> sinergi.lua` is a line of its
        // own, and no declaration runs into the comment after it.
        #expect(text.hasSuffix("\n") && !text.contains("}--"))
        for (script, cron) in [("pengingat_berakhir", "0 8 * * *"), ("pengingat_penawaran", "0 8 * * *"),
                               ("pengingat_dprd", "0 8 * * *"), ("pengingat_laporan", "0 8 1 1,7 *")] {
            #expect(text.contains(#"schedule { name = "\#(script)", cron = "\#(cron)", run = "scripts/\#(script).lua""#), "\(script)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("scripts/\(script).lua").path), "\(script)")
        }
        #expect(workspace.configuration.schedules.map(\.arguments) == [["90,60,30,7,0"], ["7"], ["7"], []])
        // Without --sample the same lines are there, commented out: nothing runs until the admin says so.
        let plain = try ScriptHostFixture()
        #expect(plain.workspace.configuration.schedules.isEmpty)
        let plainText = try String(contentsOf: plain.folder.appendingPathComponent("sinergi.lua"), encoding: .utf8)
        #expect(plainText.contains(#"-- schedule { name = "pengingat_berakhir", cron = "0 8 * * *""#))
        let users = workspace.configuration.users
        for role in ["pd", "pd:DLH", "pd:DPUPR", "pd:Dishub", "sekretariat", "tkksd", "provinsi", "dprd_pimpinan", "dprd_komisi",
                     "kepala_daerah", "sekda", "hukum"] {
            #expect(users.contains { $0.has(role: role) && $0.contact["email"]?.hasSuffix("@probolinggokota.go.id") == true },
                    "no sample user with role \(role) has an e-mail address")
        }
    }

    @Test func embeddedShippedFilesMatchTheRepository() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (path, contents) in ShippedFiles.files {
            let onDisk = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            #expect(onDisk == contents, "\(path) differs: run `make shipped`")
        }
        // And every shipped Lua file of the repository is embedded.
        for folder in ["scripts", "workflows", "data", "types"] {
            let base = root.appendingPathComponent(folder)
            let found = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in found where file.pathExtension == "lua" {
                let path = folder + file.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count)
                #expect(ShippedFiles.files[path] != nil, "\(path) is not embedded: run `make shipped`")
            }
        }
    }
}
