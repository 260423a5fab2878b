/// The feature families of plain Lua: coroutines, metamethods, errors, strings, tables, integers,
/// loops, recursion, allocations and syntax.
extension LuaProgramGenerator {
    mutating func coroutine(depth: Int) -> String {
        let co = name("co")
        switch random.below(11) {
        case 0:
            let count = small()
            return "do local \(co) = coroutine.wrap(function() for i = 1, \(count) do pcall(coroutine.yield, i) end end) "
                + "for i = 1, \(count) do \(co)() end end"
        case 1:
            let levels = random.pick([1, 5, 50, 150, 190, 250, 400])
            return """
                do local function nest(d) if d == 0 then return coroutine.yield(d) end return coroutine.wrap(nest)(d - 1) end
                local ok, e = pcall(coroutine.wrap(nest), \(levels)) end
                """
        case 2:
            return random.pick([
                "pcall(coroutine.resume, coroutine.running())", "coroutine.resume(coroutine.running())",
                "pcall(coroutine.yield, 1)",
                "pcall(coroutine.resume, 42)", "pcall(coroutine.wrap, 42)", "pcall(coroutine.status, {})",
                "local _ = coroutine.isyieldable(), coroutine.status(coroutine.running())",
            ])
        case 3:
            return """
                do local \(co) = coroutine.create(function() local x <close> = \(closable()) coroutine.yield(1) end)
                coroutine.resume(\(co)) local ok, e = coroutine.close(\(co)) local _ = coroutine.status(\(co)) end
                """
        case 4:
            return "for v in coroutine.wrap(function() for i = 1, \(small()) do coroutine.yield(\(value())) end end) do local _ = v end"
        case 5:
            return random.pick([
                "table.sort({ 3, 1, 2 }, function(a, b) coroutine.yield() return a < b end)",
                "string.gsub('abc', '.', function(c) coroutine.yield(c) end)",
                "tostring(setmetatable({}, { __tostring = function() coroutine.yield() return 'x' end }))",
                "local _ = setmetatable({}, { __index = function(t, k) return coroutine.yield(k) end }).x",
                "load(function() coroutine.yield() end)",
            ])
        case 6:
            return "do local \(co) = coroutine.wrap(function() error(\(value())) end) local ok, e = pcall(\(co)) "
                + "local ok2 = pcall(\(co)) end"
        case 7:
            return "for i = 1, \(random.pick(["10", "1000", "100000"])) do local c = coroutine.wrap(function() coroutine.yield(i) end) c() end"
        case 8:
            let inner = statement(depth: depth + 1)
            return "do local \(co) = coroutine.create(function(...)\n\(inner)\nreturn ... end) "
                + "local r = { coroutine.resume(\(co), \(value())) } local ok = coroutine.resume(\(co)) "
                + "local s = coroutine.status(\(co)) local c = { coroutine.close(\(co)) } end"
        case 9:
            return """
                do local a, b
                a = coroutine.create(function() coroutine.resume(b) coroutine.yield() end)
                b = coroutine.create(function() coroutine.resume(a) pcall(coroutine.close, a) coroutine.yield() end)
                coroutine.resume(a) coroutine.resume(b) pcall(coroutine.close, a) pcall(coroutine.close, b) end
                """
        default:
            return "do local \(co) = coroutine.wrap(function() local y <close> = setmetatable({}, { __close = function() "
                + "coroutine.wrap(function() \(random.pick(["error('inner')", "coroutine.yield()", "return 1"])) end)() end }) "
                + "coroutine.yield() end) \(co)() end"
        }
    }

    /// A coroutine that closes itself inside `pcall` (Lua refuses: "cannot close a running
    /// coroutine"), then garbage churn so it is collected, then often a stop at the deadline or cap.
    mutating func selfClosingCoroutine() -> String {
        let closing = random.pick([
            "coroutine.wrap(function() pcall(coroutine.close, coroutine.running()) end)()",
            "do local co co = coroutine.create(function() pcall(coroutine.close, co) coroutine.yield() end) coroutine.resume(co) coroutine.resume(co) end",
            "for i = 1, \(random.pick([1, 5, 50])) do coroutine.wrap(function() pcall(coroutine.close, coroutine.running()) end)() end",
            "coroutine.wrap(function() coroutine.wrap(function() pcall(coroutine.close, coroutine.running()) end)() end)()",
            "pcall(coroutine.close, coroutine.running())",
            "local _ = setmetatable({}, { __index = function() return pcall(coroutine.close, coroutine.running()) end }).x",
        ])
        let churn = random.chance(70) ? "\nfor i = 1, \(random.pick([1000, 20000, 100000])) do local _ = { i } end" : ""
        let stop = random.pick(["", "\nwhile true do end", "\nlocal t = {} while true do t[#t + 1] = { 1 } end", "\ncoroutine.wrap(function() while true do end end)()"])
        return closing + churn + stop
    }

    mutating func metamethods(depth: Int) -> String {
        let object = name("obj"), other = name("obj")
        var lines = ["local \(object) = setmetatable({}, \(metatable(depth: depth)))",
                     "local \(other) = setmetatable({}, getmetatable(\(object)) or {})"]
        let operations = [
            "local _ = \(object).x", "\(object).x = 1", "local _ = \(object)(1, 2)", "local _ = \(object) < \(other)",
            "local _ = \(object) <= 1", "local _ = \(object) == \(other)", "local _ = #\(object)", "local _ = \(object) .. 'x'",
            "local _ = 'x' .. \(object)", "local _ = tostring(\(object))", "print(\(object))", "local _ = -\(object)",
            "local _ = \(object) + 1", "for k, v in pairs(\(object)) do local _ = k end", "table.insert(\(object), 1)",
            "local _ = table.concat(\(object))", "local _ = table.unpack(\(object))", "table.sort({ \(object), \(other) })",
            "local _ = string.format('%s', \(object))", "error(\(object))", "for i, v in ipairs(\(object)) do if i > 100 then break end end",
            "local _ = rawlen(\(object))", "local _ = next(\(object))", "do local c <close> = \(object) end",
            "local _ = getmetatable(\(object))", "log.info(\(object))", "local _ = string.rep(\(object), 2)",
            "local _ = agreements.find(\(object))", "local _ = today() + \(object)", "local _ = (\(object))[\(object)]",
        ]
        for _ in 0..<random.range(1...4) {
            let operation = random.pick(operations)
            lines.append(random.chance(60) ? "pcall(function() \(operation) end)" : operation)
        }
        return lines.joined(separator: "\n")
    }

    mutating func errors(depth: Int) -> String {
        let levels = ["1", "2", "3", "0", "100", "math.maxinteger", "-1", "math.mininteger"]
        switch random.below(8) {
        case 0: return "pcall(error, \(value()), \(random.pick(levels)))"
        case 1: return "error(\(value()), \(random.pick(levels)))"
        case 2: return "xpcall(\(random.pick(["error", "function() error(\(value())) end", "function() return 1 end", "coroutine.yield", "42"])), \(handler()), \(value()))"
        case 3:
            return "do local ok, e = pcall(error, setmetatable({}, { __tostring = function() \(random.pick(["error('x')", "return 42", "return ('x'):rep(1e6)", "coroutine.yield()", "return 'fine'"])) end })) "
                + "local _ = pcall(tostring, e) end"
        case 4: return random.pick(["assert(false, \(value()))", "assert(nil)", "assert(1 == 2, {})", "pcall(assert, false, \(value()))", "assert()"])
        case 5:
            return "do local ok, e = pcall(\(random.pick(["agreements.create", "agreements.get", "date", "workdays", "string.rep", "agreements.find"])), \(value())) "
                + "if not ok then local _ = tostring(e), type(e) == 'userdata' and e.message, type(e) == 'userdata' and e.class, (pcall(function() return e .. '' end)) end end"
        case 6: return "local _ = select('#', pcall(error))\nlocal _ = pcall(pcall)\nlocal _ = pcall(xpcall)"
        default:
            let inner = statement(depth: depth + 1)
            return "do local ok, e = xpcall(function()\n\(inner)\nerror(\(value())) end, \(handler())) end"
        }
    }

    mutating func strings() -> String {
        let formats = ["'%p'", "'%s'", "'%q'", "'%d'", "'%x'", "'%a'", "'%c'", "'%g'", "'%5.2f'", "'%-10s'", "'%99s'", "'%i'",
                       "'%o'", "'%100d'", "'%.99f'", "'%s %s %s'", "'%'", "'%z'", "'%10q'", "'%.3q'", "'%#x'", "'%.20s'"]
        switch random.below(14) {
        case 0: return "local _ = string.rep(\(string()), \(random.chance(50) ? size() : number())\(random.chance(30) ? ", \(string())" : ""))"
        case 1:
            let replacement = random.pick([
                "'%0%0'", "'%1'", "'%2'", "'%%'", "'%'", "'x'", "{ a = 'b', b = false }", "setmetatable({}, { __index = function(t, k) return k .. k end })",
                "function(c) return nil end", "function(c) return false end", "function(c) return c:rep(3) end", "function(c) return {} end",
                "function(c) error(c) end", "function(c) return 42 end", "function(...) return select('#', ...) end",
            ])
            return "local _ = string.gsub(\(string()), \(pattern()), \(replacement)\(random.chance(30) ? ", \(integer())" : ""))"
        case 2: return "do local n = 0 for a, b in string.gmatch(\(string()), \(pattern())) do n = n + 1 if n > 1000 then break end end end"
        case 3: return "local _ = string.find(\(string()), \(pattern()), \(random.chance(50) ? integer() : "1")\(random.chance(30) ? ", true" : ""))"
        case 4: return "local _ = string.match(\(string()), \(pattern()), \(random.chance(50) ? integer() : "1"))"
        case 5: return "local _ = string.format(\(random.pick(formats)), \(value()), \(value()), \(value()))"
        case 6: return "local _ = string.byte(\(string()), \(integer()), \(integer()))"
        case 7: return "local _ = string.sub(\(string()), \(integer()), \(integer()))"
        case 8: return "local _ = string.char(\(random.pick(["65, 66", "256", "-1", "0, 0, 0", "table.unpack({ 1, 2, 3 })"])))"
        case 9: return "local _ = (\(string())):\(random.pick(["upper", "lower", "reverse", "len"]))()"
        case 10:
            let format = random.pick(["'i16'", "'s1'", "'z'", "'<i4 >i8 =j'", "'!17'", "'i0'", "'c1000'", "'Xi4'", "'j'", "'d n'"])
            return random.pick([
                "local _ = string.pack(\(format), \(value()), \(value()))", "local _ = string.unpack(\(format), \(string()), \(integer()))",
                "local _ = string.packsize(\(format))",
            ])
        case 11:
            return random.pick([
                "local _ = utf8.char(\(integer()))", "local _ = utf8.codepoint(\(string()), \(integer()), \(integer()))",
                "local _ = utf8.len(\(string()), \(integer()))", "local _ = utf8.offset(\(string()), \(integer()))",
                "for p, c in utf8.codes(\(string())) do end", "local _ = utf8.char(0x7FFFFFFF, 0, 0x10FFFF)",
            ])
        case 12: return "local _ = tonumber(\(string()), \(random.pick(["2", "10", "36", "99", "1", "nil"]))), tonumber(\(value()))"
        default: return "local _ = \(string()) .. \(string()) .. #\(string())"
        }
    }

    mutating func tables() -> String {
        let list = name("t")
        let count = random.pick([0, 1, 5, 100, 2000])
        let element = random.pick(["i", "-i", "tostring(i)", "i % 3", "i % 2 == 0 and i or tostring(i)", "('x'):rep(100)", "{ i }"])
        var lines = ["local \(list) = {} for i = 1, \(count) do \(list)[i] = \(element) end"]
        let comparator = random.pick([
            "", ", function(a, b) return a < b end", ", function(a, b) return true end", ", function(a, b) error('cmp') end",
            ", function(a, b) return b < a end", ", function(a, b) return tostring(a) < tostring(b) end", ", 42",
        ])
        let operations = [
            "table.sort(\(list)\(comparator))", "local _ = table.concat(\(list), \(string()), \(integer()), \(integer()))",
            "local _ = table.concat(\(list), ',')", "local _ = table.unpack(\(list), \(integer()), \(integer()))",
            "local _ = { table.unpack(\(list)) }", "table.move(\(list), \(integer()), \(integer()), \(integer()))",
            "table.move(\(list), 1, #\(list), 2)", "table.move(\(list), 1, #\(list), 1, {})",
            "table.insert(\(list), \(integer()), \(value()))", "table.insert(\(list), \(value()))",
            "local _ = table.remove(\(list), \(integer()))", "local _ = table.remove(\(list))",
            "local _ = table.pack(table.unpack(\(list))).n", "local _ = select(\(integer()), table.unpack(\(list)))",
            "local _ = next(\(list), 'nope')", "local _ = #\(list), rawlen(\(list))",
            "setmetatable(\(list), { __len = function() return \(random.pick(["math.maxinteger", "2^31", "-1", "1.5", "'x'", "2147483646"])) end }) pcall(table.insert, \(list), 1) pcall(table.sort, \(list), function() return false end)",
        ]
        for _ in 0..<random.range(1...3) {
            let operation = random.pick(operations)
            lines.append(random.chance(50) ? "pcall(function() \(operation) end)" : operation)
        }
        return lines.joined(separator: "\n")
    }

    mutating func integers() -> String {
        let operators = ["+", "-", "*", "//", "%", "/", "^", "<<", ">>", "&", "|", "~", "==", "<", "<="]
        switch random.below(6) {
        case 0: return "local _ = \(number()) \(random.pick(operators)) \(number())"
        case 1:
            let function = random.pick(["math.abs", "math.tointeger", "math.floor", "math.ceil", "math.sqrt", "math.type", "tostring", "math.ult(1, "])
            return function.hasSuffix(", ") ? "local _ = \(function)\(number()))" : "local _ = \(function)(\(number()))"
        case 2: return "local _ = math.fmod(\(number()), \(number())), math.max(\(number()), \(number())), math.min(\(number()))"
        case 3:
            let loop = random.pick([
                "for i = math.maxinteger - 2, math.maxinteger do end", "for i = math.mininteger, math.mininteger + 2 do end",
                "for i = 1, 3, math.maxinteger do end", "for i = 1, 10, math.mininteger do end", "for i = 1.0, 3 do end",
                "for i = 1, 3, 0 do end", "for i = math.mininteger, math.mininteger + 2, -1 do end", "for i = 0.1, 0.3, 0.1 do end",
                "for i = 1, \(number()), \(number()) do if i > 1000 then break end end",
            ])
            return loop
        case 4: return "local _ = string.format('%d %5.1f %x', \(number()), \(number()), \(number()))"
        default: return "local _ = \(integer()) // \(random.pick(["0", "-1", "0.0"])), \(integer()) % \(random.pick(["0", "-1", "math.mininteger"]))"
        }
    }

    mutating func loops() -> String {
        random.pick([
            "while true do end", "repeat until false", "for i = 1, math.huge do end", "::top:: goto top",
            "for i = 1, 1e6 do local x = i * i end", "for i = 1, 100 do pcall(function() for j = 1, 1000 do end end) end",
            "while true do pcall(error, 'x') end", "local i = 0 while i < \(small()) do i = i + 1 end",
            "for k, v in pairs(_G) do local _ = k end", "for i = 1, 1e9 do local _ = coroutine.running() end",
        ])
    }

    mutating func recursion() -> String {
        let depth = random.pick(["10", "1000", "100000", "1e6"])
        return random.pick([
            "local function f(n) return f(n + 1) + 1 end f(1)", "local function f() return f() end f()",
            "local function f(n) if n > 0 then return 1 + f(n - 1) end return 0 end local _ = f(\(depth))",
            "local function f() pcall(f) end f()", "local function f() return coroutine.wrap(f)() end f()",
            "local function f(s) return (s:gsub('.', f)) end f('ab')", "local t = setmetatable({}, { __index = function(t, k) return t[k] end }) local _ = t.x",
            "local t = {} setmetatable(t, { __index = t }) local _ = t.x",
            "local t = setmetatable({}, { __tostring = function(s) return tostring(s) end }) local _ = tostring(t)",
            "local function f(n) if n > 0 then return load('return ...')(f(n - 1)) end return 0 end local _ = f(\(depth))",
            "local function f(n) if n > 0 then return table.unpack({ f(n - 1) }) end return 0 end local _ = f(\(depth))",
            "local function f(n) return string.gsub('x', 'x', function() return f(n + 1) end) end f(1)",
        ])
    }

    mutating func allocations() -> String {
        let size = size()
        return random.pick([
            "local t = {} for i = 1, \(size) do t[i] = {} end", "local s = 'x' for i = 1, 30 do s = s .. s end",
            "local _ = string.rep('x', 1 << 23):upper()", "local parts = {} for i = 1, \(size) do parts[i] = tostring(i) end local _ = table.concat(parts)",
            "for i = 1, \(size) do local _ = coroutine.create(function() end) end", "local fs = {} for i = 1, \(size) do fs[i] = function() return i end end",
            "local t = {} for i = 1, \(size) do t[tostring(i)] = i end", "local _ = { table.unpack({}, 1, \(size)) }",
            "local _ = string.rep('ab', \(size), ('y'):rep(1000))", "local t = {} for i = 1, 1e9 do t[i] = i end",
            "local ok = pcall(string.rep, 'x', 1e9) local _ = ('y'):rep(100)",
            "local t = {} pcall(function() while true do t[#t + 1] = ('x'):rep(1000) end end) t = nil local u = {} for i = 1, 1000 do u[i] = i end",
        ])
    }

    mutating func syntax() -> String {
        random.pick([
            "local = 1", "end", "x = = 1", "return return", "goto nowhere", "local x <const> = 1 x = 2",
            "local x <close> = 1", "::a:: ::a::", "local _ = " + String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300),
            (0..<260).map { "local l\($0) = \($0)" }.joined(separator: " "), "local s = [[unfinished", "x = '\\q'",
            "local _ = 0x", "local x <foo> = 1", "break", "for i = 1 do end",
        ])
    }
}
