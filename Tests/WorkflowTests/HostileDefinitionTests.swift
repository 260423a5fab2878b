import Agreements
import Foundation
import LuaKit
import ScriptHost
import Testing
@testable import Workflow

/// Hostile definition files (`workflows/*.lua`) against loading and `workflow check`: tables
/// that lie through metatables, sizes without bound, names no command could echo safely, top
/// levels that loop, yield or allocate. Each is refused with its class and its line, quickly,
/// and the process stays alive.
@Suite struct HostileDefinitionTests {
    /// A workspace whose `workflows/bad.lua` is `source`, loaded by a session with small limits
    /// (16 MB; `timeout` seconds).
    func load(_ source: String, timeout: Double = 0.3) throws -> (CheckerWorkspace, Result<LoadedWorkflow, any Error>) {
        let space = try CheckerWorkspace(files: ["bad.lua": source])
        let session = try ScriptSession(workspace: space.workspace, actor: try space.workspace.actingUser(requested: nil, osLogin: "tester"),
                                        clock: FixedClock(Date(timeIntervalSince1970: 1_796_000_000)),
                                        limits: LuaLimits(timeout: timeout, memory: 16 << 20), output: { _ in }, log: { _, _ in })
        let catalog = WorkflowCatalog(folder: space.folder.appendingPathComponent("workflows"), session: session)
        return (space, Result { try catalog.current("bad") })
    }

    /// The problems of a definition that loaded, as `check` reports them.
    func problems(_ source: String) throws -> [String] {
        let (space, loaded) = try load(source)
        let checker = WorkflowChecker(declaredRoles: [], holidays: [], today: try requireDate("2026-11-30"))
        return checker.check(try loaded.get(), libFolder: space.libFolder).map(\.description)
    }

    static let tail = "return { name = 'bad', applies_to = { kind = 'ksdd' }, initial = 'persiapan', states = s }"

    @Test(arguments: [
        ("while true do end", "timeout"),
        ("local t = {} while true do t[#t + 1] = string.rep('x', 4096) .. #t end", "memory"),
        ("coroutine.yield()", "runtime"),
        ("error(setmetatable({}, { __tostring = function() return 'palsu' end }))", "runtime"),
        ("return 42", "validation"),
    ])
    func aTopLevelThatMisbehavesFailsWithItsClass(source: String, errorClass: String) throws {
        // Only the loop that should time out meets the short budget: the one that fills memory
        // must reach the cap first even on a loaded machine under AddressSanitizer.
        let (_, loaded) = try load(source, timeout: errorClass == "timeout" ? 0.3 : 10)
        #expect(throws: (any Error).self) { try loaded.get() }
        if case let .failure(error) = loaded {
            #expect(FailureReport(error, fallbackLocation: nil).errorClass == errorClass)
            #expect(!"\(error)".contains("palsu"))
        }
    }

    /// A definition's top level builds a table and nothing else: a version built from the clock or
    /// the data would run one way today and another tomorrow (a route chosen by `today()` at load
    /// sent two agreements on one version to different states), or write as a side effect of
    /// being read. Each is forbidden, naming what.
    @Test(arguments: [
        ("local late = today() >= date('2027-06-01')", "read the clock (today(), now(), os.time(), os.date())"),
        ("local stamp = now()", "read the clock (today(), now(), os.time(), os.date())"),
        ("local late = os.time() > 1800000000", "read the clock (today(), now(), os.time(), os.date())"),
        ("local day = os.date('%d')", "read the clock (today(), now(), os.time(), os.date())"),
        ("local a = agreements.get(1)", "read agreements, tasks or workflow state"),
        ("local n = agreements.count{}", "read agreements, tasks or workflow state"),
        ("agreements.create{ number = 'X/1', title = 'x', kind = 'ksdd' }", "change data"),
    ])
    func aTopLevelCannotReadTheClockOrTheDataNorWrite(line: String, what: String) throws {
        let (_, loaded) = try load(line + "\nlocal s = { persiapan = { final = true } }\n" + Self.tail, timeout: 10)
        guard case let .failure(error) = loaded else { Issue.record("\(line) loaded"); return }
        #expect(FailureReport(error, fallbackLocation: nil).errorClass == "forbidden", "\(error)")
        #expect("\(error)".contains("top level only builds its table: it cannot \(what)"), "\(error)")
        #expect("\(error)".contains("bad.lua:1"), "\(error)")
    }

    /// A deadline and a `ctx.timer` count the same periods, and say so: one of days or workdays
    /// (both was taken as days), up to a century either way.
    @Test(arguments: [("days = 36501", false), ("days = 36500", true), ("workdays = 25001", false), ("workdays = 25000", true),
                      ("days = 3, workdays = 2", false), ("days = 0", false), ("days = 1.5", false)])
    func aDeadlinesPeriodIsOneOfDaysOrWorkdaysUpToACentury(period: String, accepted: Bool) throws {
        let found = try problems("""
            local s = { persiapan = { deadline = { \(period), fire = "lewat" }, on = { lewat = { to = "selesai" } } },
                        selesai = { final = true } }
            \(Self.tail)
            """)
        let refused = found.filter { $0.contains("the deadline of persiapan needs days = N (1 to 36500) or workdays = N (1 to 25000), "
                                                 + "one of them, a whole number") }
        #expect(refused.count == (accepted ? 0 : 1), "\(period): \(found)")
    }

    @Test func aDefinitionWhoseTablesLieThroughMetatablesIsReadAsItIsWritten() throws {
        let found = try problems("""
            local lie = { __index = function() while true do end end, __pairs = function() error('pairs') end,
                          __len = function() return math.maxinteger end }
            local s = setmetatable({ persiapan = setmetatable({ on = setmetatable({}, lie) }, lie) }, lie)
            return setmetatable({ name = 'bad', applies_to = setmetatable({ kind = setmetatable({}, lie) }, lie),
                                  initial = 'persiapan', states = s }, lie)
            """)
        #expect(found.contains { $0.contains("applies_to names no kind") })
        #expect(found.contains { $0.contains("not final and has no events") })
        #expect(!found.contains { $0.contains("time budget") || $0.contains("pairs") })
    }

    @Test(arguments: [
        "for i = 1, 5000 do s['s' .. i] = { on = { go = { to = 's' .. (i + 1), roles = { 'admin' } } } } end s.persiapan = { final = true }",
        "for i = 1, 20000 do s['s' .. i] = { on = { go = { to = 's' .. (i + 1), roles = { 'admin' } } } } end s.persiapan = { final = true }",
        "s.persiapan = { on = {} } for i = 1, 5000 do s.persiapan.on['e' .. i] = { to = 'persiapan', roles = { 'admin' } } end",
        "local to = {} for i = 1, 100000 do to[i] = 's' .. i end s.persiapan = { on = { go = { to = to, roles = { 'admin' } } } }",
        "local r = {} for i = 1, 100000 do r[i] = 'admin' end s.persiapan = { on = { go = { to = 'persiapan', roles = r } } }",
    ])
    func aDefinitionOfUnboundedSizeIsRefusedBeforeItIsWalked(build: String) throws {
        let source = "local s = {}\n\(build)\n\(HostileDefinitionTests.tail)"
        let found = try problems(source)
        #expect(found.contains { $0.contains("at most") })
        #expect(found.count < 10)
        #expect(found.allSatisfy { $0.utf8.count < 1000 })
    }

    @Test(arguments: [
        ("s.persiapan = { on = { ['go\\27[2J'] = { to = 'selesai', roles = { 'admin' } } } }", "is not an event name"),
        ("s.persiapan = { on = { [string.rep('e', 200)] = { to = 'selesai', roles = { 'admin' } } } }", "is not an event name"),
        ("s.persiapan = { on = { go = { to = 'selesai', roles = { 'admin' } } } } s['x\\ny'] = { final = true }", "is not a state name"),
        ("s.persiapan = { on = { go = { to = 'selesai\\0', roles = { 'admin' } } } }", "is not a state"),
        ("s.persiapan = { on = { go = { to = 'selesai', roles = { 'admin' }, outcome = string.rep('o', 1 << 16) } } }", "outcome"),
        ("s.persiapan = { on = { go = { to = 'selesai', roles = { 'admin\\27' } } } }", "role"),
        ("s.persiapan = { on = { go = { to = setmetatable({}, { __index = function() return 'selesai' end }), roles = { 'admin' } } } }", "lists no state"),
        ("s.persiapan = { on = { go = { to = 5, roles = { 'admin' } } } }", "has no to"),
        ("s.persiapan = { deadline = { days = math.maxinteger, fire = 'go' }, on = { go = { to = 'selesai', roles = { 'admin' } } } }", "deadline"),
    ])
    func aNameNoCommandCouldShowSafelyIsADefect(build: String, expected: String) throws {
        let source = "local s = { selesai = { final = true } }\n\(build)\n\(HostileDefinitionTests.tail)"
        let found = try problems(source)
        #expect(found.contains { $0.contains(expected) })
        // Control characters are escaped where diagnostics are printed (TerminalText, JSON).
        #expect(found.allSatisfy { $0.utf8.count < 1000 })
    }
}
