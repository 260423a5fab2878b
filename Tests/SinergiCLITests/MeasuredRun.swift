import Foundation
import Glibc
import Testing

/// Runs the real binary and reads its peak memory from the kernel, which Foundation's `Process`
/// does not expose. Standard streams go through files, so nothing blocks.
///
/// `wait4`'s `ru_maxrss` alone is not the child's: `posix_spawn` starts the child in the test
/// process's memory (vfork), and Linux carries that memory's high-water mark into the child at
/// `exec` — so every child of a test process that once held 340 MB "peaked" at 340 MB. The child's
/// own high-water mark (`VmHWM` of its new address space) is read from /proc while it runs; the
/// rusage figure is taken instead only when it exceeds what the child could have inherited.
extension CLI {
    struct Measured {
        var result: Result
        /// The child's peak resident set, in bytes.
        var peakResident: Int
        /// True when the child was killed by a signal (a crash), not exited.
        var crashed: Bool
    }

    static func runMeasured(_ arguments: [String], environment: [String: String] = [:],
                            input: String = "") throws -> Measured {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inPath = folder.appendingPathComponent("in").path, outPath = folder.appendingPathComponent("out").path
        let errPath = folder.appendingPathComponent("err").path
        try input.write(toFile: inPath, atomically: true, encoding: .utf8)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var env = ProcessInfo.processInfo.environment
        env["SINERGI_WORKSPACE"] = nil
        for (key, value) in environment { env[key] = value }
        let argv = ([binary.path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, binary.path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var inherited = rusage()
        getrusage(RUSAGE_SELF.rawValue, &inherited)
        var status: Int32 = 0
        var usage = rusage()
        var ownPeak = 0
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { break }
            ownPeak = max(ownPeak, highWaterMark(of: pid))
            usleep(2000)
        }
        let exited = status & 0x7f == 0
        let result = Result(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
                            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        let peak = usage.ru_maxrss > inherited.ru_maxrss ? usage.ru_maxrss * 1024 : ownPeak
        return Measured(result: result, peakResident: peak, crashed: !exited)
    }

    /// The `VmHWM` of a running process, in bytes (0 once it is gone).
    static func highWaterMark(of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}

/// The measurement is the child's own: a test process that once held 400 MB does not make every
/// child it spawns afterwards look as large.
@Suite struct MeasuredRunTests {
    @Test func aChildsPeakIsItsOwnNotTheTestProcesss() throws {
        let size = 400 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        memset(block, 1, size)  // touched: resident, so the test process's high-water mark is past 400 MB
        block.deallocate()
        let measured = try CLI.runMeasured(["--version"])
        #expect(measured.result.status == 0)
        #expect(measured.peakResident > 1 << 20 && measured.peakResident < 200 << 20, "peak \(measured.peakResident >> 20) MB")
    }
}
