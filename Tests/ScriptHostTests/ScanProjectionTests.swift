import Foundation
import LuaKit
import Testing
@testable import ScriptHost

/// A long scan loads, after its first page, only the fields the script read there; anything
/// else a script asks of such a handle — another field, printing it, updating it — sees the whole
/// record, never a placeholder.
@Suite struct ScanProjectionTests {
    static func fixture() throws -> ScriptHostFixture {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval("""
            for i = 1, 600 do
              agreements.create{ number = "N/" .. i, title = "judul " .. i, kind = "ksdpk", lead_agency = "Bappeda",
                                 scope = "lingkup " .. i, value = i * 1000,
                                 parties = { { name = "Mitra " .. i, kind = "ormas" } } }
            end
            """)
        return fixture
    }

    @Test func handlesFromALaterPageAnswerEveryFieldFromTheWholeRecord() throws {
        let fixture = try Self.fixture()
        let results = try fixture.eval("""
            local seen, late = 0, nil
            for a in agreements.find{} do
              if a.value and a.number then seen = seen + 1 end
              if a.number == "N/500" then late = a end
            end
            return seen, late.value, late.title, late.scope, late.parties[1].name, late.needs_dprd_approval,
                   tostring(late)
            """)
        #expect(results == [.integer(600), .integer(500_000), .text("judul 500"), .text("lingkup 500"), .text("Mitra 500"),
                            .boolean(false), .text(#"ksdpk N/500 "judul 500" — persiapan"#)])
    }

    @Test func updatingAHandleFromAProjectedPageKeepsTheFieldsItDidNotLoad() throws {
        let fixture = try Self.fixture()
        _ = try fixture.eval("""
            for a in agreements.find{} do
              if a.value and a.number == "N/400" then a:update{ value = 1 } end
            end
            """)
        let after = try fixture.eval("local a = agreements.get('N/400') return a.value, a.title, a.scope, a.lead_agency, #a.parties")
        #expect(after == [.integer(1), .text("judul 400"), .text("lingkup 400"), .text("Bappeda"), .integer(1)])
    }
}
