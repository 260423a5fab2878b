import Foundation
import Glibc

/// Runs the real binary and reads its peak memory from the kernel (`wait4`'s rusage), which
/// Foundation's `Process` does not expose. Standard streams go through files, so nothing blocks.
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
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let result = Result(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
                            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        return Measured(result: result, peakResident: usage.ru_maxrss * 1024, crashed: !exited)
    }
}
