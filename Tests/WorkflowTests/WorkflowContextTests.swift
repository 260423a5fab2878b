import Agreements
import Foundation
import ScriptHost
import Store
import Testing
import Workflow

/// What `ctx` holds at each call of one transition: the engine makes its pairs once per target
/// and hands them on, so these pin down that every call still gets a table of its own.
@Suite struct WorkflowContextTests {
    /// A guard, a route, an on_exit and an on_enter each report what their `ctx` held (a mark left
    /// by an earlier call would show) and then mark it.
    static let reporting = """
        local seen = {}
        local function report(name, ctx)
          local earlier = {}
          for _, other in ipairs(seen) do if rawequal(other, ctx) then earlier[#earlier + 1] = "same table" end end
          ctx.notify{ to = "role:sekretariat", key = name,
                      subject = name .. " to=" .. tostring(ctx.to) .. " mark=" .. tostring(ctx.mark) .. " " .. table.concat(earlier, ","),
                      body = ctx.event .. " " .. ctx.from .. " " .. ctx.workflow .. " " .. tostring(ctx.today) }
          ctx.mark = name
          ctx.to = "diubah"
          seen[#seen + 1] = ctx
        end
        return {
          name = "mini", title = "Mini", applies_to = { kind = "ksdd" }, initial = "persiapan",
          states = {
            persiapan = { on = { maju = { to = { "pelaksanaan" }, roles = { "sekretariat" },
                                          guard = function(a, ctx) report("guard", ctx); return true end,
                                          route = function(a, ctx) report("route", ctx); return "pelaksanaan" end } },
                          on_exit = function(a, ctx) report("on_exit", ctx) end },
            pelaksanaan = { final = true, on_enter = function(a, ctx) report("on_enter", ctx) end },
          },
        }
        """

    @Test func eachCallOfATransitionGetsAFreshCtxOfItsOwnStep() throws {
        let fixture = try WorkflowFixture()
        try fixture.write("workflows/mini.lua", WorkflowContextTests.reporting)
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, actor: engine.session.actor ?? User.system, in: $0) }
        let actor = try #require(engine.session.actor)
        try fixture.write(engine) { try engine.fire(agreementId: id, event: "maju", actor: actor, in: $0) }
        let queued = try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }
        let subjects = Dictionary(uniqueKeysWithValues: queued.map { ($0.message.key ?? "", $0.message.subject) })
        #expect(subjects["guard"] == "guard to=nil mark=nil ")
        #expect(subjects["route"] == "route to=nil mark=nil ")
        #expect(subjects["on_exit"] == "on_exit to=pelaksanaan mark=nil ")
        #expect(subjects["on_enter"] == "on_enter to=pelaksanaan mark=nil ")
        #expect(Set(queued.map(\.message.body)) == ["maju persiapan mini 2027-03-01"])
    }

    /// A clock a test moves on.
    final class MovingClock: Clock, @unchecked Sendable {
        private let lock = NSLock()
        private var instant: Date
        init(_ instant: Date) { self.instant = instant }
        func now() -> Date { lock.withLock { instant } }
        func advance(days: Int) { lock.withLock { instant += Double(days) * 86_400 } }
    }

    /// A KSDD track of one step, `maju` from persiapan to pelaksanaan by the sekretariat, with
    /// the given Lua bodies as its guard, persiapan's on_exit and pelaksanaan's on_enter.
    static func forward(guard guardBody: String, onExit: String = "", onEnter: String) -> String {
        """
        return {
          name = "mini", title = "Mini", applies_to = { kind = "ksdd" }, initial = "persiapan",
          states = {
            persiapan = { on = { maju = { to = "pelaksanaan", roles = { "sekretariat" }, guard = function(a, ctx) \(guardBody) end } },
                          on_exit = function(a, ctx) \(onExit) end },
            pelaksanaan = { final = true, on_enter = function(a, ctx) \(onEnter) end },
          },
        }
        """
    }

    /// `ctx.today` is made once a day and kept by the engine: a transition on the next day, by
    /// the same engine (a scheduler's), must see the new date.
    @Test func ctxTodayFollowsTheDayOfEachTransition() throws {
        let fixture = try WorkflowFixture()
        try fixture.write("workflows/mini.lua", Self.forward(guard: "return ctx.today ~= nil",
                                                             onEnter: #"ctx.notify{ to = "role:sekretariat", key = "hari:" .. a.id, subject = tostring(ctx.today), body = "-" }"#))
        let first = try fixture.agreement(number: "T/1/2027"), second = try fixture.agreement(number: "T/2/2027")
        let clock = MovingClock(try #require(ISO8601DateFormatter().date(from: "2027-03-01T09:00:00+07:00")))
        let actor = try fixture.workspace.actingUser(requested: "sari", osLogin: "tester")
        let session = try ScriptSession(workspace: fixture.workspace, actor: actor, clock: clock, limits: nil, output: { _ in }, log: { _, _ in })
        let engine = WorkflowEngine(workspace: fixture.workspace, session: session)
        for (id, day) in [(first, 0), (second, 1)] {
            clock.advance(days: day)
            try fixture.write(engine) { try engine.start(agreementId: id, actor: actor, in: $0) }
            try fixture.write(engine) { try engine.fire(agreementId: id, event: "maju", actor: actor, in: $0) }
        }
        let queued = try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }
        #expect(queued.map(\.message.subject).sorted() == ["2027-03-01", "2027-03-02"])
    }

    /// A transition reads an agreement's documents only when its event requires some; its guard,
    /// on_exit and on_enter still see them, read when first asked for.
    @Test func aTransitionThatRequiresNoDocumentStillShowsThemToItsFunctions() throws {
        let fixture = try WorkflowFixture()
        try fixture.write("workflows/mini.lua", Self.forward(
            guard: #"return #a.documents == 1, "the guard saw " .. #a.documents"#,
            onExit: #"assert(#a.documents == 1, "on_exit saw " .. #a.documents)"#,
            onEnter: #"ctx.notify{ to = "role:sekretariat", key = "dokumen", subject = #a.documents .. " " .. a.documents[1].kind, body = "-" }"#))
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        _ = try engine.session.eval("""
            agreements.get("T/1/2027"):attach{ kind = "kesepakatan_bersama", number = "KB/1", date = date("2027-02-01") }
            """)
        let actor = try #require(engine.session.actor)
        try fixture.write(engine) { try engine.start(agreementId: id, actor: actor, in: $0) }
        let entered = try fixture.write(engine) { try engine.fire(agreementId: id, event: "maju", actor: actor, in: $0) }
        #expect(entered == "pelaksanaan")
        let queued = try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }
        #expect(queued.map(\.message.subject) == ["1 kesepakatan_bersama"])
    }
}
