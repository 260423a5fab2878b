/// The feature families of Sinergi's own API: dates, agreements (reads and writes), the sandbox's
/// withheld names and protected tables, and output.
extension LuaProgramGenerator {
    static let dateTexts = [
        "'2026-03-09'", "'2026-02-30'", "'9999-12-31'", "'0000-01-01'", "'0001-01-01'", "'2026-3-9'", "''", "'x'",
        "'2026-03-09\\0'", "'-001-01-01'", "'2026-13-01'", "'2024-02-29'", "'2025-02-29'", "42", "nil", "{}",
    ]

    mutating func dateExpression() -> String {
        random.pick(["today()", "date('2027-01-01')", "date('0001-01-01')", "date('9999-12-31')", "(today() + 30)",
                     "agreements.get('CONTOH/001/KSDD/2025').ends_on"])
    }

    /// Date arithmetic; `extreme` adds integers at the edges of the 64-bit range.
    mutating func dates(extreme: Bool) -> String {
        let amount = extreme
            ? random.pick(["math.maxinteger", "math.mininteger", "(1 << 62)", "-(1 << 62)", "math.maxinteger - 1000", "(1 << 60)"])
            : random.pick(["1", "30", "-30", "365", "3650", "100000", "-1000000", "0", "1.5", "'7'", "{}", "2^53"])
        let span = extreme ? random.pick(["math.maxinteger", "math.mininteger"]) : random.pick(["1", "5", "20", "-10", "250", "0", "1.5", "'x'"])
        let left = dateExpression(), right = dateExpression()
        let operation = random.pick([
            "\(left) + \(amount)", "\(amount) + \(left)", "\(left) - \(amount)", "\(left) - \(right)", "\(left) + workdays(\(span))",
            "\(left) - workdays(\(span))", "date(\(random.pick(Self.dateTexts)))", "\(left) < \(right)", "\(left) <= \(value())",
            "\(left) == \(value())", "\(left) .. 'x'", "'x' .. \(left)", "(\(left) + \(amount)).year", "tostring(\(left) + \(amount))",
            "(\(left) + \(amount)) - \(right)", "\(left).\(random.pick(["year", "month", "day", "weekday", "foo"]))",
            "days(\(amount))", "workdays(\(span))", "\(left) + days(\(amount))", "(\(left) + \(amount)) < \(right)",
        ])
        if random.chance(10) { return "local d = today() d.year = 1" }
        if random.chance(10) { return "local d = today() for i = 1, \(random.pick(["10", "1000", "100000"])) do d = d + 1 end" }
        return random.chance(50) ? "local _ = \(operation)" : "pcall(function() return \(operation) end)"
    }

    static let fieldNames = [
        "id", "number", "title", "kind", "subkind", "status", "stage", "lead_agency", "object", "scope", "funding", "value",
        "starts_on", "ends_on", "pks_starts_on", "pks_ends_on", "membebani_masyarakat", "belum_dianggarkan",
        "needs_dprd_approval", "ending_ground", "pks_clauses", "missing_pks_clauses", "parties", "documents", "nope",
        "update", "document", "attach", "fire", "workflow",
    ]

    mutating func filter() -> String {
        random.pick([
            "{}", "{ kind = 'ksdd' }", "{ kind = 'ksdpk', status = 'active' }", "{ status = 'draft' }", "{ stage = 'pelaksanaan' }",
            "{ party = 'Probolinggo' }", "{ lead_agency = 'Dinas Lingkungan Hidup' }", "{ expires_before = today() + 365 }",
            "{ expires_after = '2020-01-01' }", "{ bogus = 1 }", "{ kind = 1 }", "{ [1] = 2 }", "{ expires_before = 'x' }",
            "nil", "'string'", "{ kind = 'nope' }", "{ party = ('%'):rep(100) }", "{ stage = '\\0' }",
            "setmetatable({}, { __index = function() error('filter') end })", "{ kind = setmetatable({}, { __tostring = function() return 'ksdd' end }) }",
        ])
    }

    mutating func agreementKey() -> String {
        random.pick([
            "'CONTOH/001/KSDD/2025'", "'CONTOH/003/KSDPK/2024'", "1", "2", "3", "'nope'", "math.maxinteger", "math.mininteger",
            "-1", "0", "''", "{}", "nil", "1.5", "'\\0'", "'1 OR 1=1'", "\"'\"", "('9'):rep(40)",
        ])
    }

    mutating func agreementsRead() -> String {
        let list = name("list"), handle = name("a")
        switch random.below(7) {
        case 0: return "local _ = agreements.count(\(filter()))"
        case 1:
            return "for \(handle) in agreements.find(\(filter())) do local _ = \(handle).\(random.pick(Self.fieldNames)), \(handle).\(random.pick(Self.fieldNames)) end"
        case 2:
            return "local \(list) = agreements.find(\(filter())) local _ = #\(list), \(list)[\(random.pick(["1", "0", "-1", "math.maxinteger", "'x'", "1.5", "300", "1e300"]))]"
        case 3: return "for i, \(handle) in ipairs(agreements.find(\(filter()))) do if i > 50 then break end local _ = \(handle).title end"
        case 4:
            return "do local \(handle) = agreements.get(\(agreementKey())) if \(handle) then local _ = \(handle).\(random.pick(Self.fieldNames)), tostring(\(handle)), "
                + "\(handle):document(\(random.pick(["'pks'", "'kak'", "'nope'", "1", "nil"]))) end end"
        case 5:
            return "do local \(handle) = agreements.get('CONTOH/001/KSDD/2025') if \(handle) then \(handle).\(random.pick(Self.fieldNames)) = \(value()) end end"
        default:
            return "local \(list) = agreements.find(\(filter())) for i = 1, 3 do for x in \(list) do if i > 1 then break end end end local _ = \(list)()"
        }
    }

    /// Writes: create, update and attach, valid or not. Followed, often, by a later failure so the
    /// rollback is exercised.
    mutating func agreementsWrite() -> String {
        let handle = name("a")
        let fresh = "'FUZZ/\(index)/\(random.below(1000))'"
        let kind = random.pick(["'ksdd'", "'ksdpk'", "'sinergi'", "'ksdpl'", "'ksdll'", "'nope'", "1"])
        var fields = [
            "number = \(random.chance(90) ? fresh : random.pick(["'CONTOH/001/KSDD/2025'", "''", "1", "('n'):rep(5000)"]))",
            "title = \(random.chance(80) ? "'Fuzz'" : string())", "kind = \(kind)", "lead_agency = 'Dinas Lingkungan Hidup'",
        ]
        let optional = [
            "subkind = \(random.pick(["'wajib'", "'sukarela'", "'x'", "false"]))", "value = \(number())",
            "parties = { { name = 'Pemerintah Kabupaten Probolinggo', kind = \(random.pick(["'kabupaten'", "'kota'", "'nope'", "1"])) } }",
            "parties = \(random.pick(["{}", "'x'", "{ 1, 2 }", "{ { name = 1 } }"]))", "membebani_masyarakat = \(random.pick(["true", "false", "1"]))",
            "starts_on = \(random.pick(["date('2027-01-01')", "today()", "'2027-01-01'", "'x'", "false", "42"]))",
            "ends_on = \(random.pick(["date('2031-12-31')", "today() + 100", "date('2026-01-01')", "'2040-01-01'", "today() - 1"]))",
            "status = \(random.pick(["'draft'", "'active'", "'expired'", "'nope'"]))", "stage = \(string())",
            "pks_clauses = \(random.pick(["{ 'objek' }", "{ 'nope' }", "'objek'", "{}"]))", "bogus = 1",
            "ending_ground = \(random.pick(["'pailit'", "'nope'", "false"]))", "[\(random.pick(["1", "true", "{}"]))] = 1",
        ]
        for _ in 0..<random.range(0...5) { fields.append(random.pick(optional)) }
        let table = "{ " + fields.joined(separator: ", ") + " }"
        var lines: [String] = []
        switch random.below(5) {
        case 0: lines.append("local \(handle) = agreements.create\(table)")
        case 3:
            // notify{}: queued in the run's unit (rolled back with it), refused when hostile.
            let to = random.pick(["'role:sekretariat'", "'user:sari'", "'role:nope'", "'sari'", "1", "{}", "('r'):rep(5000)"])
            let body = random.pick(["'isi'", "('x'):rep(70000)", "'\\27[2J'", "'\\255'", "setmetatable({}, { __tostring = error })", "nil"])
            lines.append("local _ = notify{ to = \(to), subject = \(random.chance(80) ? "'S'" : string()), body = \(body), "
                         + "key = \(random.pick(["'k'", "'k\(index)'", "nil", "''", "false"])), agreement = \(random.pick(["nil", "1", "'x'", "today()"])) }")
        case 1:
            lines.append("local \(handle) = agreements.get(\(random.pick(["'CONTOH/001/KSDD/2025'", "'CONTOH/002/KSDD/2026'", "1", "2"])))")
            let change = random.pick(optional + ["title = \(string())", "number = \(fresh)", "kind = 'ksdpk'"])
            lines.append("if \(handle) then \(handle):update{ \(change) } end")
        case 2:
            lines.append("local \(handle) = agreements.get('CONTOH/001/KSDD/2025')")
            let file = random.pick(["nil", "'sinergi.lua'", "'/etc/hostname'", "'missing.pdf'", "'../../../etc/hostname'", "''", "42"])
            let kindText = random.pick(["'kak'", "'pks'", "'nope'", "nil"])
            lines.append("if \(handle) then \(handle):attach{ kind = \(kindText), number = \(string()), date = \(random.pick(["today()", "'2026-01-01'", "'x'", "nil"])), "
                         + "signatories = \(random.pick(["{ 'A', 'B' }", "{ 1, {} }", "'x'"])), file = \(file) } end")
        default:
            lines.append("for \(handle) in agreements.find{ status = 'active' } do \(handle):update{ title = \(handle).title .. '!' } end")
        }
        if random.chance(40) { lines.append(random.pick(["error('fail after writing')", "while true do end", "local t = {} while true do t[#t + 1] = {} end", "error({})"])) }
        return lines.joined(separator: "\n")
    }

    /// Reaching for what the sandbox withholds or protects.
    mutating func escapes() -> String {
        random.pick([
            "io.write('x')", "debug.traceback()", "os.execute('true')", "os.exit(1)", "os.getenv('HOME')", "string.dump(print)",
            "load('\\27Lua')", "load('return 1', 'x', 'b')", "collectgarbage('collect')", "collectgarbage('step')",
            "setmetatable(_G, {})", "rawset(string, 'x', 1)", "string.x = 1", "getmetatable('').__index.upper = nil",
            "require('os')", "require('../x')", "require('a.b')", "local _ = package.loaded", "dofile()", "loadfile('x')",
            "_G.print = nil", "print = nil", "_ENV = nil", "local _ENV = {} x = 1", "local _ = load('return _ENV')()",
            "local _ = load(function() return {} end)", "local _ = load(string.rep('x = 1 ', 1000))",
            "local f = load(coroutine.wrap(function() coroutine.yield('return ') coroutine.yield('1') end)) local _ = f and f()",
            "setmetatable(string, {})", "rawset(_G, 'pairs', nil)", "agreements.get = nil", "rawset(agreements, 'count', nil)",
            "setmetatable({}, { __gc = function() end })", "local mt = { } mt.__gc = print setmetatable({}, mt)",
            "local _ = os.date('%Ez')", "local _ = os.date('*t', math.maxinteger)", "local _ = os.time{ year = math.maxinteger, month = 1, day = 1 }",
            "local _ = os.date('!%c', -2^60)", "local _ = os.time{ year = 2026, month = 1, day = 1, hour = math.mininteger }",
            "local _ = collectgarbage('count')", "local _ = getmetatable('')", "local _ = string.format('%s', getmetatable(_G))",
            "local _ = rawequal(string, select(2, pairs(string)))", "local _ = next(string)",
        ])
    }

    /// Writes to the table `pairs` hands back for a protected library (the "read-only" proxy's
    /// `__pairs` returns its backing table); the harness checks later runs still see the originals.
    mutating func backingTables() -> String {
        let library = random.pick(["string", "table", "math", "coroutine", "os", "utf8", "agreements", "log"])
        let change = random.pick([
            "b.upper = function() return 'pwned' end", "b.format = nil", "b.wrap = nil", "b.sort = print", "b.pi = 3",
            "for k in pairs(b) do rawset(b, k, nil) end", "b.count = function() return 0 end", "b.injected = true",
        ])
        return "do local _, b = pairs(\(library)) if type(b) == 'table' then \(change) end end"
    }

    mutating func output(depth: Int) -> String {
        let cyclic = "(function() local t = {} t.t = t return t end)()"
        let deep = "(function() local t = {} local c = t for i = 1, 150 do c[1] = {} c = c[1] end return t end)()"
        return random.pick([
            "print(\(value()), \(value()))", "log.info(\(value()))", "log.warn(\(cyclic))", "log.error(\(deep))",
            "print(setmetatable({}, { __tostring = function() return ('x'):rep(1e6) end }))", "log.info(('x'):rep(1 << 20))",
            "print(setmetatable({}, { __tostring = function() return 42 end }))", "log.info(agreements.find{})",
            "log.info(setmetatable({}, { __index = function() error('x') end }))", "print(select('#', 1, nil, nil))",
            "do return \(cyclic) end", "do return \(deep) end", "do return \(value()) end", "log.info(string.rep('\\27[2J', 100))",
        ])
    }
}
