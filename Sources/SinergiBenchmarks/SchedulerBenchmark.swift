import Agreements
import Foundation
import Glibc
import ScriptHost
import Store

/// `sinergi bench scheduler`: claiming due fires among 100,000 recorded ones, against a bare
/// claim measured in the same run (`FireStore.benchmarkBareClaim`: the same UPDATE without the
/// per-job order), and the CPU an idle `sinergi scheduler run` uses.
public enum SchedulerBenchmark {
    public struct Result: Sendable {
        public var fires: Int
        public var due: Int
        public var recordSeconds: Double
        /// Milliseconds to claim `batch` due fires, median of the rounds.
        public var claimMilliseconds: Double
        public var bareClaimMilliseconds: Double
        public var batch: Int
        public var claimRatio: Double { claimMilliseconds / bareClaimMilliseconds }
        /// CPU seconds (user + system) of a `scheduler run` stopped after `shortSeconds` and after `idleSeconds`.
        public var shortCPU: Double
        public var idleCPU: Double
        public var shortSeconds: Double
        public var idleSeconds: Double
        /// CPU seconds per minute of idling: the difference of the two runs, per minute.
        public var idleCPUPerMinute: Double { max(idleCPU - shortCPU, 0) / (idleSeconds - shortSeconds) * 60 }
    }

    /// - Parameters:
    ///   - fires: recorded fires (jobs × 5 instants each, two of them due).
    ///   - sinergi: the binary whose `scheduler run` is measured idle.
    public static func run(fires: Int = 100_000, batch: Int = 1_000, rounds: Int = 5, idleSeconds: Double = 60,
                           sinergi: URL, folder: URL) throws -> Result {
        let workspace = try WorkspaceInitializer.create(at: folder, admin: "bench", login: "bench", sample: false)
        let store = FireStore()
        let jobs = max(fires / 5, 1)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let start = Date()
        try workspace.database.write { unit in
            for instant in 0..<5 {
                for job in 0..<jobs {
                    // Each job's instants an hour apart, the jobs' staggered by a second; instants 0
                    // and 1 are due at `now`.
                    let at = now.addingTimeInterval(Double(instant - 1) * 3600 - 3600 + Double(job % 3600))
                    try store.record(job: "job\(job)", at: at, now: now, in: unit)
                }
            }
        }
        let recordSeconds = Date().timeIntervalSince(start)
        let due = try workspace.database.read { try store.countDue(now: now, in: $0) }
        func median(_ body: () throws -> Void) throws -> Double {
            var samples: [Double] = []
            for _ in 0..<rounds {
                let begin = DispatchTime.now().uptimeNanoseconds
                try body()
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
            }
            return samples.sorted()[samples.count / 2]
        }
        let claim = try median {
            let claimed = try workspace.database.write { try store.claim(limit: batch, owner: "bench", now: now, lease: 300, in: $0) }
            guard claimed.count == batch else { throw BenchmarkError("claimed \(claimed.count) fires, expected \(batch)") }
        }
        let bare = try median {
            let claimed = try workspace.database.write { try store.benchmarkBareClaim(limit: batch, now: now, in: $0) }
            guard claimed == batch else { throw BenchmarkError("bare claim took \(claimed) fires, expected \(batch)") }
        }

        // Jobs far in the future: the loop has nothing to do but its once-a-second check.
        let file = folder.appendingPathComponent(Workspace.configurationFile)
        let handle = try FileHandle(forWritingTo: file)
        handle.seekToEndOfFile()
        handle.write(Data((0..<10).map { "schedule { name = \"idle\($0)\", cron = \"0 8 1 1 *\", run = \"scripts/idle.lua\" }\n" }.joined().utf8))
        try handle.close()
        // A first run sees the new sinergi.lua (audits it, records the jobs): what is measured
        // next is a start on a known workspace, short and long.
        _ = try cpuSeconds(of: sinergi, ["scheduler", "run", "--workspace", folder.path], for: 1)
        let short = min(2, idleSeconds / 2)
        let shortCPU = try cpuSeconds(of: sinergi, ["scheduler", "run", "--workspace", folder.path], for: short)
        let idleCPU = try cpuSeconds(of: sinergi, ["scheduler", "run", "--workspace", folder.path], for: idleSeconds)
        return Result(fires: fires, due: due, recordSeconds: recordSeconds, claimMilliseconds: claim,
                      bareClaimMilliseconds: bare, batch: batch, shortCPU: shortCPU, idleCPU: idleCPU,
                      shortSeconds: short, idleSeconds: idleSeconds)
    }

    /// Starts `program`, lets it run `seconds`, stops it with SIGTERM and returns the user +
    /// system CPU seconds it used (`wait4`'s rusage of that child); fails unless it exits 0.
    static func cpuSeconds(of program: URL, _ arguments: [String], for seconds: Double) throws -> Double {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([program.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, program.path, &actions, nil, argv, environ) == 0 else {
            throw BenchmarkError("cannot start \(program.path)")
        }
        Thread.sleep(forTimeInterval: seconds)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        guard status == 0 else { throw BenchmarkError("scheduler run did not stop cleanly on SIGTERM (status \(status))") }
        func cpu(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return cpu(usage.ru_utime) + cpu(usage.ru_stime)
    }
}
