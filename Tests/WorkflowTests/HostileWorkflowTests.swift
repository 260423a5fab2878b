import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store
import Testing
import Workflow

/// A hostile administrator's definitions and scripts against the engine: a fire whose error a
/// script swallows, actions that fire again, guards and routes that answer oddly. Each asserts
/// the contract — the error's class, nothing of the failed unit kept, the process alive.
@Suite struct HostileWorkflowTests {
    /// The fixture's `mini` (its source passed through `edit`) with its agreement started in
    /// `penyusunan_kb`, whose `kb_ditandatangani` enters `pelaksanaan` (running `onEnter`), and
    /// an engine acting as `sari`, who may fire it.
    func started(onEnter: String = "", configuration: String = "", edit: (String) -> String = { $0 })
        throws -> (WorkflowFixture, Int64, WorkflowEngine) {
        let fixture = try WorkflowFixture(onEnter: onEnter, configuration: configuration)
        try fixture.write("workflows/mini.lua", edit(WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: onEnter)))
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, at: "penyusunan_kb", actor: try actor(engine), in: $0) }
        return (fixture, id, engine)
    }

    func fire(_ engine: WorkflowEngine, _ fixture: WorkflowFixture, _ id: Int64, _ event: String = "kb_ditandatangani") throws {
        try fixture.write(engine) { try engine.fire(agreementId: id, event: event, actor: try actor(engine), in: $0) }
    }

    func isValidation(_ error: any Error) -> Bool { FailureReport(error, fallbackLocation: nil).errorClass == "validation" }

    func outbox(_ fixture: WorkflowFixture) throws -> Int {
        try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.count
    }

    func openTaskStates(_ fixture: WorkflowFixture, _ id: Int64) throws -> [String] {
        try fixture.workspace.database.read { try WorkflowStore().openTasks(agreementId: id, in: $0) }.map(\.state)
    }

    @Test func aFireWhoseErrorAScriptCatchesKeepsNoneOfItsWork() throws {
        let (fixture, id, engine) = try started(onEnter: """
            ctx.notify{ to = "role:sekretariat", subject = "masuk", key = "k1" }
            ctx.timer{ name = "x", days = 3, fire = "selesai" }
            a:update{ title = "diubah" }
            error("gagal di on_enter")
            """)
        let result = try engine.session.run(source: """
            local a = agreements.get("T/1/2027")
            local ok, why = pcall(a.fire, a, "kb_ditandatangani")
            return ok, tostring(why), a.stage
            """, chunkName: "tangkap.lua")
        #expect(result.first == .boolean(false))
        #expect(result.dropFirst().first?.stringValue?.contains("gagal di on_enter") == true)
        // The script went on and committed; the fire it caught left nothing behind.
        #expect(result.last == .text("penyusunan_kb"))
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try fixture.stage(id) == "penyusunan_kb")
        #expect(try fixture.history(id).map(\.kind) == [.adopt])
        #expect(try openTaskStates(fixture, id) == ["penyusunan_kb"])
        #expect(try outbox(fixture) == 0)
        #expect(try fixture.workspace.database.read { try WorkflowStore().timers(of: id, in: $0) }.isEmpty)
        let title = try fixture.workspace.database.read { try fixture.workspace.agreements.agreement(id: id, in: $0)?.title }
        #expect(title == "Uji")
    }

    @Test func aNestedFireAnActionCatchesRollsBackAloneAndTheOuterOneCompletes() throws {
        // on_enter fires `selesai` (to the final pelaporan), whose entry fails; it catches that.
        let (fixture, id, engine) = try started(onEnter: """
            local ok = pcall(a.fire, a, "selesai")
            ctx.notify{ to = "role:sekretariat", subject = ok and "lolos" or "tertangkap", key = "k" }
            """, edit: { $0.replacingOccurrences(of: "pelaporan = { final = true }",
                                                with: "pelaporan = { final = true, on_enter = function() error('menolak') end }") })
        try fire(engine, fixture, id)
        #expect(try fixture.instance(id)?.state == "pelaksanaan")
        #expect(try fixture.stage(id) == "pelaksanaan")
        #expect(try fixture.history(id).map(\.kind) == [.adopt, .transition])
        let subjects = try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.map(\.message.subject)
        #expect(subjects == ["tertangkap"])
    }

    @Test(arguments: ["a:fire(\"selesai\")", "pcall(a.fire, a, \"selesai\")"])
    func anActionThatFiresItsOwnEntryAgainIsBounded(onEnter: String) throws {
        // selesai leads back into pelaksanaan, whose on_enter fires selesai again.
        let (fixture, id, engine) = try started(onEnter: onEnter, edit: {
            $0.replacingOccurrences(of: "selesai = { to = \"pelaporan\"", with: "selesai = { to = \"pelaksanaan\"")
        })
        if onEnter.hasPrefix("pcall") {
            // Each level catches the refusal of the one below: the loop ends at the depth bound.
            try fire(engine, fixture, id)
            #expect(try fixture.instance(id)?.state == "pelaksanaan")
            #expect(try fixture.history(id).map(\.kind) == [.adopt] + Array(repeating: .transition, count: 16))
        } else {
            #expect { try fire(engine, fixture, id) } throws: { isValidation($0) && "\($0)".contains("nested") }
            #expect(try fixture.instance(id)?.state == "penyusunan_kb")
            #expect(try fixture.history(id).map(\.kind) == [.adopt])
        }
    }

    @Test(arguments: [
        ("roles = { \"sekretariat\" },\n", "roles = { \"sekretariat\" }, guard = function(a) a:fire(\"kb_ditandatangani\") return true end,\n"),
        ("route = function(a) return", "route = function(a) a:fire(\"kb_ditandatangani\") return"),
        ("penyusunan_kb = { on = {", "penyusunan_kb = { on_exit = function(a) a:fire(\"kb_ditandatangani\") end, on = {"),
    ])
    func aGuardRouteOrOnExitThatFiresItsOwnEventFailsTheOuterFireAndKeepsNothing(text: String, replacement: String) throws {
        let (fixture, id, engine) = try started(edit: { $0.replacingOccurrences(of: text, with: replacement) })
        #expect { try fire(engine, fixture, id) } throws: { isValidation($0) }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
        #expect(try fixture.history(id).map(\.kind) == [.adopt])
    }

    @Test(arguments: [
        ("return false, string.rep('x', 4 << 20)", "refused"),
        ("return false, setmetatable({}, { __tostring = function() error('dipanggil') end })", "its guard refused"),
        ("return false, 42", "its guard refused"),
        ("return false, 'baris\\n\\27[31mmerah'", "refused"),
    ])
    func aGuardsOddReasonIsReportedShortAndWithoutItsMetamethods(guardBody: String, expected: String) throws {
        let (fixture, id, engine) = try started(edit: {
            $0.replacingOccurrences(of: "roles = { \"sekretariat\" },\n", with: "roles = { \"sekretariat\" }, guard = function(a) \(guardBody) end,\n")
        })
        #expect { try fire(engine, fixture, id) } throws: { error in
            let report = FailureReport(error, fallbackLocation: nil)
            return report.errorClass == "validation" && report.message.contains(expected) && report.text.utf8.count < 2000
                && !report.text.dropLast().contains("\n") && !report.text.contains("\u{1B}")
        }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
    }

    @Test(arguments: [
        "return setmetatable({}, { __tostring = function() error('dipanggil') end, __eq = function() return true end })",
        "return 42",
        "return string.rep('p', 4 << 20)",
        "return nil",
    ])
    func aRouteReturningNoStateIsAValidationErrorThatSaysWhatItGot(routeBody: String) throws {
        let (fixture, id, engine) = try started(edit: {
            $0.replacingOccurrences(of: "route = function(a) return a.needs_dprd_approval and \"persetujuan_dprd\" or \"pelaksanaan\" end",
                                    with: "route = function(a) \(routeBody) end")
        })
        #expect { try fire(engine, fixture, id) } throws: { error in
            let report = FailureReport(error, fallbackLocation: nil)
            return report.errorClass == "validation" && report.message.contains("must return one of") && report.message.utf8.count < 2000
                && report.message.contains("mini.lua:")
        }
        #expect(try fixture.instance(id)?.state == "penyusunan_kb")
    }

    @Test func ctxSettingsAnActionChangesAreNotSeenByTheNextTransition() throws {
        let (fixture, id, engine) = try started(onEnter: """
            ctx.notify{ to = "role:sekretariat", subject = ctx.settings.dprd_days .. "/" .. tostring(ctx.settings.baru), key = a.number }
            ctx.settings.dprd_days = "workdays"
            rawset(ctx.settings, "baru", "x")
            """)
        try fire(engine, fixture, id)
        let other = try fixture.agreement(number: "T/4/2027")
        try fixture.write(engine) { try engine.start(agreementId: other, at: "pelaksanaan", actor: try actor(engine), in: $0) }
        let subjects = try fixture.workspace.database.read { try Outbox().list(status: nil, in: $0) }.map(\.message.subject)
        #expect(subjects == ["days/nil", "days/nil"])
    }

    @Test func aDefinitionsTopLevelCannotWriteInTheUnitItIsFirstLoadedIn() throws {
        let (fixture, id, _) = try started()
        // A new version, first loaded inside the unit of the start below.
        try fixture.write("workflows/mini.lua", "agreements.get('T/1/2027'):update{ title = 'dari atas' }\n"
                          + WorkflowFixture.mini.replacingOccurrences(of: "ON_ENTER", with: ""))
        let other = try fixture.agreement(number: "T/2/2027")
        let engine = try fixture.engine(as: "sari")
        #expect { try fixture.write(engine) { try engine.start(agreementId: other, at: "penyusunan_kb", actor: try actor(engine), in: $0) } }
            throws: { error in
                let report = FailureReport(error, fallbackLocation: nil)
                return report.errorClass == "forbidden" && report.location?.hasSuffix("mini.lua:1") == true
            }
        let title = try fixture.workspace.database.read { try fixture.workspace.agreements.agreement(id: id, in: $0)?.title }
        #expect(title == "Uji")
        #expect(try fixture.instance(other) == nil)
    }

    @Test func anEventToAStateThatIsNotThereIsRefusedWhenFiredAndKeepsNothing() throws {
        let (fixture, _, engine) = try started(edit: { $0.replacingOccurrences(of: "selesai = { to = \"pelaporan\"", with: "selesai = { to = \"tidak_ada\"") })
        let id = try fixture.agreement(number: "T/5/2027")
        try fixture.write(engine) { try engine.start(agreementId: id, at: "pelaksanaan", actor: try actor(engine), in: $0) }
        #expect { try fire(engine, fixture, id, "selesai") } throws: { isValidation($0) && "\($0)".contains("tidak_ada, which is not a state") }
        #expect(try fixture.instance(id)?.state == "pelaksanaan")
        #expect(try fixture.history(id).map(\.kind) == [.adopt])
    }
}
