import Foundation
import Testing
@testable import ScriptHost

/// The summary's canonical text is written by hand, and must stay byte for byte what
/// JSONEncoder wrote: workspaces keep that text, and any difference would audit an unchanged file.
@Suite struct ConfigurationSummaryTests {
    static let summaries = [
        #"{"rules":{"clock_override":false,"kb_max_years":5,"pks_within_kb":true,"university_as_sinergi":false},"users":[]}"#,
        #"{"rules":{"clock_override":true,"kb_max_years":3,"pks_max_years":2,"pks_within_kb":false,"university_as_sinergi":true},"#
            + #""users":[{"id":"root","login":"root","roles":["admin"]},{"id":"sari","roles":[]},{"id":"x","login":"x","roles":["pd:DLH","tkksd"]}]}"#,
        #"{"agencies":{"DLH":"Dinas Lingkungan Hidup","dlh":"lower","PD10":"ten","PD2":"two","Ä":"umlaut","a/b":"slash \/ kept","":"empty"},"#
            + #""channels":{"ops":"https://example.org/hook?a=1&b=2","tab\tname":"quote \" back \\ ctl \u0001\u001f\b\f\n\r\t del \u007f","日本":"é 🎉"},"#
            + #""rules":{"clock_override":false,"kb_max_years":5,"pks_within_kb":true,"university_as_sinergi":false},"#
            + #""users":[{"id":"a\"b","login":"l\\m","roles":["r\u0000s"]}]}"#,
    ]

    @Test(arguments: summaries)
    func theCanonicalTextIsWhatJSONEncoderWrites(text: String) throws {
        let summary = try #require(ConfigurationSummary.decode(text))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(summary), as: UTF8.self)
        #expect(summary.json == expected)
        #expect(ConfigurationSummary.decode(summary.json) == summary)
    }
}
