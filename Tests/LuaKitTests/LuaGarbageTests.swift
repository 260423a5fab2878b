import Testing
@testable import LuaKit

/// What a failed run leaves for the collector is given back between runs, all of it: a runaway
/// recursion leaves a call-info list of tens of MB, which one Lua cycle only halves.
@Suite struct LuaGarbageTests {
    static let recursion = "local function f(n) if n > 0 then return 1 + f(n - 1) end return 0 end local _ = f(1e6)"

    @Test func aCollectionBetweenRunsGivesBackWhatARunawayRecursionLeft() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        sandbox.state.collectGarbage()
        let baseline = sandbox.state.memoryInUse
        #expect(throws: LuaError.self) {
            try sandbox.run(source: Self.recursion, chunkName: "rekursi.lua", limits: LuaLimits(timeout: 5, memory: 64 << 20))
        }
        #expect(sandbox.state.memoryInUse - baseline > 4 << 20, "the recursion should have left its call list behind")
        sandbox.state.collectGarbage()
        #expect(sandbox.state.memoryInUse - baseline < 1 << 20)
    }

    /// The next run of the same state has its whole cap: the leftover is collected at its start.
    /// (`string.rep` of 25 MB peaks at twice that: its buffer, then the string.)
    @Test func theNextRunHasItsWholeCapAfterARunawayRecursion() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let limits = LuaLimits(timeout: 5, memory: 64 << 20)  // the recursion leaves ≈15 MB: under half
        #expect(throws: LuaError.self) { try sandbox.run(source: Self.recursion, chunkName: "rekursi.lua", limits: limits) }
        let values = try sandbox.run(source: "local s = string.rep('x', 25 << 20) return #s", chunkName: "besar.lua", limits: limits)
        #expect(values == [.integer(25 << 20)])
    }
}
