import ArgumentParser
import Foundation
import SinergiBenchmarks

struct BenchStartup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup",
        abstract: "Cold start of `sinergi eval 'return 1'` in a workspace vs a Swift Foundation hello-world.",
        discussion: """
        The baseline is SinergiHello, built beside this binary with its flags (the Swift runtime and Foundation \
        linked in). With --default-hello, a hello-world built the toolchain's default way (runtime and Foundation \
        as shared libraries; `make bench` builds one with `swiftc -O`) is timed in the same rounds as a second baseline.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Runs of each program; the median is reported.")
    var runs = 30

    @Option(help: ArgumentHelp("A Swift Foundation hello-world built the toolchain's default way, timed as a second baseline.",
                               valueName: "path"))
    var defaultHello: String?

    func run() throws {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else {
            throw BenchmarkError("cannot tell where this sinergi binary is")
        }
        let hello = executable.deletingLastPathComponent().appendingPathComponent("SinergiHello")
        guard FileManager.default.isExecutableFile(atPath: hello.path) else {
            throw BenchmarkError("the baseline \(hello.path) is missing; build the package (swift build -c release) first")
        }
        var baselines = [hello]
        if let defaultHello {
            let url = URL(fileURLWithPath: defaultHello)
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw BenchmarkError("--default-hello: \(url.path) is not an executable file")
            }
            baselines.append(url)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-startup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try StartupBenchmark.time(executable, ["init", "--sample", workspace.path], in: folder)
        let result = try StartupBenchmark.run(sinergi: executable, baselines: baselines, workspace: workspace, runs: runs)
        print("sinergi bench startup: \(result.runs) runs each, alternating (median wall time, spawn to exit)")
        print(String(format: "Swift Foundation hello-world, built like sinergi (runtime linked in): %7.2f ms", result.baselines[0]))
        if baselines.count > 1 {
            print(String(format: "Swift Foundation hello-world, toolchain default (shared libraries):  %7.2f ms", result.baselines[1]))
        }
        print(String(format: "sinergi eval 'return 1' in a workspace:                               %7.2f ms", result.sinergi))
        print(String(format: "ratio sinergi / hello-world built like sinergi: %.2fx", result.ratio(0)))
        if baselines.count > 1 {
            print(String(format: "ratio sinergi / hello-world, toolchain default: %.2fx", result.ratio(1)))
        }
    }
}
