import Testing
@testable import LuaKit

/// Round trips Swift → Lua → Swift, and what Lua itself sees of pushed values.
@Suite struct LuaValueTests {
    func roundTrip(_ value: LuaValue) throws -> LuaValue {
        let state = try LuaState()
        try state.push(value)
        return try state.value(at: -1)
    }

    @Test func stringsKeepNulBytesAndInvalidUTF8() throws {
        let bytes: [UInt8] = [0x61, 0x00, 0x62, 0xff, 0xfe, 0x00]
        #expect(try roundTrip(.string(bytes)) == .string(bytes))
        let state = try LuaState()
        let length = try state.run("return #...", chunkName: "len.lua", arguments: [.string(bytes)], limits: .default)
        #expect(length == [.integer(6)])
    }

    /// A coroutine converts to `.userdata` (a reference) but is named as Lua names it, so a
    /// message saying what a function returned calls it a thread.
    @Test func aCoroutineIsNamedAThread() throws {
        let state = try LuaState()
        let values = try state.run("return coroutine.create(print), print, {}", chunkName: "t", limits: .default)
        #expect(values.map(\.typeName) == ["thread", "function", "table"])
    }

    @Test func integersStayIntegersAndFloatsStayFloats() throws {
        for value: Int64 in [0, 1, -1, Int64.max, Int64.min, 1 << 53 + 1] {
            #expect(try roundTrip(.integer(value)) == .integer(value))
        }
        #expect(try roundTrip(.number(2.0)) == .number(2.0))
        let state = try LuaState()
        #expect(try state.run("return math.type(...)", chunkName: "t", arguments: [.integer(3)]) == [.text("integer")])
        #expect(try state.run("return math.type(...)", chunkName: "t", arguments: [.number(3)]) == [.text("float")])
        #expect(try state.run("return 1 // 1, 1 / 1, 2^63 == math.maxinteger + 1.0", chunkName: "t")
                == [.integer(1), .number(1.0), .boolean(true)])
    }

    @Test func nanAndInfinitySurvive() throws {
        guard case let .number(nan) = try roundTrip(.number(.nan)) else { Issue.record("not a number"); return }
        #expect(nan.isNaN)
        #expect(try roundTrip(.number(.infinity)) == .number(.infinity))
        #expect(try roundTrip(.number(-.infinity)) == .number(-.infinity))
        let state = try LuaState()
        let results = try state.run("return 0/0 ~= 0/0, math.huge, -math.huge", chunkName: "t")
        #expect(results == [.boolean(true), .number(.infinity), .number(-.infinity)])
    }

    @Test func nestedTablesConvertBothWays() throws {
        let table: LuaTable = [.text("name"): .text("KSDD"), .text("list"): .table([.integer(1), .text("two"), .table([.boolean(true)])])]
        #expect(try roundTrip(.table(table)) == .table(table))
        let state = try LuaState()
        let results = try state.run("return { 10, 20, x = { y = { z = 'deep' } } }", chunkName: "t")
        guard case let .table(result)? = results.first, case let .table(x) = result["x"], case let .table(y) = x["y"] else {
            Issue.record("no nested table: \(results)")
            return
        }
        #expect(result.sequence == [.integer(10), .integer(20)])
        #expect(y["z"] == .text("deep"))
    }

    @Test func cyclicTablesAreDetectedNotLoopedOn() throws {
        let state = try LuaState()
        #expect(throws: LuaError.self) {
            _ = try state.run("local t = {}; t.self = t; return t", chunkName: "cycle.lua")
        }
        let marked = try state.run("local t = { 1 }; t.self = t; return t", chunkName: "cycle.lua", cycles: .mark)
        #expect(marked == [.table([.integer(1): .integer(1), .text("self"): .text("<cycle>")])])
    }

    @Test func deepTablesAreAnErrorNotACrash() throws {
        let state = try LuaState()
        #expect(throws: LuaError.self) {
            _ = try state.run("local t = {}; local c = t; for i = 1, 500 do c[1] = {}; c = c[1] end; return t", chunkName: "deep.lua")
        }
    }

    @Test func functionsAndUserdataComeBackAsReferencesThatCanBePushedAgain() throws {
        let state = try LuaState()
        let results = try state.run("return function(x) return x * 2 end", chunkName: "f.lua")
        guard case let .function(reference)? = results.first else { Issue.record("no function"); return }
        #expect(reference.summary.hasPrefix("function: 0x"))
        reference.push(onto: state.L)
        try state.push(.integer(21))
        #expect(try state.call(argumentCount: 1, limits: .default) == [.integer(42)])
    }

    @Test func printerSortsKeysAndQuotesNestedStrings() throws {
        let printer = LuaPrinter()
        let table: LuaTable = [.text("b"): .integer(2), .text("a"): .text("x"), .integer(1): .number(1.5), .text("not id"): .boolean(false)]
        #expect(printer.render(.table(table)) == #"{ 1.5, a = "x", b = 2, ["not id"] = false }"#)
        #expect(printer.render(.text("plain")) == "plain")
        #expect(LuaPrinter.quote([0x61, 0x00, 0x0a]) == #""a\0\n""#)
    }
}

