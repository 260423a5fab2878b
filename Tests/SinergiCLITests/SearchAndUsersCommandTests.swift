import Foundation
import Testing

/// Search as the office thinks (issue #9 §5) and users checked (§6), end to end.
@Suite struct SearchAndUsersCommandTests {
    /// The sample workspace with `text` appended to its `sinergi.lua`.
    static func sample(appending text: String) throws -> WorkspaceCommandTests.Sample {
        let sample = try WorkspaceCommandTests.Sample()
        let file = sample.folder.appendingPathComponent("sinergi.lua")
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + text + "\n").utf8))
        try handle.close()
        return sample
    }

    static func count(_ result: CLI.Result) -> Int { result.stdout.split(separator: "\n").count - 1 }

    @Test func aPartOfAPartyNameInAnyCaseFindsIt() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let exact = try sample.run(["agreement", "list", "--party", "Pemerintah Kabupaten Probolinggo", "--format", "csv"])
        let part = try sample.run(["agreement", "list", "--party", "kabupaten PROBOLINGGO", "--format", "csv"])
        #expect(Self.count(exact) == 2 && part.stdout == exact.stdout, "\(part.stdout)")
        #expect(try sample.run(["eval", "return agreements.count{ party = 'probolinggo' }"]).stdout
                == sample.run(["eval", "return agreements.count{ party = '%Probolinggo%' }"]).stdout)
        #expect(try sample.run(["eval", "return agreements.count{ party = 'tidak_ada' }"]).stdout == "0\n")
    }

    @Test func expiresWithinCountsTheLastDayAndSoDoesTheShippedScript() throws {
        let sample = try Self.sample(appending: "testing = { clock_override = true }")
        let added = try sample.run(["agreement", "add", "--number", "E/1", "--title", "Uji", "--kind", "ksdpk", "--lead-agency", "Bappeda",
                                    "--party", "perguruan_tinggi:Universitas Uji", "--set", "starts_on=2026-01-01",
                                    "--set", "ends_on=2027-01-31", "--set", "status=active"])
        #expect(added.status == 0, "\(added.stderr)")
        let within30 = try sample.run(["agreement", "list", "--expires-within", "30", "--now", "2027-01-01", "--format", "csv"])
        #expect(within30.stdout.contains("\nE/1,"), "\(within30.stderr)")
        let within29 = try sample.run(["agreement", "list", "--expires-within", "29", "--now", "2027-01-01", "--format", "csv"])
        #expect(!within29.stdout.contains("\nE/1,"))
        let script = try sample.run(["run", "--now", "2027-01-01", "scripts/expiring.lua", "30"])
        #expect(script.stdout.contains("E/1"), "\(script.stdout)\(script.stderr)")
        #expect(try sample.run(["agreement", "list", "--expires-within", "-1"]).status != 0)
    }

    @Test func needsDprdSplitsTheRegister() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let yes = Self.count(try sample.run(["agreement", "list", "--needs-dprd", "--format", "csv"]))
        let no = Self.count(try sample.run(["agreement", "list", "--no-needs-dprd", "--format", "csv"]))
        #expect(yes > 0 && no > 0 && yes + no == 12)
        #expect(try sample.run(["eval", "return agreements.count{ needs_dprd = true }"]).stdout == "\(yes)\n")
        let lua = try sample.run(["eval", "local n = 0 for a in agreements.find{} do if a.needs_dprd_approval then n = n + 1 end end return n"])
        #expect(lua.stdout == "\(yes)\n")
    }

    /// (The sample lists DLH already; a second short name for the same agency is added here.)
    @Test func aShortAgencyNameWorksWhereverALeadAgencyDoes() throws {
        let sample = try Self.sample(appending: """
            perangkat_daerah { { short = "LH", name = "Dinas Lingkungan Hidup" } }
            users { { id = "dlh", name = "Staf DLH", roles = { "pd:LH" } } }
            """)
        let full = try sample.run(["agreement", "list", "--lead-agency", "Dinas Lingkungan Hidup", "--format", "csv"])
        #expect(Self.count(full) > 0)
        #expect(try sample.run(["agreement", "list", "--lead-agency", "lh", "--format", "csv"]).stdout == full.stdout)
        #expect(try sample.run(["eval", "return agreements.count{ lead_agency = 'LH' }"]).stdout == "\(Self.count(full))\n")
        let added = try sample.run(["agreement", "add", "--number", "D/1", "--title", "Uji", "--kind", "ksdpk", "--lead-agency", "LH",
                                    "--party", "perguruan_tinggi:Universitas Uji", "--as", "dlh", "--format", "json"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["lead_agency"] as? String
                == "Dinas Lingkungan Hidup")
        #expect(try sample.run(["agreement", "edit", "D/1", "--set", "lead_agency=Bappeda", "--as", "dlh"]).status == 6)
        let log = try sample.run(["audit", "log", "--format", "json", "--limit", "100"])
        let entries = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]] ?? []
        let configured = entries.filter { $0["action"] as? String == "configure" }.flatMap { $0["changes"] as? [String] ?? [] }
        #expect(configured.contains("perangkat_daerah LH: none → Dinas Lingkungan Hidup"), "\(configured)")
    }

    @Test func rolesAreBuiltInOrDeclaredAndUserIdsUnique() throws {
        let unknown = try Self.sample(appending: "users { { id = \"ani\", name = \"Ani\", roles = { \"bappeda\" } } }")
        let refused = try unknown.run(["agreement", "list"])
        #expect(refused.status == 7)
        #expect(refused.firstErrorLine.hasPrefix("error[validation]: ") && refused.firstErrorLine.contains("sinergi.lua:"), "\(refused.stderr)")
        #expect(refused.firstErrorLine.contains(": users: ani has role 'bappeda', which is neither built in"))

        let declared = try Self.sample(appending: "users { { id = \"ani\", name = \"Ani\", roles = { \"bappeda\" } } }\nroles { \"bappeda\" }")
        let list = try declared.run(["user", "list", "--format", "csv"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.hasPrefix("id,name,login,roles\n") && list.stdout.contains("\nani,Ani,,bappeda\n"), "\(list.stdout)")
        #expect(list.stdout.contains("\nsari,"))

        let twice = try Self.sample(appending: "users { { id = \"sari\", name = \"Sari lagi\", roles = { \"admin\" } } }")
        let duplicate = try twice.run(["user", "list"])
        #expect(duplicate.status == 7)
        #expect(duplicate.firstErrorLine.hasSuffix("users: the id sari is declared twice"), "\(duplicate.stderr)")
    }
}
