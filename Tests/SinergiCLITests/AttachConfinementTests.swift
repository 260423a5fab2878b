import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `a:attach{ file = PATH }` through `sinergi run`: a script hashes only regular files inside the
/// workspace, and every other path gets the same `forbidden` answer (issue #7, finding 3).
@Suite struct AttachConfinementTests {
    /// A sample workspace with `docs/pks.txt` ("isi PKS"), links in and out of it, a folder, a
    /// FIFO, a file beside the workspace, and the attaching script.
    final class Setup {
        let sample: WorkspaceCommandTests.Sample
        let script: String
        var root: URL { sample.folder }

        init() throws {
            sample = try WorkspaceCommandTests.Sample()
            let docs = sample.folder.appendingPathComponent("docs")
            try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
            try "isi PKS".write(to: docs.appendingPathComponent("pks.txt"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: docs.appendingPathComponent("inner").path, withDestinationPath: "pks.txt")
            try FileManager.default.createSymbolicLink(atPath: docs.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
            try "secret".write(to: sample.folder.deletingLastPathComponent().appendingPathComponent("outside.txt"),
                               atomically: true, encoding: .utf8)
            _ = mkfifo(docs.appendingPathComponent("fifo").path, 0o600)
            script = try CLI.write("""
                local a = agreements.get("CONTOH/003/KSDPK/2024")
                print(a:attach{ kind = "kak", number = "KAK/1", file = ... }.sha256)
                """, to: "scripts/attach.lua", in: sample.folder)
        }

        func attach(_ path: String) throws -> CLI.Result { try sample.run(["run", script, path]) }
    }

    @Test func aRegularFileInsideTheWorkspaceIsHashed() throws {
        let setup = try Setup()
        let sha = "d9eb15822205c77fa3606221502cd8e2eb5a3e20d4c2bdf89ef6600be402fbd2"  // sha256 of "isi PKS"
        for path in ["docs/pks.txt", "docs/inner", "./docs/../docs/pks.txt", setup.root.appendingPathComponent("docs/pks.txt").path] {
            let result = try setup.attach(path)
            #expect(result.status == 0, "\(path): \(result.stderr)")
            #expect(result.stdout == sha + "\n", "\(path)")
        }
    }

    @Test func anythingElseIsForbiddenWithOneMessageWhetherOrNotItExists() throws {
        let setup = try Setup()
        let outside = setup.root.deletingLastPathComponent().appendingPathComponent("outside.txt").path
        let paths = ["/etc/passwd", "/etc/shadow", "/proc/self/environ", "/proc/self/pagemap", "/dev/zero", "../outside.txt",
                     "../missing.txt", outside, "docs/passwd", "docs", "docs/fifo", "docs/missing.txt", "/nonexistent/x",
                     ""]
        let countDocuments = ["eval", "return #agreements.get('CONTOH/003/KSDPK/2024').documents"]
        let before = try setup.sample.run(countDocuments).stdout
        for path in paths {
            let start = Date()
            let result = try setup.attach(path)
            #expect(result.status == 5, "\(path): \(result.stderr)")
            #expect(result.firstErrorLine
                    == "error[forbidden]: \(setup.script):2: a:attach: \"\(path)\" is not a regular file inside the workspace")
            #expect(result.stdout.isEmpty)
            #expect(Date().timeIntervalSince(start) < 10, "\(path) took too long")
        }
        // A NUL cannot cut the path short for the C calls underneath (only a script can pass one).
        let cut = try setup.sample.run(["eval", "--write", "agreements.get('CONTOH/003/KSDPK/2024'):attach{ kind = 'kak', file = 'docs/pks.txt\\0/../../outside.txt' }"])
        #expect(cut.status == 5)
        #expect(cut.firstErrorLine == "error[forbidden]: eval:1: a:attach: \"docs/pks.txt\\0/../../outside.txt\" is not a regular file inside the workspace")
        #expect(try setup.sample.run(countDocuments).stdout == before)
    }

    @Test func aFileLargerThanTheCapIsRefusedWithoutReadingIt() throws {
        let setup = try Setup()
        let big = setup.root.appendingPathComponent("docs/big.bin")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: (512 << 20) + 1)  // sparse: costs no disk
        try handle.close()
        let result = try setup.attach("docs/big.bin")
        #expect(result.status == 5)
        #expect(result.firstErrorLine == "error[forbidden]: \(setup.script):2: a:attach: \"docs/big.bin\" is larger than 512MB, the most Sinergi hashes")
    }
}
