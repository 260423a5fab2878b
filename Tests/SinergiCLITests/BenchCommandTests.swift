import Foundation
import Testing

/// `sinergi bench startup` through the real binary: both baselines timed in one run, and a
/// second baseline that is not a program refused before anything runs.
@Suite struct BenchCommandTests {
    @Test func startupTimesBothBaselinesAndSaysBothRatios() throws {
        let hello = CLI.binary.deletingLastPathComponent().appendingPathComponent("SinergiHello")
        let run = try CLI.run(["bench", "startup", "--runs", "1", "--default-hello", hello.path])
        #expect(run.status == 0, "\(run.stderr)")
        for line in ["Swift Foundation hello-world, built like sinergi", "Swift Foundation hello-world, toolchain default",
                     "sinergi eval 'return 1' in a workspace", "ratio sinergi / hello-world built like sinergi: ",
                     "ratio sinergi / hello-world, toolchain default: "] {
            #expect(run.stdout.contains(line), "\(run.stdout)")
        }
    }

    @Test func aSecondBaselineThatIsNotAProgramIsRefused() throws {
        let run = try CLI.run(["bench", "startup", "--runs", "1", "--default-hello", "/nonexistent/hello"])
        #expect(run.status == 1)
        #expect(run.firstErrorLine == "error[runtime]: --default-hello: /nonexistent/hello is not an executable file")
        #expect(run.stdout.isEmpty)
    }
}
