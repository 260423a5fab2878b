import Foundation
import Testing
@testable import LuaKit

/// `LuaState.budgeted`: several calls into Lua and the Swift work between them under one budget
/// (a workflow transition). The Swift work must never meet an allocation error — raised outside
/// a protected call, a Lua error panics the process — even after a call inside passed the cap.
@Suite struct LuaBudgetedTests {
    static let hog = "local t = {} for i = 1, math.maxinteger do t[i] = string.rep('m', 1024) .. i end"

    @Test func aCallKilledForMemoryInsideABudgetIsAMemoryErrorAndTheSwiftWorkAfterItGoesOn() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let limits = LuaLimits(timeout: 5, memory: 4 << 20)
        try sandbox.state.budgeted(limits) {
            #expect { _ = try sandbox.run(source: LuaBudgetedTests.hog, chunkName: "hog.lua", limits: limits) }
                throws: { if case LuaError.memory = $0 { return true } else { return false } }
            // Swift work between calls, over the cap: it allocates in Lua (strings, tables, references).
            let big = LuaValue.string(Array(repeating: 0x61, count: 1 << 20))
            for _ in 0..<8 { try sandbox.state.push(.table(LuaTable(sequence: [big, .text(UUID().uuidString)]))) }
            sandbox.state.stack.pop(8)
            // The kill is sticky for the rest of the budget: the next call fails with the same class.
            #expect { _ = try sandbox.run(source: "return 1", chunkName: "next.lua", limits: limits) }
                throws: { if case LuaError.memory = $0 { return true } else { return false } }
        }
        // A new budget starts clean.
        #expect(try sandbox.run(source: "return 1 + 1", chunkName: "after.lua", limits: limits) == [.integer(2)])
    }
}
