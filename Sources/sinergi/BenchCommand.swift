import ArgumentParser
import Foundation
import LuaKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Sinergi's hot paths against baselines measured in the same run.",
        discussion: "Build with `swift build -c release` first; debug builds measure the debugger, not the code.",
        subcommands: [BenchLua.self]
    )
}

struct BenchLua: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lua",
        abstract: "Cost of a Lua→Swift call through LuaKit vs a raw lua_CFunction and a Lua→Lua call."
    )

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
    }
}
