import Testing
@testable import LuaKit

/// The sandbox's versions of library functions fail as stock Lua 5.4.4's do: the same message,
/// naming the function the script called and located at the script's line, never at the
/// prelude's (`[sinergi]:N`) or with a wrapper's local name (`'c_format'`). Each expected text is
/// what `lua5.4` printed for the same line.
@Suite struct LuaStockErrorsTests {
    static let cases: [(line: String, stock: String)] = [
        ("local s = string.format(\"%d\", \"abc\")", "stock.lua:2: bad argument #2 to 'format' (number expected, got string)"),
        ("local s = (\"%d\"):format(\"x\")", "stock.lua:3: bad argument #1 to 'format' (number expected, got string)"),
        ("local s = string.format(\"%d %s\", {}, {})", "stock.lua:4: bad argument #2 to 'format' (number expected, got table)"),
        ("local s = string.format()", "stock.lua:5: bad argument #1 to 'format' (string expected, got no value)"),
        ("local s = string.format(\"%q\", {})", "stock.lua:6: bad argument #2 to 'format' (value has no literal form)"),
        ("local s = string.format(\"%10.3p\", {})", "stock.lua:7: invalid conversion specification: '%10.3p'"),
        ("local s = string.rep()", "stock.lua:8: bad argument #1 to 'rep' (string expected, got no value)"),
        ("local s = string.rep(\"x\", 2, {})", "stock.lua:9: bad argument #3 to 'rep' (string expected, got table)"),
        ("local s = (\"x\"):rep(1e10)", "stock.lua:10: resulting string too large"),
        ("table.sort(5)", "stock.lua:11: bad argument #1 to 'sort' (table expected, got number)"),
        ("table.sort({ 1, 2 }, 5)", "stock.lua:12: bad argument #2 to 'sort' (function expected, got number)"),
        ("table.sort({ 3, 1, \"a\" })", "attempt to compare string with number"),
        ("table.sort({ \"b\", 1, \"a\" })", "attempt to compare number with string"),
        ("table.move({}, 1, 2)", "stock.lua:15: bad argument #4 to 'move' (number expected, got no value)"),
        ("table.move(1, 1, 2, 3)", "stock.lua:16: bad argument #1 to 'move' (table expected, got number)"),
        ("table.move({}, -1, math.maxinteger, 2)", "stock.lua:17: bad argument #3 to 'move' (too many elements to move)"),
        ("table.remove({}, 5)", "stock.lua:18: bad argument #1 to 'remove' (position out of bounds)"),
        ("table.insert({}, 5, 1)", "stock.lua:19: bad argument #2 to 'insert' (position out of bounds)"),
        ("local ok = xpcall(print)", "stock.lua:20: bad argument #2 to 'xpcall' (function expected, got no value)"),
        ("local ok = xpcall(print, 5)", "stock.lua:21: bad argument #2 to 'xpcall' (function expected, got number)"),
        ("collectgarbage(\"bogus\")", "stock.lua:22: bad argument #1 to 'collectgarbage' (invalid option 'bogus')"),
        ("rawset(1, 2, 3)", "stock.lua:23: bad argument #1 to 'rawset' (table expected, got number)"),
        ("rawset({}, 1)", "stock.lua:24: bad argument #3 to 'rawset' (value expected)"),
        ("rawset({}, nil, 1)", "table index is nil"),
        ("setmetatable(1, {})", "stock.lua:26: bad argument #1 to 'setmetatable' (table expected, got number)"),
        ("setmetatable({}, 5)", "stock.lua:27: bad argument #2 to 'setmetatable' (nil or table expected, got number)"),
        ("setmetatable({})", "stock.lua:28: bad argument #2 to 'setmetatable' (nil or table expected, got no value)"),
        ("setmetatable(setmetatable({}, { __metatable = {} }), {})", "stock.lua:29: cannot change a protected metatable"),
        ("coroutine.resume(5)", "stock.lua:30: bad argument #1 to 'resume' (thread expected, got number)"),
        ("coroutine.close(5)", "stock.lua:31: bad argument #1 to 'close' (thread expected, got number)"),
        ("coroutine.wrap(5)", "stock.lua:32: bad argument #1 to 'wrap' (function expected, got number)"),
    ]

    @Test func errorsOfWrappedLibraryFunctionsReadAsStockLuas() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        // Line 1 declares the results; case i is on line i + 1, each in a function of its own.
        let source = (["local results = {}"]
            + Self.cases.map { "results[#results + 1] = select(2, pcall(function() \($0.line) end))" }
            + ["return table.unpack(results, 1, #results)"]).joined(separator: "\n")
        let results = try sandbox.run(source: source, chunkName: "stock.lua", limits: LuaLimits(timeout: 5, memory: 64 << 20))
        #expect(results.count == Self.cases.count)
        for (index, (line, stock)) in Self.cases.enumerated() where index < results.count {
            #expect(results[index] == .text(stock), "\(line)")
        }
    }

    /// A C function stock Lua calls in a tail position keeps the caller's frame; so do the
    /// sandbox's C versions (a Lua wrapper would lose the script's line there).
    @Test func aTailCallOfAWrappedFunctionKeepsTheScriptsLine() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let results = try sandbox.run(source: """
            local function f() return string.format("%d", "x") end
            local function g() return table.move({}, 1) end
            local function h() return ("x"):rep(1e10) end
            return select(2, pcall(f)), select(2, pcall(g)), select(2, pcall(h))
            """, chunkName: "tail.lua", limits: LuaLimits(timeout: 5, memory: 64 << 20))
        #expect(results == [.text("tail.lua:1: bad argument #2 to 'format' (number expected, got string)"),
                            .text("tail.lua:2: bad argument #3 to 'move' (number expected, got no value)"),
                            .text("tail.lua:3: resulting string too large")])
    }

    /// Addresses stay hidden through the C `string.format`: `%p` and `%s` of a table print the
    /// number `tostring` prints, and a `%p` with a precision is refused as stock refuses it.
    @Test func formatHidesAddressesAsBefore() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let results = try sandbox.run(source: """
            local t = {}
            local id = tostring(t):match("0x%x+")
            return string.format("%p", t) == id, string.format("%s", t) == tostring(t),
                   string.format("%-20p|", t) == id .. (" "):rep(20 - #id) .. "|",
                   string.format("%%p %p", 1), string.format("%s|%5s", "a", "b"),
                   select(2, pcall(string.format, "%.3p", t))
            """, chunkName: "format.lua", limits: LuaLimits(timeout: 5, memory: 64 << 20))
        #expect(results == [.boolean(true), .boolean(true), .boolean(true), .text("%p (null)"), .text("a|    b"),
                            .text("invalid conversion specification: '%.3p'")])
    }

    /// The hostile review of the C functions: no spec stock accepts for `%p` prints an address
    /// (`%--p` has two '-' flags, which stock allows); a spec stock refuses is refused with stock's
    /// own words; `__tostring` runs only when stock would run it.
    @Test func everyPointerSpecStockAcceptsPrintsTheOpaqueNumber() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let results = try sandbox.run(source: """
            local t = {}
            local id, fid = tostring(t):match("0x%x+"), tostring(print):match("0x%x+")
            local bad = setmetatable({}, { __tostring = function() error("boom") end })
            local calls = 0
            local counted = setmetatable({}, { __tostring = function() calls = calls + 1 return "T" end })
            return string.format("%--p", t) == id, ("%---5p|"):format(t) == id .. "|", string.format("%--p", print) == fid,
                   select(2, pcall(string.format, "%0p", t)), select(2, pcall(string.format, "%100p", t)),
                   select(2, pcall(string.format, "%-0p", t)),
                   select(2, pcall(string.format, "%d %s", "x", bad)), select(2, pcall(string.format, "%y %s", 1, counted)), calls,
                   string.format("%s", counted), calls
            """, chunkName: "pointer.lua", limits: LuaLimits(timeout: 5, memory: 64 << 20))
        #expect(results == [.boolean(true), .boolean(true), .boolean(true),
                            .text("invalid conversion specification: '%0p'"), .text("invalid conversion specification: '%100p'"),
                            .text("invalid conversion specification: '%-0p'"),
                            .text("bad argument #2 to 'string.format' (number expected, got string)"),
                            .text("invalid conversion '%y' to 'format'"), .integer(0), .text("T"), .integer(1)])
    }

    /// `table.sort` without a comparator checks the budget whatever the list holds (here its first
    /// element comes through `__index`, so no raw look could tell it is a string), and an empty
    /// `string.rep` is "" at once instead of math.maxinteger empty copies in C.
    @Test func sortAndRepStayWithinTheBudget() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        #expect(try sandbox.run(source: "return #string.rep('', math.maxinteger), #string.rep('', math.maxinteger, '')",
                                chunkName: "rep.lua", limits: LuaLimits(timeout: 5, memory: 64 << 20)) == [.integer(0), .integer(0)])
        // Stopped by the run's own deadline, at the script's line: not left to the watchdog, which
        // ends a run stuck in C 1 s + 20 % past its budget and can say no line. (2 s, so that even
        // under valgrind the list is built before the budget ends; the sort alone takes minutes.)
        do {
            _ = try sandbox.run(source: """
                local big = ("a"):rep(1 << 20)
                local t = setmetatable({}, { __index = { big } })
                for i = 2, 200000 do t[i] = big end
                table.sort(t)
                """, chunkName: "sort.lua", limits: LuaLimits(timeout: 2, memory: 64 << 20))
            Issue.record("the sort ran to its end")
        } catch let LuaError.timeout(location, _) {
            #expect(location?.description == "sort.lua:4")
        }
    }

    /// A refused allocation past the cap ends the run at the line that asked for it: Lua raises
    /// the refusal with no message handler and no hook, so the allocator notes the line itself.
    @Test(arguments: ["for i = 1, 1e8 do t[i] = i end", "for i = 1, 1e8 do t[i] = {} end",
                      "local s = 'x' while true do s = s .. s end",
                      "pcall(function() for i = 1, 1e8 do t[i] = i end end)"])
    func aMemoryKillNamesTheLineThatAllocated(loop: String) throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        do {
            _ = try sandbox.run(source: "local t = {}\n\(loop)\nreturn #t", chunkName: "mem.lua",
                                limits: LuaLimits(timeout: 10, memory: 16 << 20))
            Issue.record("the loop ended")
        } catch let LuaError.memory(location, _) {
            #expect(location?.description == "mem.lua:2", "\(loop)")
        }
    }
}
