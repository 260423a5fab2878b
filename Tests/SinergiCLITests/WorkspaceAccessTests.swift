import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A workspace another process is writing to, one this user may only read, and a
/// `--workspace` that is no folder: each says what is the matter in the contract's first line,
/// with advice that fits — never a bare SQLite message.
@Suite struct WorkspaceAccessTests {
    /// A script that writes, then holds its transaction (and the write lock) for 13 s of CPU.
    static let holdingScript = """
        agreements.create{ number = "TAHAN/1", title = "Tahan", kind = "sinergi", lead_agency = "Dinas Lingkungan Hidup",
          parties = { { name = "Kementerian Dalam Negeri", kind = "kementerian" } },
          starts_on = date("2027-01-01"), ends_on = date("2028-01-01") }
        local start = os.clock()
        while os.clock() - start < 13 do end
        """

    @Test func aWriteWhileAnotherProcessWritesSaysSoAndGivesAdvice() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let script = try CLI.write(Self.holdingScript, to: "tahan.lua", in: sample.folder)
        let holder = Process()
        holder.executableURL = CLI.binary
        holder.arguments = ["run", "--timeout", "30s", script]
        holder.environment = ProcessInfo.processInfo.environment.merging(sample.environment) { $1 }
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { if holder.isRunning { holder.terminate() }; holder.waitUntilExit() }
        Thread.sleep(forTimeInterval: 1.5)
        let second = try sample.run(["eval", "--write", "return 1"])
        let database = sample.folder.appendingPathComponent(".sinergi/sinergi.db").path
        #expect(second.status == 4, "\(second.stderr)")
        #expect(second.firstErrorLine == "error[timeout]: eval: another sinergi process is writing to this workspace "
                + "(its database \(database) stayed locked for 10 s); try again when that process has finished")
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
    }

    /// Runs `sinergi ARGS` as an account that may only read the workspace: as root (who ignores
    /// file modes), as `nobody` through util-linux's `setpriv`; otherwise as this account, with
    /// the workspace's files made read-only. Nil when neither can be arranged.
    static func readOnlyRunner(for sample: WorkspaceCommandTests.Sample) throws -> (([String]) throws -> CLI.Result)? {
        let configuration = sample.folder.appendingPathComponent("sinergi.lua")
        let login = try WorkspaceSafetyTests.osLogin()
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), let nobody = getpwnam("nobody") else { return nil }
            let (uid, gid) = (nobody.pointee.pw_uid, nobody.pointee.pw_gid)
            // Recorded once by the owner, so the reader finds the configuration already audited.
            let text = try String(contentsOf: configuration, encoding: .utf8)
                .replacingOccurrences(of: "login = \"\(login)\"", with: "login = \"nobody\"")
            try text.write(to: configuration, atomically: true, encoding: .utf8)
            _ = try sample.run(["audit", "verify", "--as", "root"])
            return { arguments in
                try CLI.run(["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", CLI.binary.path] + arguments,
                            environment: sample.environment, executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
            }
        }
        let database = sample.folder.appendingPathComponent(".sinergi")
        #expect(chmod(database.appendingPathComponent("sinergi.db").path, 0o444) == 0 && chmod(database.path, 0o555) == 0)
        return { arguments in try sample.run(arguments) }
    }

    @Test func aReadOnlyWorkspaceReadsAndRefusesWritesClearly() throws {
        let sample = try WorkspaceCommandTests.Sample()
        defer { chmod(sample.folder.appendingPathComponent(".sinergi").path, 0o755) }
        guard let run = try Self.readOnlyRunner(for: sample) else {
            Issue.record("cannot run as another account: setpriv or the account nobody is missing")
            return
        }
        let list = try run(["agreement", "list"])
        #expect(list.status == 0 && list.stdout.hasSuffix("(12 agreements)\n"), "\(list.stderr)")
        for reading in [["agreement", "export"], ["agreement", "show", "CONTOH/001/KSDD/2025"], ["audit", "verify"],
                        ["eval", "return agreements.count{}"]] {
            let result = try run(reading)
            #expect(result.status == 0 && !result.stdout.isEmpty, "\(reading): \(result.stderr)")
        }
        let database = sample.folder.appendingPathComponent(".sinergi/sinergi.db").path
        let write = try run(["eval", "--write", "return agreements.get('CONTOH/001/KSDD/2025'):update{ notes = 'x' }"])
        #expect(write.status == 6, "\(write.stderr)")
        #expect(write.firstErrorLine.hasPrefix("error[permission]: eval:1: this workspace is read-only for you: its database \(database) "
                                               + "or the folder holding it is not writable"), "\(write.firstErrorLine)")
        let files = try FileManager.default.contentsOfDirectory(atPath: sample.folder.appendingPathComponent(".sinergi").path)
        #expect(Set(files) == [".gitignore", "sinergi.db"])
    }

    @Test func aWorkspaceThatIsAFileIsNotOfferedToInit() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try CLI.write("x", to: "catatan.txt", in: folder)
        let result = try CLI.run(["agreement", "list", "--workspace", file])
        #expect(result.status == 8)
        #expect(result.firstErrorLine == "error[not-found]: \(file) is a file, not a Sinergi workspace folder; "
                + "name the folder that holds sinergi.lua with --workspace DIR")
        let missing = try CLI.run(["agreement", "list", "--workspace", folder.appendingPathComponent("baru").path])
        #expect(missing.firstErrorLine.hasSuffix("create one with `sinergi init \(folder.appendingPathComponent("baru").path)`"))
    }
}
