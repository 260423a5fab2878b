import Agreements
import Foundation
import LuaKit
import Testing
@testable import ScriptHost

@Suite struct WorkspaceTests {
    @Test func configurationIsReadFromSinergiLua() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: """
            users { { id = "sari", name = "Sari", roles = { "sekretariat" }, contact = { email = "s@x.invalid" } } }
            holidays { "2027-08-17" }
            limits = { timeout = "2s", memory = "16MB" }
            rules = { pks_max_years = 5, pks_within_kb = true }
            schedule { name = "reminders", cron = "0 8 * * 1-5", run = "scripts/expiring.lua" }
            testing = { clock_override = true }
            """)
        let configuration = fixture.workspace.configuration
        #expect(configuration.users.map(\.id) == ["tester", "sari"])
        #expect(configuration.users[1].contact["email"] == "s@x.invalid")
        #expect(configuration.holidays.contains(LocalDate("2027-08-17")!))
        #expect(configuration.limits.timeout == 2 && configuration.limits.memory == 16 << 20)
        #expect(configuration.rules.pksMaxYears == 5 && configuration.rules.pksWithinKb)
        #expect(configuration.schedules.first?["cron"] == "0 8 * * 1-5")
        #expect(configuration.clockOverride)
        #expect(configuration.timeZone.identifier == "Asia/Jakarta")
    }

    @Test func configurationErrorsNameTheFileAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-cfg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("sinergi.lua")
        try "timezone = 'Asia/Jakarta'\nusers { { name = 'no id', roles = {} } }\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: LuaError.self) { _ = try Workspace(root: folder) }
        try "timezone = 'Mars/Olympus'\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: DomainError.self) { _ = try Workspace(root: folder) }
        try "os.execute('id')\n".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try Workspace(root: folder)
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
        #expect(throws: DomainError.self) { try WorkspaceInitializer.create(at: fixture.folder, login: "x", sample: false) }
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

    @Test func embeddedShippedFilesMatchTheRepository() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (path, contents) in ShippedFiles.files {
            let onDisk = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            #expect(onDisk == contents + "\n" || onDisk == contents, "\(path) differs: run `make shipped`")
        }
    }
}
