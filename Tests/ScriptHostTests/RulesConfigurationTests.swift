import Agreements
import LuaKit
import Testing
@testable import ScriptHost

/// `rules` in sinergi.lua: the law's five-year term is not among the choices (issue #8 §6).
@Suite struct RulesConfigurationTests {
    @Test func theShippedDefaultsAreTheLiteralReading() throws {
        let rules = try ScriptHostFixture().workspace.configuration.rules
        #expect(rules.kbMaxYears == 5 && rules.pksMaxYears == nil && !rules.pksWithinKb && rules.universityAsSinergi)
    }

    /// Permendagri 22/2020 Pasal 9(3), 32(3); Permendagri 25/2020 Pasal 32.
    @Test func kbMaxYearsMayShortenTheLawsFiveYearsButNotLengthenThem() throws {
        #expect(try ScriptHostFixture(extraConfiguration: "rules.kb_max_years = 3").workspace.configuration.rules.kbMaxYears == 3)
        do {
            _ = try ScriptHostFixture(extraConfiguration: "rules.kb_max_years = 6")
            Issue.record("a six-year limit was accepted")
        } catch let LuaError.callback(error, location) {
            #expect(error.message.hasPrefix("rules.kb_max_years: 6 is longer than the law allows"))
            #expect(location.map { $0.chunk.hasSuffix("/sinergi.lua") && $0.line > 1 } == true, "\(String(describing: location))")
        }
    }
}
