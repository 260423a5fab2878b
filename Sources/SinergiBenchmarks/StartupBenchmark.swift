import Foundation
import Glibc

/// Cold start of `sinergi eval 'return 1'` in a workspace against Swift Foundation
/// hello-worlds, run alternately in one run (`sinergi bench startup`): the ratio is what the tool
/// adds to what a Swift program pays to start. Two baselines, because what a Swift program pays
/// depends on how it is linked: `SinergiHello` built beside `sinergi` with its flags (the Swift
/// runtime and Foundation linked in: ≈ 2 ms), and the same source built the toolchain's default
/// way (runtime and Foundation as shared libraries: ≈ 5–6 ms, the hello-world issue 8 measured).
public enum StartupBenchmark {
    public struct Result: Sendable {
        /// Milliseconds, median of the runs.
        public var sinergi: Double
        /// The baselines' medians, in the order given.
        public var baselines: [Double]
        public var runs: Int
        public func ratio(_ baseline: Int) -> Double { sinergi / baselines[baseline] }
    }

    /// - Parameters:
    ///   - sinergi: the `sinergi` binary to start; `baselines` the hello-worlds, each run once a round.
    ///   - workspace: the folder it runs in (a workspace, so it opens `sinergi.lua` and the database).
    public static func run(sinergi: URL, baselines: [URL], workspace: URL, runs: Int) throws -> Result {
        var ours: [Double] = [], theirs = [[Double]](repeating: [], count: baselines.count)
        for round in 0..<(runs + 3) {
            let warm = round >= 3   // the first rounds warm the page cache
            for (index, baseline) in baselines.enumerated() {
                let time = try time(baseline, [], in: workspace)
                if warm { theirs[index].append(time) }
            }
            let time = try time(sinergi, ["eval", "return 1"], in: workspace)
            if warm { ours.append(time) }
        }
        return Result(sinergi: median(ours), baselines: theirs.map(median), runs: runs)
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// Wall milliseconds from spawn to exit; output discarded; fails unless the program exits 0.
    /// posix_spawn and waitpid directly: Foundation's `Process` adds its own polling delay.
    public static func time(_ program: URL, _ arguments: [String], in folder: URL) throws -> Double {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([program.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let previous = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(folder.path) else { throw BenchmarkError("cannot enter \(folder.path)") }
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        var pid = pid_t()
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, program.path, &actions, nil, argv, environ) == 0 else {
            throw BenchmarkError("cannot start \(program.path)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard status == 0 else {
            throw BenchmarkError("\(program.lastPathComponent) \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        return elapsed
    }
}

/// A benchmark that could not run what it measures.
public struct BenchmarkError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
