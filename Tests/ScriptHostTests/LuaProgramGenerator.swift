/// A seeded generator of hostile Lua programs, built from the sandbox's API and Lua's sharp edges.
///
/// Each program is a function of `(seed, index)` alone, so any one of them can be regenerated on
/// its own (`SINERGI_FUZZ_START=index SINERGI_FUZZ_PROGRAMS=1`). A program is a few statements, each
/// drawn from one feature family (coroutines, metamethods, errors, strings, …) and sometimes wrapped
/// in `pcall`, a coroutine, a loop, `xpcall` or a `<close>` block. Sizes stay small enough that no
/// single C call runs long, except in families that exist to find exactly that.
///
/// ```swift
/// let source = LuaProgramGenerator.program(seed: 7, index: 42)
/// ```
struct LuaProgramGenerator {
    /// The families a program draws from. Any can be left out by name (`SINERGI_FUZZ_AVOID=dates-extreme`),
    /// so that once a bug is known the fuzzer can look past it.
    enum Feature: String, CaseIterable {
        case coroutines, selfClose = "self-close", metamethods, errors, strings, tables, integers
        case dates, datesExtreme = "dates-extreme", workdaysHuge = "workdays-huge"
        case loops, recursion, allocations, agreements, writes, escapes
        case libraryBackingTables = "pairs-backing", output, syntax

        /// How often the family is drawn, relative to the others.
        /// How often the family is drawn, relative to the others. The families that find the
        /// known crashes and hangs are rare, so a long run explores past them.
        var weight: Int {
            switch self {
            case .coroutines, .metamethods, .errors, .strings, .tables, .agreements: return 100
            case .integers, .dates, .writes, .escapes, .output: return 60
            case .loops, .recursion, .allocations: return 40
            case .selfClose: return 30
            case .syntax, .libraryBackingTables: return 10
            case .datesExtreme: return 3
            case .workdaysHuge: return 2
            }
        }
    }

    var random: FuzzRandom
    let features: [Feature]
    let index: Int
    private var nameCounter = 0

    init(seed: UInt64, index: Int, avoid: Set<Feature> = []) {
        random = FuzzRandom(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        _ = random.next()
        features = Feature.allCases.filter { !avoid.contains($0) }
        self.index = index
    }

    static func program(seed: UInt64, index: Int, avoid: Set<Feature> = []) -> String {
        var generator = LuaProgramGenerator(seed: seed, index: index, avoid: avoid)
        return generator.program()
    }

    mutating func program() -> String {
        var lines: [String] = []
        for _ in 0..<random.range(1...6) { lines.append(statement(depth: 0)) }
        if random.chance(20) { lines.append("return " + value(depth: 1)) }
        return lines.joined(separator: "\n")
    }

    /// A fresh local name (`v12`).
    mutating func name(_ prefix: String = "v") -> String {
        nameCounter += 1
        return "\(prefix)\(nameCounter)"
    }

    mutating func statement(depth: Int) -> String {
        let body = snippet(depth: depth)
        guard depth < 3, random.chance(35) else { return body }
        return wrap(body, depth: depth)
    }

    /// `body` inside a protected call, a coroutine, a loop, xpcall, or a block with a `<close>` variable.
    mutating func wrap(_ body: String, depth: Int) -> String {
        switch random.below(8) {
        case 0: return "pcall(function()\n\(body)\nend)"
        case 1:
            let ok = name("ok"), error = name("e")
            return "do local \(ok), \(error) = pcall(function()\n\(body)\nend) if not \(ok) then local _ = type(\(error)) end end"
        case 2: return "coroutine.wrap(function()\n\(body)\nend)()"
        case 3:
            let co = name("co")
            return "do local \(co) = coroutine.create(function(...)\n\(body)\nend) local ok = coroutine.resume(\(co)) "
                + "if ok and \(random.chance(50)) then coroutine.close(\(co)) end end"
        case 4: return "for _ = 1, \(random.pick([1, 2, 3, 10, 100])) do\n\(body)\nend"
        case 5: return "xpcall(function()\n\(body)\nend, \(handler()))"
        case 6:
            let guardName = name("guard")
            return "do local \(guardName) <close> = \(closable())\n\(body)\nend"
        default:
            return "pcall(function()\n\(body)\nend)\n" + statement(depth: depth + 1)
        }
    }

    mutating func snippet(depth: Int) -> String {
        let total = features.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return "local _ = 1" }
        var roll = random.below(total)
        var chosen = features[0]
        for feature in features {
            if roll < feature.weight { chosen = feature; break }
            roll -= feature.weight
        }
        switch chosen {
        case .coroutines: return coroutine(depth: depth)
        case .selfClose: return selfClosingCoroutine()
        case .metamethods: return metamethods(depth: depth)
        case .errors: return errors(depth: depth)
        case .strings: return strings()
        case .tables: return tables()
        case .integers: return integers()
        case .dates: return dates(extreme: false)
        case .datesExtreme: return dates(extreme: true)
        case .workdaysHuge: return "local _ = today() + workdays(\(random.pick(["1e8", "10^9", "math.maxinteger", "math.mininteger", "-(2^40)"])))"
        case .loops: return loops()
        case .recursion: return recursion()
        case .allocations: return allocations()
        case .agreements: return agreementsRead()
        case .writes: return agreementsWrite()
        case .escapes: return escapes()
        case .libraryBackingTables: return backingTables()
        case .output: return output(depth: depth)
        case .syntax: return syntax()
        }
    }

    // MARK: - Values

    static let integers = [
        "0", "1", "-1", "2", "3", "7", "10", "100", "255", "256", "1000", "65536", "2147483647", "2147483648",
        "-2147483648", "4294967296", "(1 << 62)", "math.maxinteger", "math.mininteger", "math.maxinteger - 1",
        "math.mininteger + 1", "9007199254740993",
    ]
    static let floats = ["0.5", "-0.0", "1e308", "math.huge", "-math.huge", "(0/0)", "2^53", "2^63", "-2^63", "1e15", "3.0", "math.pi"]

    mutating func integer() -> String { random.pick(Self.integers) }
    mutating func number() -> String { random.chance(75) ? integer() : random.pick(Self.floats) }
    mutating func small() -> String { String(random.pick([0, 1, 2, 3, 5, 10, 50, 100, 1000])) }
    /// A size that keeps C calls short under a 16 MB cap (the cap itself stops the large ones).
    mutating func size() -> String { random.pick(["0", "1", "10", "1000", "10000", "100000", "1 << 20", "1e6", "(1 << 22)"]) }

    mutating func string() -> String {
        random.pick([
            "''", "'a'", "'abc'", "'hello world'", "'\\0'", "'a\\0b'", "'\\27[2J\\27[31m'", "'\\r\\n'", "'%'", "'%%'",
            "'%d %s'", "'\\255\\254'", "'日本語'", "('x'):rep(\(random.pick([10, 100, 1000, 10000])))",
            "string.rep('ab', 300, ',')", "tostring(math.mininteger)", "'2026-03-09'", "'CONTOH/001/KSDD/2025'",
            "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab'", "('a'):rep(5000)",
        ])
    }

    mutating func pattern() -> String {
        random.pick([
            "'a'", "'.'", "'(a+)+b'", "'(a*)*b'", "'%w+'", "'%f[%a]%a+'", "'()'", "'(%d+)'", "'[%]]'", "'%b()'", "'.-'",
            "'^(.-)$'", "'(((((a)))))'", "'%'", "'[a'", "'(()'", "'%g'", "'a*'", "''", "'(a)%1'", "'%1'", "'[^%z]'",
            "'(.)' .. ('(.)'):rep(40)", "'%f[%z]'", "'(a-)*b'", "'x*$'",
        ])
    }

    /// Any value, including tables with metamethods, functions, coroutines, dates and agreements.
    mutating func value(depth: Int = 0) -> String {
        switch random.below(depth > 2 ? 6 : 12) {
        case 0: return "nil"
        case 1: return random.pick(["true", "false"])
        case 2: return number()
        case 3, 4: return string()
        case 5: return random.pick(["print", "error", "function() end", "coroutine.yield", "string.rep", "agreements.get", "today"])
        case 6: return "{ \(value(depth: depth + 1)), \(value(depth: depth + 1)), x = \(value(depth: depth + 1)) }"
        case 7: return "setmetatable({}, \(metatable(depth: depth + 1)))"
        case 8: return random.pick(["coroutine.create(function() end)", "coroutine.running()", "coroutine.wrap(function() end)"])
        case 9: return random.pick(["today()", "date('2027-01-01')", "workdays(5)", "today() + 30"])
        case 10: return random.pick(["agreements.get('CONTOH/001/KSDD/2025')", "agreements.find{}", "agreements.get(1)"])
        default: return random.pick(["{}", "{ 1, 2, 3 }", "_G", "string", "math", "agreements", "log"])
        }
    }

    /// An error handler for xpcall.
    mutating func handler() -> String {
        random.pick([
            "print", "function(e) return e end", "function(e) error(e) end", "function(e) error({}) end",
            "function(e) return tostring(e) end", "function(e) coroutine.yield(e) end", "42", "nil",
            "function(e) local t = {} for i = 1, 1000 do t[i] = i end return #t end", "error",
            "function(e) return pcall(error, e) end",
        ])
    }

    /// A value for a `<close>` variable: closable or not, with a handler that may misbehave.
    mutating func closable() -> String {
        let body = random.pick([
            "", "error('close failed')", "error({})", "coroutine.yield()", "local t = {} for i = 1, 1000 do t[i] = {} end",
            "print('closed', ...)", "error(select(2, ...))",
        ])
        return random.pick([
            "setmetatable({}, { __close = function(...) \(body) end })", "nil", "false", "1",
            "setmetatable({}, { __close = 1 })", "setmetatable({}, { __close = print })",
        ])
    }

    /// A metatable with a random set of metamethods.
    mutating func metatable(depth: Int) -> String {
        let names = ["__index", "__newindex", "__call", "__lt", "__le", "__close", "__tostring", "__len", "__concat",
                     "__eq", "__unm", "__add", "__name", "__metatable", "__mode", "__pairs"]
        var fields: [String] = []
        for name in names where random.chance(30) {
            switch name {
            case "__index":
                fields.append("__index = " + random.pick([metamethod(), "{ x = 1 }", "string", "_G", "function(t, k) return rawget(t, k) end"]))
            case "__name": fields.append("__name = " + random.pick(["'Evil\\27[31m'", "42", "('n'):rep(500)"]))
            case "__metatable": fields.append("__metatable = " + random.pick(["false", "'locked'", "{}"]))
            case "__mode": fields.append("__mode = " + random.pick(["'k'", "'v'", "'kv'"]))
            case "__close": fields.append("__close = " + random.pick([metamethod(), "1"]))
            default: fields.append("\(name) = " + metamethod())
            }
        }
        return "{ " + fields.joined(separator: ", ") + " }"
    }

    /// The body of a metamethod: returns something, raises, yields, recurses or (rarely) runs forever.
    mutating func metamethod() -> String {
        let body = random.pick([
            "return 1", "return a", "return nil", "error('mm')", "error(a)", "error({})", "coroutine.yield(1)",
            "return ('x'):rep(1000)", "return setmetatable({}, getmetatable(a))", "return a[b]", "return 2^53",
            "return math.mininteger", "local t = {} for i = 1, 10000 do t[i] = i end return #t", "return tostring(a)",
            "return coroutine.wrap(function() return 1 end)()", "return true", "return 'text'", "return a .. b",
            "return #a", "return a < b",
            random.chance(10) ? "while true do end" : "return 0",
        ])
        return "function(a, b) \(body) end"
    }
}

/// SplitMix64: small, fast and the same on every platform, so a seed means the same programs everywhere.
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    mutating func range(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
