import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Who acts, and what a shared workspace folder can make another user's command do: the acting
/// user comes from the OS account (never `$USER`), a change of `sinergi.lua`'s grants is audited,
/// and nothing is written through a planted symbolic link (issue #7, findings 13 and 14).
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
        #expect(try sample.run(["audit", "verify"]).stdout.hasPrefix("audit trail intact: 37 rows"))
        let file = sample.folder.appendingPathComponent("sinergi.lua")
        let text = try String(contentsOf: file, encoding: .utf8)
        try (text + "\nusers { { id = \"mallory\", name = \"M\", login = \"mallory\", roles = { \"admin\" } } }\nrules.pks_max_years = 5\n")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(try sample.run(["agreement", "list"]).status == 0)
        #expect(try sample.run(["agreement", "list"]).status == 0)  // unchanged since: no second event
        let log = try sample.run(["audit", "log", "--limit", "1"])
        #expect(log.stdout.contains("configure  configuration  user mallory added: login mallory, roles admin; rules.pks_max_years: none → 5"))
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
        #expect(try sample.run(["audit", "verify"]).stdout.hasPrefix("audit trail intact: 38 rows"))
    }

    // MARK: - Symbolic links in a shared workspace (finding 13)

    @Test func initRefusesToWriteThroughALinkPlantedInTheFolder() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let elsewhere = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        for planted in [".sinergi", "scripts"] {
            let workspace = folder.appendingPathComponent("w-\(planted)")
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
            let link = workspace.appendingPathComponent(planted)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: elsewhere.path)
            let result = try CLI.run(["init", workspace.path])
            #expect(result.status == 6, "\(planted): \(result.stderr)")
            #expect(result.firstErrorLine.hasPrefix("error[permission]: \(link.path) is a symbolic link or not a folder; "
                                                    + "Sinergi does not write through symbolic links in a workspace"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == elsewhere.path)
            #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("sinergi.lua").path))
        }
    }

    @Test func aDatabaseFolderOrFileThatIsALinkIsRefused() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let state = sample.folder.appendingPathComponent(".sinergi")
        let victim = sample.folder.deletingLastPathComponent().appendingPathComponent("victim.db")
        try FileManager.default.removeItem(at: state.appendingPathComponent("sinergi.db"))
        try FileManager.default.createSymbolicLink(atPath: state.appendingPathComponent("sinergi.db").path, withDestinationPath: victim.path)
        let file = try sample.run(["agreement", "list"])
        #expect(file.status == 6)
        #expect(file.firstErrorLine.hasPrefix("error[permission]: \(state.path)/sinergi.db is a symbolic link; "
                                              + "Sinergi does not open its database through one"))
        #expect(!FileManager.default.fileExists(atPath: victim.path))

        let other = try WorkspaceCommandTests.Sample(sample: false)
        let real = other.folder.appendingPathComponent("real-state")
        try FileManager.default.moveItem(at: other.folder.appendingPathComponent(".sinergi"), to: real)
        try FileManager.default.createSymbolicLink(atPath: other.folder.appendingPathComponent(".sinergi").path, withDestinationPath: real.path)
        let folder = try other.run(["agreement", "list"])
        #expect(folder.status == 6)
        #expect(folder.firstErrorLine.hasPrefix("error[permission]: \(other.folder.path)/.sinergi is a symbolic link"))
    }

    @Test func exportRefusesToWriteThroughALink() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let victim = sample.folder.deletingLastPathComponent().appendingPathComponent("victim.txt")
        try "precious\n".write(to: victim, atomically: true, encoding: .utf8)
        let link = sample.folder.appendingPathComponent("all.csv")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: victim.path)
        let result = try sample.run(["agreement", "export", "--output", link.path])
        #expect(result.status == 6)
        #expect(result.firstErrorLine.hasPrefix("error[permission]: \(link.path) is a symbolic link; "))
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
        let plain = sample.folder.appendingPathComponent("plain.csv")
        #expect(try sample.run(["agreement", "export", "--output", plain.path]).status == 0)
        #expect(try String(contentsOf: plain, encoding: .utf8).hasPrefix("number,title,kind,"))
    }
}
