import Agreements
import Foundation
import Store
import Testing
import Workflow

/// Ending an agreement by a transition: the state sets `terminated` and its `on_enter` records the
/// ground, which the rules refuse before the agreement has ended (PP 28/2018 Pasal 9, 22).
@Suite struct WorkflowEndingTests {
    /// A track in force with an ending; `RECORD` is the ending state's on_enter body.
    static let ending = """
        return {
          name = "ujung", title = "Ujung", applies_to = { kind = "ksdd" }, initial = "berjalan",
          states = {
            berjalan = { stage = "pelaksanaan", status = "active",
                         on = { diakhiri = { to = "berakhir", roles = { "sekretariat" } } } },
            berakhir = { stage = "pelaporan", status = "terminated", final = true,
                         on_enter = function(a, ctx) RECORD end },
          },
        }
        """

    func running(_ record: String) throws -> (WorkflowFixture, WorkflowEngine, Int64) {
        let fixture = try WorkflowFixture()
        try fixture.write("workflows/ujung.lua", Self.ending.replacingOccurrences(of: "RECORD", with: record))
        let id = try fixture.agreement()
        let engine = try fixture.engine(as: "sari")
        try fixture.write(engine) { try engine.start(agreementId: id, workflow: "ujung", at: "berjalan", actor: try actor(engine), in: $0) }
        return (fixture, engine, id)
    }

    func stored(_ fixture: WorkflowFixture, _ id: Int64) throws -> Agreement? {
        try fixture.workspace.database.read { try fixture.workspace.agreements.agreement(id: id, in: $0) }
    }

    @Test func theEndingStateRecordsTheGroundItsOnEnterNames() throws {
        let (fixture, engine, id) = try running("a:update{ ending_ground = ctx.note }")
        let state = try fixture.write(engine) {
            try engine.fire(agreementId: id, event: "diakhiri", note: "tujuan_tercapai", actor: try actor(engine), in: $0)
        }
        #expect(state == "berakhir")
        let agreement = try stored(fixture, id)
        #expect(agreement?.status == .terminated)
        #expect(agreement?.endingGround == .tujuan_tercapai)
        #expect(agreement?.stage == "pelaporan")
    }

    @Test(arguments: [("", "say why it ended"), ("a:update{ ending_ground = \"pailit\" }", "pailit does not end a ksdd")])
    func anEndingWithoutAValidGroundChangesNothing(record: String, message: String) throws {
        let (fixture, engine, id) = try running(record)
        #expect { try fixture.write(engine) { try engine.fire(agreementId: id, event: "diakhiri", actor: try actor(engine), in: $0) } }
            throws: { "\($0)".contains(message) }
        #expect(try fixture.instance(id)?.state == "berjalan")
        let agreement = try stored(fixture, id)
        #expect(agreement?.status == .active)
        #expect(agreement?.endingGround == nil)
    }
}
