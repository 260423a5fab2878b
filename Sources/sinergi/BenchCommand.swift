import ArgumentParser
import Foundation
import SinergiBenchmarks

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Sinergi's hot paths against baselines measured in the same run.",
        discussion: "Build with `swift build -c release` first; debug builds measure the debugger, not the code.",
        // For developers (make bench): kept out of the clerk's command list, still runnable.
        shouldDisplay: false,
        subcommands: [BenchLua.self, BenchStore.self, BenchStartup.self, BenchWorkflow.self, BenchScheduler.self]
    )
}

struct BenchLua: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lua",
        abstract: "Cost of a Lua→Swift call through LuaKit vs a raw lua_CFunction and a Lua→Lua call."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Calls per round.")
    var iterations = 2_000_000

    @Option(help: "Rounds; the median is reported.")
    var rounds = 11

    func run() throws {
        let result = try LuaCallBenchmark.run(iterations: iterations, rounds: rounds)
        func row(_ name: String, _ nanoseconds: Double) -> String {
            name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%8.1f ns/call", nanoseconds)
        }
        print("sinergi bench lua: \(result.iterations) calls x \(result.rounds) rounds (median), loop included")
        print(row("LuaKit host function (Swift)", result.luaKit))
        print(row("raw lua_CFunction", result.rawC))
        print(row("Lua -> Lua function", result.luaToLua))
        print(row("empty loop (baseline)", result.emptyLoop))
        print(String(format: "ratio LuaKit / raw C: %.2fx (loop included), %.2fx (call only)",
                     result.grossRatio, result.netRatio))
        print(String(format: "ratio Lua->Lua / raw C: %.2fx (loop included)", result.luaToLua / result.rawC))
        print(String(format: "patterns (gsub + gmatch, 1.2 MB): Lua's C matcher %.1f ms, LuaKit's budgeted matcher %.1f ms (%.2fx)",
                     result.nativePatterns, result.budgetedPatterns, result.budgetedPatterns / result.nativePatterns))
    }
}

struct BenchStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Indexed find, a full Lua scan and write rates over generated agreements (synchronous=FULL)."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many agreements to generate.")
    var count = 100_000

    @Option(help: "How many single-agreement transactions to time for each write variant.")
    var writes = 200

    @Option(help: ArgumentHelp("Build the workspace here and keep it (to try queries on 100,000 agreements).", valueName: "dir"))
    var keep: String?

    func run() throws {
        let folder = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-bench-\(UUID().uuidString)")
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let result = try StoreBenchmark.run(count: count, writes: writes, folder: folder)
        print("sinergi bench store: \(result.agreements) generated agreements (\(String(format: "%.1f", result.generateSeconds)) s to create, one transaction)")
        print(String(format: "indexed agreements.find (lead_agency + expires_before, %d rows, iterated): %8.2f ms (median of 21)",
                     result.indexedFindRows, result.indexedFindMilliseconds))
        print(String(format: "indexed agreements.count (kind + status):                           %8.2f ms (median of 21)", result.countMilliseconds))
        print(String(format: "full Lua scan of every agreement (for a in agreements.find{}):      %8.2f ms (median of 5)", result.fullScanMilliseconds))
        if let python = result.pythonScanMilliseconds {
            print(String(format: "Python's sqlite3 reading the same two fields of every agreement:    %8.2f ms (median of 5)", python))
            print(String(format: "ratio Lua scan / Python scan: %.2fx", result.fullScanMilliseconds / python))
        }
        print(String(format: "agreement add, one transaction each (validate + parties + audit):   %8.1f tx/s", result.addPerSecond))
        print(String(format: "raw one-row GRDB insert, one transaction each:                      %8.1f tx/s", result.rawInsertPerSecond))
        print(String(format: "ratio add / raw insert: %.2fx", result.writeRatio))
    }
}

struct BenchWorkflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Transitions per second, one per transaction and in a tick's batches, against a raw one-row insert (synchronous=FULL)."
    )

    @Option(help: "How many single-transition transactions to time.")
    var transitions = 300

    @Option(help: "How many due timers the tick fires.")
    var timers = 10_000

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-bench-workflow-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try WorkflowBenchmark.run(transitions: transitions, timers: timers, folder: folder)
        print("sinergi bench workflow: synchronous=FULL, baselines measured in the same run")
        print(String(format: "raw one-row insert, one transaction each:   %8.0f /s", result.rawInsertPerSecond))
        print(String(format: "one transition per transaction:              %8.0f /s  (%.2fx raw; goal >= 0.8x)",
                     result.transitionsPerSecond, result.transitionRatio))
        print(String(format: "tick, %d timers in batches of 1000:       %8.0f /s  (%.2fx raw; goal >= 10000/s and >= 3x)",
                     result.timers, result.tickTransitionsPerSecond, result.tickRatio))
        print(String(format: "tick CPU per transition: %.0f µs (user + system; %.0f /s on one idle core)",
                     result.tickCPUMicroseconds, 1e6 / result.tickCPUMicroseconds))
    }
}
