import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Where a command's output cannot go: a full disk (`/dev/full`, which fails every write with
/// ENOSPC) behind standard output, and a device, FIFO or socket named by `--output`. The command
/// says so with the contract's first line and a non-zero exit — it neither crashes nor reports a
/// success whose output was lost, and it never replaces a special file with a regular one.
@Suite struct OutputFailureTests {
    /// Runs `sinergi ARGS` with standard output on `/dev/full`.
    static func runIntoFullDisk(_ arguments: [String], environment: [String: String]) throws -> CLI.Result {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? full.close() }
        let errors = Pipe()
        process.standardOutput = full
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus,
                          stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
    }

    static var fullDiskDevice: Bool {
        var status = stat()
        return stat("/dev/full", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR
    }

    @Test(.enabled(if: fullDiskDevice)) func aFullStandardOutputIsAnErrorNotACrashNorASuccess() throws {
        let sample = try WorkspaceCommandTests.Sample()
        for arguments in [["agreement", "export"], ["agreement", "export", "--format", "xlsx"], ["agreement", "list", "--format", "json"],
                          ["audit", "log"], ["eval", "return 1"]] {
            let result = try Self.runIntoFullDisk(arguments, environment: sample.environment)
            #expect(result.status == 8, "\(arguments): \(result.status) \(result.stderr.prefix(300))")
            // The reason is the system's when the failing write was the last; stdio keeps only a flag
            // for one that failed earlier, as its buffer filled (then: input/output error).
            #expect(result.firstErrorLine.hasPrefix("error[not-found]: ") && result.firstErrorLine.contains("cannot write standard output: "),
                    "\(arguments): \(result.firstErrorLine)")
        }
    }

    @Test func anOutputThatIsNotARegularFileIsRefusedAndLeftAsItIs() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let fifo = sample.folder.appendingPathComponent("pipa.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let export = try sample.run(["agreement", "export", "--output", fifo])
        #expect(export.status == 7, "\(export.stderr)")
        #expect(export.firstErrorLine == "error[validation]: cannot write \(fifo): it is not a regular file (a device, a pipe or a socket); "
                + "name a regular file instead")
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
        let template = try sample.run(["agreement", "template", "--output", fifo])
        #expect(template.status == 7)
        #expect(lstat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
    }

    /// An existing file whose folder takes no new file (/proc): the temporary file next to it
    /// cannot be made, and the message says that — it said "No such file or directory" of a
    /// file that is there.
    @Test func anOutputWhoseFolderTakesNoNewFileSaysSo() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let export = try sample.run(["agreement", "export", "--output", "/proc/version"])
        #expect(export.status != 0)
        #expect(export.firstErrorLine.hasPrefix("error[") && export.firstErrorLine.contains(
            "cannot write /proc/version: cannot create a temporary file in its folder /proc (the file is written there, "
            + "then renamed into place): "), "\(export.firstErrorLine)")
    }

    /// A path holding a newline or an ESC is echoed escaped, on one line, in errors and in what
    /// a command says it did (the export's "exported … to" line printed it raw).
    @Test func anOutputPathWithControlCharactersIsEchoedEscaped() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let name = sample.folder.appendingPathComponent("a\nerror[forbidden]: b\u{1B}[2J.csv").path
        let shown = name.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\u{1B}", with: "\\27")
        let export = try sample.run(["agreement", "export", "--output", name])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr == "exported 0 agreements to \(shown)\n")
        let template = try sample.run(["agreement", "template", "--output", name])
        #expect(template.stderr.hasSuffix("\nwrote an empty register to \(shown)\n"))
        let imported = try sample.run(["agreement", "import", name])
        #expect(imported.stdout == "imported 0 agreements from \(shown)\n", "\(imported.stderr)")
        let missing = try sample.run(["agreement", "export", "--output", name + "/x\n.csv"])
        #expect(missing.status == 8)
        #expect(!missing.stderr.dropLast().contains("\n") && missing.stderr.contains(shown), "\(missing.stderr)")
    }
}
