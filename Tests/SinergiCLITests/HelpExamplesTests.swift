import Foundation
import Testing

/// Every example in `--help` runs as written (issue #9 §7): the examples are read from the
/// binary's own help (`--experimental-dump-help`, the discussion texts unwrapped) and each is run
/// with `/bin/sh` in a workspace where what it names exists — the sample workspace, an empty
/// folder for `init`, an empty workspace holding an export of the sample for `import`.
@Suite struct HelpExamplesTests {
    struct Example: CustomStringConvertible {
        var command: String
        var line: String
        var description: String { "\(command): \(line)" }
    }

    /// The example lines of every command's discussion: lines that start with `sinergi ` (after
    /// `Example:` or `Start with:`), or pipe into sinergi; a trailing `\` continues a line.
    static func examples() throws -> [Example] {
        let dump = try CLI.run(["--experimental-dump-help"])
        let root = try #require((try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])?["command"]
                                as? [String: Any])
        var found: [Example] = []
        func walk(_ command: [String: Any], path: String) {
            var pending = ""
            for raw in (command["discussion"] as? String ?? "").split(separator: "\n") {
                var line = pending + raw.trimmingCharacters(in: .whitespaces)
                pending = ""
                if line.hasSuffix("\\") { pending = String(line.dropLast()); continue }
                for prefix in ["Example: ", "Start with: "] where line.hasPrefix(prefix) { line = String(line.dropFirst(prefix.count)) }
                if line.hasPrefix("sinergi ") || (line.hasPrefix("echo ") && line.contains("| sinergi ")) {
                    found.append(Example(command: path, line: line))
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path: path + " " + (sub["commandName"] as? String ?? "?"))
            }
        }
        walk(root, path: "sinergi")
        return found
    }

    /// Runs `line` with `/bin/sh` in `folder`, the binary under test first on the PATH, stdin empty.
    static func shell(_ line: String, in folder: URL) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["SINERGI_WORKSPACE"] = nil
        environment["PATH"] = CLI.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test func everyHelpExampleRunsAsWritten() throws {
        let examples = try Self.examples()
        for command in ["sinergi agreement add", "sinergi agreement void", "sinergi agreement attach", "sinergi run",
                        "sinergi backup", "sinergi audit log", "sinergi agreement import",
                        "sinergi notify list", "sinergi notify deliver", "sinergi notify retry",
                        "sinergi workflow start", "sinergi workflow fire", "sinergi workflow status", "sinergi task approve"] {
            #expect(examples.contains { $0.command == command }, "no example for \(command)")
        }
        for example in examples {
            let folder: URL
            var keep: AnyObject?
            if example.line.contains("sinergi init") {
                folder = try CLI.temporaryFolder()
            } else if example.command == "sinergi agreement import" {
                let source = try WorkspaceCommandTests.Sample()
                let target = try WorkspaceCommandTests.Sample(sample: false)
                for format in ["csv", "json"] {
                    let file = target.folder.appendingPathComponent("agreements.\(format)").path
                    #expect(try source.run(["agreement", "export", "--format", format, "--output", file]).status == 0)
                }
                // The office's own files: a workbook and a CSV saved for Excel.
                let workbook = target.folder.appendingPathComponent("register.xlsx").path
                #expect(try source.run(["agreement", "export", "--format", "xlsx", "--output", workbook]).status == 0)
                let excel = target.folder.appendingPathComponent("register.csv").path
                #expect(try source.run(["agreement", "export", "--excel", "--output", excel]).status == 0)
                // …whose agency column the office named its own way (the example maps it).
                let renamed = try String(contentsOfFile: excel, encoding: .utf8).replacingOccurrences(of: "Perangkat Daerah", with: "Nama OPD")
                try renamed.write(toFile: excel, atomically: true, encoding: .utf8)
                (folder, keep) = (target.folder, target)
            } else if example.command == "sinergi workflow start" {
                // Agreements under way that run on no workflow yet: the sample's register imported.
                let source = try WorkspaceCommandTests.Sample()
                let target = try WorkspaceCommandTests.Sample(sample: false)
                let file = target.folder.appendingPathComponent("agreements.json").path
                #expect(try source.run(["agreement", "export", "--format", "json", "--output", file]).status == 0)
                #expect(try target.run(["agreement", "import", file]).status == 0)
                (folder, keep) = (target.folder, target)
            } else {
                let sample = try WorkspaceCommandTests.Sample()
                if example.command == "sinergi task approve" || example.command == "sinergi task reject" {
                    // Task 25: the TKKSD's review of CONTOH/009's KAK (kajian_disetujui / kajian_dikembalikan).
                    for kind in ["kak", "hasil_kajian_tkksd"] {
                        #expect(try sample.run(["agreement", "attach", "CONTOH/009/KSDD/2026", "--kind", kind, "--number", "1"]).status == 0)
                    }
                    #expect(try sample.run(["workflow", "fire", "CONTOH/009/KSDD/2026", "kak_diajukan", "--as", "dewi"]).status == 0)
                }
                (folder, keep) = (sample.folder, sample)
            }
            let result = try Self.shell(example.line, in: folder)
            #expect(result.status == 0, "\(example)\n\(result.stderr)")
            if keep == nil { try? FileManager.default.removeItem(at: folder) }
        }
    }
}
