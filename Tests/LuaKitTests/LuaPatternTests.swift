import Testing
@testable import LuaKit

/// The budgeted matcher against Lua's own string library: the same script runs once on a plain
/// state (Lua's C functions) and once in the sandbox (LuaKit's matcher); the outputs must agree.
@Suite struct LuaPatternTests {
    static let differential = #"""
        local subjects = { "", "hello world", "  key = value  ", "aaa", "a,b,,c", "THE (quick) fox", "[[x]]",
          "f(a(b)c)d", "x=1;y=22", "\0bin\0ary", "αβγ utf8", "12.5e3", "line1\nline2", "one two  three", "abab" }
        local patterns = { ".", "%a+", "(%a+)", "^%s*(.-)%s*$", "(%w+)=(%w+)", "%d+", "[%a_][%w_]*", "[^,]*", "%b()",
          "%f[%w]%w+", "(a*(.)%w(%s*))", "()", "()a()", "(.)%1", "a-b", "a?", "$", "^", "x*$", "[]]", "[^]]",
          "[a-c]+", "%.", "%%", "%u%l", "[%d%.eE]+", "\n", "%s$", ".-b", "(h)(e)(l)(l)(o)", "%S+", "[%z]", "^(%w+)",
          "%f[%a]", "(%b[])", "[a-]", "[-a]", "%p", "%x+", "%c", "(a)(b)%2%1", "b*", "a+$" }
        local inits = { false, 1, 3, -3, 0, 100, -100 }
        local out = {}
        local function add(...)
          local n = select("#", ...)
          local parts = {}
          for i = 1, n do parts[i] = tostring((select(i, ...))) end
          out[#out + 1] = table.concat(parts, "|")
        end
        local function try(f, ...)
          local results = table.pack(pcall(f, ...))
          -- Lua names a function called through pcall 'string.find', one called directly 'find'.
          if not results[1] then add("error", (tostring(results[2]):gsub("^.-:%d+: ", ""):gsub("'string%.", "'"))) return end
          add(table.unpack(results, 2, results.n))
        end
        for _, s in ipairs(subjects) do
          for _, p in ipairs(patterns) do
            for _, init in ipairs(inits) do
              if init then
                try(string.find, s, p, init); try(string.match, s, p, init); try(string.find, s, p, init, true)
              else
                try(string.find, s, p); try(string.match, s, p)
                try(string.gsub, s, p, "<%0>"); try(string.gsub, s, p, "%1-%%", 2)
                try(string.gsub, s, p, { hello = "HI", a = false, key = 42 })
                try(string.gsub, s, p, function(x) if x == "b" then return nil end return #tostring(x) end)
                local list = {}
                pcall(function() for a, b in string.gmatch(s, p) do list[#list + 1] = tostring(a) .. "/" .. tostring(b) end end)
                add("gmatch", table.concat(list, ","))
              end
            end
          end
        end
        for _, p in ipairs({ "%", "[a", "(()", "%1", "a)", "%f", "%bx", "((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))" }) do
          try(string.find, "abc", p)
        end
        try(string.gsub, "abc", "b", "%2"); try(string.gsub, "abc", "b", "%x"); try(string.gsub, "abc", "b", {b = {}})
        try(string.gsub, "abc", "(b)", "%1%1"); try(string.gmatch("abc", "()b"))
        try(string.find, "abc", "b", 1.5); try(string.find, nil, "b"); try(string.gsub, "abc", "b", true)
        return table.concat(out, "\n")
        """#

    @Test func theMatcherAgreesWithLuasOwnOnAThousandCases() throws {
        let plain = try LuaState()
        let expected = try plain.run(Self.differential, chunkName: "diff.lua", limits: LuaLimits(timeout: 20, memory: nil))
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let actual = try sandbox.run(source: Self.differential, chunkName: "diff.lua", limits: LuaLimits(timeout: 20, memory: nil))
        guard case let .string(lhs)? = expected.first, case let .string(rhs)? = actual.first else {
            Issue.record("no output")
            return
        }
        let luaLines = String(decoding: lhs, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let ourLines = String(decoding: rhs, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(luaLines.count == ourLines.count)
        #expect(luaLines.count > 3000)
        var differences = 0
        for (index, (lua, ours)) in zip(luaLines, ourLines).enumerated() where lua != ours {
            differences += 1
            if differences <= 10 { Issue.record("case \(index): Lua says \(lua.debugDescription), LuaKit says \(ours.debugDescription)") }
        }
        #expect(differences == 0)
    }

    @Test func catastrophicPatternsStopAtTheDeadlineInProcess() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        for source in ["return string.find(string.rep('a', 5000), '.-.-.-.-.-.-b')",
                       "return (string.rep('a', 3000)):match('(a*)*b')",
                       "return string.gsub(string.rep('a', 4000), '.-.-.-x', '')",
                       "for _ in string.gmatch(string.rep('a', 4000), '.-.-.-.-x') do end",
                       "return string.find(string.rep('a', 1e7), string.rep('a', 5e6) .. 'b', 1, true)"] {
            #expect(throws: LuaError.timeout(location: LuaLocation(chunk: "bomb.lua", line: 1), seconds: 0.5)) {
                _ = try sandbox.run(source: source, chunkName: "bomb.lua", limits: LuaLimits(timeout: 0.5, memory: 256 << 20))
            }
        }
        #expect(try sandbox.run(source: "return ('ok'):upper()", chunkName: "after.lua") == [.text("OK")])
    }

    @Test func gsubResultsCountAgainstTheMemoryCap() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        #expect(throws: LuaError.memory(location: LuaLocation(chunk: "grow.lua", line: 1), limit: 4 << 20)) {
            _ = try sandbox.run(source: "local s = string.rep('x', 100000) return s:gsub('x', string.rep('y', 100))",
                                chunkName: "grow.lua", limits: LuaLimits(timeout: 5, memory: 4 << 20))
        }
    }

    @Test func errorsInReplacementFunctionsKeepTheirObject() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let results = try sandbox.run(source: """
            local marker = {}
            local ok, err = pcall(string.gsub, "abc", "b", function() error(marker) end)
            return ok, err == marker
            """, chunkName: "obj.lua")
        #expect(results == [.boolean(false), .boolean(true)])
    }
}

/// The watchdog: the last line of defence for a run stuck in one C call.
@Suite struct LuaWatchdogTests {
    final class Flag: @unchecked Sendable {
        var fired = false
    }

    @Test func firesWhenARunOutlivesItsBudgetAndNotAfterDisarm() async throws {
        let flag = Flag()
        let stuck = LuaWatchdog { flag.fired = true }
        stuck.arm(seconds: 0.01)
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(flag.fired)

        let calm = Flag()
        let finished = LuaWatchdog { calm.fired = true }
        finished.arm(seconds: 0.01)
        finished.disarm()
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(!calm.fired)
    }
}
