import ArgumentParser
import Foundation
import SinergiBenchmarks

struct BenchScheduler: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Claiming 1,000 due fires among 100,000 vs a bare claim; CPU of an idle `scheduler run`."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Fires recorded in the table.")
    var fires = 100_000

    @Option(help: "Fires claimed per round (the median of 5 rounds is reported).")
    var batch = 1_000

    @Option(help: "Seconds the idle `scheduler run` is measured over.")
    var idleSeconds = 60.0

    func run() throws {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else {
            throw BenchmarkError("cannot tell where this sinergi binary is")
        }
        guard idleSeconds >= 2 else { throw ValidationError("--idle-seconds must be at least 2") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-bench-scheduler-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try SchedulerBenchmark.run(fires: fires, batch: batch, idleSeconds: idleSeconds, sinergi: executable, folder: folder)
        print("sinergi bench scheduler: \(result.fires) recorded fires, \(result.due) due (\(String(format: "%.1f", result.recordSeconds)) s to record, one transaction)")
        print(String(format: "claim %d due fires (lease, per-job order, one UPDATE):  %8.2f ms (median of 5; goal <= 50 ms)",
                     result.batch, result.claimMilliseconds))
        print(String(format: "bare claim of %d due fires (no per-job order):          %8.2f ms (median of 5)",
                     result.batch, result.bareClaimMilliseconds))
        print(String(format: "ratio claim / bare claim: %.2fx", result.claimRatio))
        print(String(format: "idle `scheduler run` CPU (user + system): %.3f s over %.0f s, %.3f s over %.0f s",
                     result.shortCPU, result.shortSeconds, result.idleCPU, result.idleSeconds))
        print(String(format: "idle CPU after start-up: %.4f s per minute (%.3f%% of one core)",
                     result.idleCPUPerMinute, result.idleCPUPerMinute / 60 * 100))
    }
}
