import Foundation
import Testing
@testable import Workflow

/// A field the engine never reads is a mistake `workflow check` names: a misspelled `guard`
/// would leave its event unguarded, a misspelled `on_enter` would never run.
@Suite struct WorkflowUnknownFieldTests {
    static let misspelled = """
        return {
          name = "salah_ketik", applies_to = { kind = "ksdd", subkind = "wajib" },
          initial = "persiapan", descripton = "x",
          states = {
            persiapan = {
              on = { kirim = { to = "penawaran", roles = { "admin" },
                               gaurd = function() return false, "belum" end } },
              on_entre = function() end,
            },
            penawaran = { final = true, deadline = { days = 3, fire = "kirim", hari = 2 } },
          },
        }
        """

    @Test func eachUnreadFieldIsNamedAtItsLineWithTheFieldItResembles() throws {
        let fixture = try CheckerWorkspace(files: ["salah_ketik.lua": Self.misspelled])
        let messages = try fixture.check("salah_ketik").filter { $0.problem.message.contains("never read") }
            .map { ($0.problem.line ?? 0, $0.problem.message) }
        func at(_ marker: String) throws -> Int { try line(of: marker, in: Self.misspelled) }
        #expect(messages.map(\.0) == [try at("subkind"), try at("descripton"), try at("gaurd"), try at("on_entre"), try at("hari")])
        #expect(messages[2].1.hasPrefix("event kirim of persiapan has a field 'gaurd' that is never read (did you mean guard?)"))
        #expect(messages[3].1.hasPrefix("state persiapan has a field 'on_entre' that is never read (did you mean on_enter?)"))
        #expect(messages[0].1.hasPrefix("applies_to has a field 'subkind'"))
        #expect(messages[1].1.hasPrefix("the definition has a field 'descripton'"))
        #expect(messages[4].1.hasPrefix("the deadline of penawaran has a field 'hari'"))
        #expect(!(try fixture.check("salah_ketik")).contains { $0.isWarning })
    }

    /// An unread field fails the check but does not stop an instance on that version: it ran
    /// before the check named such fields, and the field was never read.
    @Test func anUnreadFieldDoesNotStopAVersionFromRunning() throws {
        let fixture = try CheckerWorkspace(files: ["salah_ketik.lua": Self.misspelled])
        let workflow = try fixture.catalog.current("salah_ketik")
        #expect(workflow.problems.count == 5)
        try WorkflowCatalog.requireRunnable(workflow)
    }

    @Test func theShippedDefinitionsReadEveryFieldTheyWrite() throws {
        let fixture = try CheckerWorkspace(sample: true, files: [:])
        for name in fixture.catalog.names() {
            #expect(try fixture.catalog.current(name).problems.isEmpty, "\(name)")
        }
    }
}
