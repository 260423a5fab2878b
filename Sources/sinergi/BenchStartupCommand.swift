import ArgumentParser
import Foundation
import SinergiBenchmarks

struct BenchStartup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup",
        abstract: "Cold start of `sinergi eval 'return 1'` in a workspace vs a Swift Foundation hello-world."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Runs of each program; the median is reported.")
    var runs = 30

    func run() throws {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else {
            throw BenchmarkError("cannot tell where this sinergi binary is")
        }
        let hello = executable.deletingLastPathComponent().appendingPathComponent("SinergiHello")
        guard FileManager.default.isExecutableFile(atPath: hello.path) else {
            throw BenchmarkError("the baseline \(hello.path) is missing; build the package (swift build -c release) first")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-startup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try StartupBenchmark.time(executable, ["init", "--sample", workspace.path], in: folder)
        let result = try StartupBenchmark.run(sinergi: executable, hello: hello, workspace: workspace, runs: runs)
        print("sinergi bench startup: \(result.runs) runs each, alternating (median wall time, spawn to exit)")
        print(String(format: "Swift Foundation hello-world:            %7.2f ms", result.hello))
        print(String(format: "sinergi eval 'return 1' in a workspace:  %7.2f ms", result.sinergi))
        print(String(format: "ratio sinergi / hello-world: %.2fx", result.ratio))
    }
}
