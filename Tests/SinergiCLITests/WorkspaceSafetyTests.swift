import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Who acts: the acting user comes from the OS account (never `$USER`), and a change of
/// `sinergi.lua`'s grants is audited (issue #7, finding 14).
@Suite struct WorkspaceSafetyTests {
    /// The login of the account running the tests (root in CI).
    static func osLogin() throws -> String {
        let entry = try #require(getpwuid(getuid()))
        return String(cString: try #require(entry.pointee.pw_name))
    }

    static func sha256(of file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(output.prefix(64))
    }

    // MARK: - The acting user (finding 14)

    @Test func theActingUserComesFromTheOSAccountNotFromUSER() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let login = try Self.osLogin()
        let file = sample.folder.appendingPathComponent("sinergi.lua")
        let text = try String(contentsOf: file, encoding: .utf8)
        let demoted = text.replacingOccurrences(of: "login = \"\(login)\", roles = { \"admin\" } },", with: """
            login = "\(login)", roles = { "hukum" } },
              { id = "boss", name = "Boss", login = "boss", roles = { "admin" } },
            """)
        #expect(demoted != text)
        try demoted.write(to: file, atomically: true, encoding: .utf8)
        let spoofed = ["SINERGI_WORKSPACE": sample.folder.path, "USER": "boss", "LOGNAME": "boss"]
        let actAs = try CLI.run(["agreement", "list", "--as", "sari"], environment: spoofed)
        #expect(actAs.status == 6)
        #expect(actAs.firstErrorLine == "error[permission]: only an admin may act as another user; '\(login)' is not an admin")
        let edit = try CLI.run(["agreement", "edit", "CONTOH/003/KSDPK/2024", "--set", "stage=pelaporan"], environment: spoofed)
        #expect(edit.status == 6)
        #expect(edit.firstErrorLine.hasPrefix("error[permission]: \(login) may not change agreements"))
        let asBoss = try CLI.run(["agreement", "list"], environment: spoofed.merging(["SINERGI_USER": "boss"]) { $1 })
        #expect(asBoss.status == 6)
    }

    @Test func anAccountWithoutAPasswdEntryIsRefused() throws {
        let uid: uid_t = 4242
        guard getpwuid(uid) == nil, getuid() == 0 else { return }  // needs root to switch to an unknown uid
        let sample = try WorkspaceCommandTests.Sample()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", CLI.binary.path, "agreement", "list"]
        process.environment = ["SINERGI_WORKSPACE": sample.folder.path, "USER": try Self.osLogin(), "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 6)
        #expect(stderr.hasPrefix("error[permission]: your account (uid 4242) has no entry in the passwd database"))
    }

    @Test func initWithAsNamesTheAdminWhoseLoginIsTheOSAccount() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("w")
        let created = try CLI.run(["init", "--as", "kepala", workspace.path], environment: ["USER": "someone-else"])
        #expect(created.status == 0)
        #expect(created.stdout.hasPrefix("Created a Sinergi workspace in \(workspace.path) (admin: kepala)."))
        let configuration = try String(contentsOf: workspace.appendingPathComponent("sinergi.lua"), encoding: .utf8)
        #expect(configuration.contains("{ id = \"kepala\", name = \"Administrator\", login = \"\(try Self.osLogin())\", roles = { \"admin\" } },"))
        let acting = try CLI.run(["eval", "return 1", "--as", "kepala"], environment: ["SINERGI_WORKSPACE": workspace.path])
        #expect(acting.status == 0)
    }

    @Test func aChangeToUsersRolesOrRulesIsAuditedOnceWithTheFileHash() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let login = try Self.osLogin()
        #expect(try sample.run(["audit", "verify"]).stdout.hasPrefix("audit trail intact: 15 rows"))
        let file = sample.folder.appendingPathComponent("sinergi.lua")
        let text = try String(contentsOf: file, encoding: .utf8)
        try (text + "\nusers { { id = \"mallory\", name = \"M\", login = \"mallory\", roles = { \"admin\" } } }\nrules.pks_max_years = 5\n")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(try sample.run(["agreement", "list"]).status == 0)
        #expect(try sample.run(["agreement", "list"]).status == 0)  // unchanged since: no second event
        let log = try sample.run(["audit", "log", "--limit", "1"])
        #expect(log.stdout.contains("configure  configuration   user mallory added: login mallory, roles admin; rules.pks_max_years: none → 5"))
        let json = try sample.run(["audit", "log", "--limit", "1", "--format", "json"])
        let entry = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first)
        #expect(entry["actor"] as? String == login)
        #expect(entry["entity"] as? String == "configuration")
        func object(_ field: String) throws -> [String: Any] {
            let text = try #require(entry[field] as? String)
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        let after = try object("after")
        #expect(after["sinergi_lua_sha256"] as? String == (try Self.sha256(of: file)))
        #expect(after["changes"] as? [String] == ["user mallory added: login mallory, roles admin", "rules.pks_max_years: none → 5"])
        let before = try object("before")
        #expect((before["users"] as? [[String: Any]])?.contains { $0["id"] as? String == "mallory" } == false)
        #expect(try sample.run(["audit", "verify"]).stdout.hasPrefix("audit trail intact: 16 rows"))
    }
}
