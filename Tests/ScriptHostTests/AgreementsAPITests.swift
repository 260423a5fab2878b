import Agreements
import Foundation
import LuaKit
import Store
import Testing
@testable import ScriptHost

/// The Lua API on a real workspace: one transaction per run, validation from Lua, dates.
@Suite struct AgreementsAPITests {
    static let create = """
        return agreements.create{
          number = "180/1/2027", title = "Pengelolaan sampah", kind = "ksdd", subkind = "sukarela",
          lead_agency = "Dinas Lingkungan Hidup", value = 150000000,
          parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } },
          membebani_masyarakat = true, starts_on = date("2027-01-01"), ends_on = date("2031-12-31") }
        """

    @Test func createThenReadBackEveryField() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(Self.create)
        let results = try fixture.eval("""
            local a = agreements.get("180/1/2027")
            return a.title, a.kind, a.subkind, a.value, tostring(a.ends_on), a.needs_dprd_approval,
                   a.parties[1].name, a.stage, a.status, agreements.get(a.id).number, agreements.get("nope")
            """)
        #expect(results == [.text("Pengelolaan sampah"), .text("ksdd"), .text("sukarela"), .integer(150_000_000),
                            .text("2031-12-31"), .boolean(true), .text("Pemerintah Kabupaten Probolinggo"),
                            .text("persiapan"), .text("draft"), .text("180/1/2027"), .nil])
    }

    /// An id given as a float with a whole value is that id, as a Lua table takes it; one with a
    /// fraction, or past the integers, names no agreement.
    @Test func getTakesAWholeFloatAsItsId() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(Self.create)
        let results = try fixture.eval("""
            local id = agreements.get("180/1/2027").id
            return agreements.get(id + 0.0).number, agreements.get(id * 2 / 2).number, agreements.get(id + 0.5),
                   agreements.get(2^63), agreements.get(tostring(id)).number
            """)
        #expect(results == [.text("180/1/2027"), .text("180/1/2027"), .nil, .nil, .text("180/1/2027")])
    }

    @Test func validationErrorsComeBackWithTheScriptLine() throws {
        let fixture = try ScriptHostFixture()
        do {
            _ = try fixture.session().run(source: """
                local x = 1
                agreements.create{ number = "1", title = "t", kind = "ksdd", subkind = "sukarela", lead_agency = "DLH",
                  starts_on = date("2027-01-01"), ends_on = date("2033-01-01") }
                """, chunkName: "bad.lua")
            Issue.record("no error")
        } catch let LuaError.callback(host, location) {
            #expect(location == LuaLocation(chunk: "bad.lua", line: 2))
            guard case let DomainError.validation(message) = host.error else { Issue.record("\(host.error)"); return }
            #expect(message.contains("Permendagri 22/2020 Pasal 9(3)"))
        }
        #expect(try fixture.eval("return agreements.count{}") == [.integer(0)])
    }

    @Test func aFailingScriptRollsBackEverythingItWrote() throws {
        let fixture = try ScriptHostFixture()
        #expect(throws: LuaError.self) {
            _ = try fixture.session().run(source: Self.create.replacingOccurrences(of: "return ", with: "") + "\nerror('later failure')",
                                          chunkName: "partial.lua")
        }
        #expect(try fixture.eval("return agreements.count{}") == [.integer(0)])
        // The one row left is the workspace's first load of sinergi.lua, from before the run.
        let audit = try fixture.workspace.database.read { try AuditLog.entries(in: $0) }
        #expect(audit.filter { $0.entity == "agreement" }.isEmpty)
    }

    @Test func readOnlySessionsRefuseWritesAndChangeNothing() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(Self.create)
        do {
            _ = try fixture.session(readOnly: true).eval("agreements.get('180/1/2027'):update{ title = 'x' }")
            Issue.record("no error")
        } catch let LuaError.callback(host, _) {
            #expect(host.message.contains("read-only"))
            #expect(host.message.contains("--write"))
        }
        #expect(try fixture.eval("return agreements.get('180/1/2027').title") == [.text("Pengelolaan sampah")])
    }

    @Test func updateValidatesAndKeepsTheHandleCurrent() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(Self.create)
        let results = try fixture.eval("""
            local a = agreements.get("180/1/2027")
            a:update{ title = "Baru", stage = "penawaran" }
            local ok, err = pcall(function() a:update{ titel = "typo" } end)
            return a.title, a.stage, ok, tostring(err)
            """)
        #expect(results.prefix(3) == [.text("Baru"), .text("penawaran"), .boolean(false)])
        #expect(results[3].stringValue?.contains("did you mean title?") == true)
        #expect(try fixture.eval("return agreements.get('180/1/2027').title") == [.text("Baru")])
    }

    @Test func fieldsAreReadOnlyOutsideUpdate() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval(Self.create)
        #expect(throws: LuaError.self) { _ = try fixture.eval("agreements.get('180/1/2027').title = 'x'") }
    }

    @Test func findFiltersAndIteratesLazilyAcrossPages() throws {
        let fixture = try ScriptHostFixture(sample: true)
        let results = try fixture.eval("""
            local n, ksdpk = 0, agreements.find{ kind = "ksdpk" }
            for a in ksdpk do n = n + 1 end
            local again = 0
            for a in ksdpk do again = again + 1 end
            return n, #ksdpk, again, ksdpk[1].kind, ksdpk[100], agreements.count{ kind = "ksdd" },
                   #agreements.find{ party = "Pemerintah Kabupaten Probolinggo" },
                   #agreements.find{ status = "active", expires_before = today() + 60 }
            """)
        #expect(results == [.integer(6), .integer(6), .integer(6), .text("ksdpk"), .nil, .integer(4), .integer(2), .integer(2)])
        #expect(throws: LuaError.self) { _ = try fixture.eval("return agreements.find{ knd = 'ksdd' }") }
    }

    /// A list prints as the call that made it, not as Swift's description of its filter.
    @Test func aListPrintsAsTheFindThatMadeIt() throws {
        let fixture = try ScriptHostFixture(sample: true)
        let printed = try fixture.session().eval("""
            tostring(agreements.find{ kind = "ksdpk", needs_dprd = true, expires_before = date("2027-01-01") })
            """)
        #expect(printed.first?.stringValue == #"agreements.find{ kind = "ksdpk", expires_before = "2027-01-01", needs_dprd = true }"#)
    }

    @Test func listsLongerThanAPageIterateCompletely() throws {
        let fixture = try ScriptHostFixture()
        _ = try fixture.eval("""
            for i = 1, 600 do
              agreements.create{ number = "N/" .. i, title = "t" .. i, kind = "ksdpk", lead_agency = "Bappeda" }
            end
            """)
        let results = try fixture.eval("""
            local n, last = 0, nil
            local list = agreements.find{ kind = "ksdpk" }
            for a in list do n = n + 1; last = a.number end
            return n, last, list[257].number, list[3].number, #list
            """)
        #expect(results == [.integer(600), .text("N/600"), .text("N/257"), .text("N/3"), .integer(600)])
    }

    @Test func datesCompareSubtractAndAddWorkdays() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: #"holidays { "2026-12-07" }"#)
        let results = try fixture.eval("""
            local d = date("2026-12-04")
            return today() - d, tostring(d + 1), tostring(d + workdays(1)), d < today(), d == date("2026-12-04"),
                   d.weekday, tostring(d - 3), days(30), "on " .. d
            """)
        #expect(results == [.integer(-4), .text("2026-12-05"), .text("2026-12-08"), .boolean(false), .boolean(true),
                            .integer(5), .text("2026-12-01"), .integer(30), .text("on 2026-12-04")])
        #expect(throws: LuaError.self) { _ = try fixture.eval("return date('2026-02-30')") }
    }

    @Test func documentsAttachWithTheirHash() throws {
        let fixture = try ScriptHostFixture()
        try "isi PKS".write(to: fixture.folder.appendingPathComponent("pks.txt"), atomically: true, encoding: .utf8)
        _ = try fixture.eval(Self.create)
        let results = try fixture.eval("""
            local a = agreements.get("180/1/2027")
            a:attach{ kind = "pks", number = "PKS/7", date = date("2027-02-01"), file = "pks.txt", signatories = { "Wali Kota" } }
            local d = a:document("pks")
            return d.number, tostring(d.date), d.sha256, #a.documents, a:document("kak")
            """)
        #expect(results.prefix(2) == [.text("PKS/7"), .text("2027-02-01")])
        #expect(results[2] == .text("d9eb15822205c77fa3606221502cd8e2eb5a3e20d4c2bdf89ef6600be402fbd2"))  // sha256 of "isi PKS"
        #expect(results[3] == .integer(1))
        #expect(results[4] == .nil)
    }

    /// Scripts address an agency's staff by the short name sinergi.lua gives it (`role:pd:DLH`).
    @Test func agencyFindsAListedPerangkatDaerahByEitherName() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: """
            perangkat_daerah { { short = "DLH", name = "Dinas Lingkungan Hidup" } }
            """)
        let results = try fixture.eval("""
            local a, b = agreements.agency("dinas lingkungan hidup"), agreements.agency("dlh")
            return a.short, a.name, b.short, agreements.agency("Dinas Perhubungan")
            """)
        #expect(results == [.text("DLH"), .text("Dinas Lingkungan Hidup"), .text("DLH"), .nil])
    }

    /// Scripts read the workflows' settings so that a reminder counts a period as its timer does.
    @Test func workflowSettingsAreReadableFromScripts() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: #"workflows = { dprd_days = "workdays", auto_start = false }"#)
        #expect(try fixture.eval("local s = workflows.settings() return s.dprd_days, s.dprd_first_day, s.auto_start")
                == [.text("workdays"), .nil, .nil])
        #expect(try ScriptHostFixture().eval("return next(workflows.settings())") == [.nil])
    }

    @Test func permissionsFollowTheActingUsersRoles() throws {
        let fixture = try ScriptHostFixture(extraConfiguration: """
            users { { id = "budi", name = "Budi", roles = { "pd:Dinas Perhubungan" } } }
            """)
        do {
            _ = try fixture.session(as: "budi").eval(Self.create)
            Issue.record("no error")
        } catch let LuaError.callback(host, _) {
            guard case DomainError.permission = host.error else { Issue.record("\(host.error)"); return }
        }
    }

    /// A table graph that shares itself (2^40 paths, 40 tables) is refused at the depth a field
    /// can hold, never expanded; a function or another object names what the field expects.
    @Test func hostileFieldValuesAreRefusedWithoutExpandingThem() throws {
        let fixture = try ScriptHostFixture()
        let start = Date()
        let results = try fixture.eval("""
            local g = {} for i = 1, 40 do g = { g, g } end
            local base = { number = "S/1", title = "t", kind = "sinergi", lead_agency = "Bappeda" }
            local function try(field, value)
              local fields = {} for k, v in pairs(base) do fields[k] = v end
              fields[field] = value
              local ok, err = pcall(agreements.create, fields)
              return tostring(err)
            end
            return try("third_parties", g), try("parties", g), try("title", print), try("ends_on", agreements.find{})
            """)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(results[0].stringValue?.contains("third_parties: nested too deeply") == true, "\(results[0])")
        #expect(results[1].stringValue?.contains("parties: nested too deeply") == true, "\(results[1])")
        #expect(results[2].stringValue?.contains("title: expected text, got a function") == true, "\(results[2])")
        #expect(results[3].stringValue?.contains("ends_on: expected a date (YYYY-MM-DD), got agreement list") == true, "\(results[3])")
        #expect(try fixture.eval("return agreements.count{}") == [.integer(0)])
    }
}
