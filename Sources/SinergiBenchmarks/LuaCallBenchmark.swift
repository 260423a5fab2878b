// SinergiBenchmarks: what `sinergi bench` measures, each against a baseline measured in the same
// run. Kept out of the library targets. May import: LuaKit, CLua, Agreements, Store, ScriptHost.
import CLua
import CLuaShim
import Foundation
import LuaKit

/// Measures what a Lua→Swift call through LuaKit costs against a raw `lua_CFunction` doing the
/// same work and a Lua→Lua call, in one state, in one run (`sinergi bench lua`).
///
/// Each variant runs `for i = 1, n do s = f(s, 1) end`; an empty loop is measured too, so the
/// report can give the cost of the call alone. All variants run under the same armed hook.
public enum LuaCallBenchmark {
    public struct Result: Sendable {
        /// Nanoseconds per iteration, median of the rounds, loop included.
        public var luaKit: Double
        public var rawC: Double
        public var luaToLua: Double
        public var emptyLoop: Double
        public var iterations: Int
        public var rounds: Int

        /// Milliseconds for gsub + gmatch over 1.2 MB of text: Lua's C matcher, then LuaKit's budgeted one.
        public var nativePatterns: Double = 0
        public var budgetedPatterns: Double = 0

        /// LuaKit call / raw C call, loop included.
        public var grossRatio: Double { luaKit / rawC }
        /// The same with the empty loop's cost taken off both.
        public var netRatio: Double { (luaKit - emptyLoop) / max(rawC - emptyLoop, 0.001) }
    }

    /// The raw C function the LuaKit function is compared with: adds two integers, never raises.
    private static let rawAdd: lua_CFunction = { L in
        var ok1: Int32 = 0, ok2: Int32 = 0
        let a = lua_tointegerx(L, 1, &ok1), b = lua_tointegerx(L, 2, &ok2)
        if ok1 == 0 || ok2 == 0 { return 0 }
        lua_pushinteger(L, a &+ b)
        return 1
    }

    public static func run(iterations: Int = 2_000_000, rounds: Int = 11) throws -> Result {
        let state = try LuaState()
        state.setGlobalFunction("luakit_add") { call in
            call.push(integer: try call.integer(1) &+ call.integer(2))
            return 1
        }
        lua_pushcclosure(state.L, rawAdd, 0)
        lua_setglobal(state.L, "raw_add")
        let loop = """
        local f, n = ...
        local s = 0
        if f then
          for i = 1, n do s = f(s, 1) end
        else
          for i = 1, n do s = s + 1 end
        end
        return s
        """
        _ = try state.run("function lua_add(a, b) return a + b end", chunkName: "bench")
        let variants = ["luakit_add", "raw_add", "lua_add", ""]
        var samples: [String: [Double]] = [:]
        let limits = LuaLimits(timeout: nil, memory: nil)
        for round in 0..<rounds {
            // Alternate the order so neither variant always runs on a warmer cache or clock.
            for name in round % 2 == 0 ? variants : variants.reversed() {
                try state.load(Array(loop.utf8), chunkName: "bench")
                if name.isEmpty { lua_pushnil(state.L) } else { lua_getglobal(state.L, name) }
                lua_pushinteger(state.L, lua_Integer(iterations))
                let start = DispatchTime.now().uptimeNanoseconds
                let results = try state.call(argumentCount: 2, limits: limits)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
                guard results.first == .integer(Int64(iterations)) else {
                    throw LuaError.runtime(message: "benchmark loop returned \(results)", location: nil, traceback: "")
                }
                samples[name, default: []].append(elapsed / Double(iterations))
            }
        }
        func median(_ name: String) -> Double {
            let sorted = (samples[name] ?? []).sorted()
            return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        }
        var result = Result(luaKit: median("luakit_add"), rawC: median("raw_add"), luaToLua: median("lua_add"),
                            emptyLoop: median(""), iterations: iterations, rounds: rounds)
        (result.nativePatterns, result.budgetedPatterns) = try patternTimes(rounds: rounds)
        return result
    }

    /// The same pattern work on a plain state (Lua's C functions) and in the sandbox (LuaKit's matcher).
    static func patternTimes(rounds: Int) throws -> (Double, Double) {
        let work = """
            local s = string.rep("lorem ipsum  dolor\tsit amet, ", 40000)
            local start = os.clock()
            local r = s:gsub("%s+", " ")
            local n = 0
            for w in s:gmatch("%a+") do n = n + 1 end
            return (os.clock() - start) * 1000
            """
        let plain = try LuaState()
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        var native: [Double] = [], budgeted: [Double] = []
        let limits = LuaLimits(timeout: nil, memory: nil)
        for _ in 0..<rounds {
            if case let .number(ms)? = try plain.run(work, chunkName: "bench", limits: limits).first { native.append(ms) }
            if case let .number(ms)? = try sandbox.run(source: work, chunkName: "bench", limits: limits).first { budgeted.append(ms) }
        }
        return (native.sorted()[native.count / 2], budgeted.sorted()[budgeted.count / 2])
    }
}
