import Foundation
import Testing

/// `workflow check` and `workflow graph` through the binary (issue 10 §5): a broken copy fails
/// with exit 7 and file:line, a sound one prints its summary; the graph in both formats, and
/// where an agreement stands on the version it is pinned to; `--format mermaid` elsewhere is a
/// usage mistake.
@Suite struct WorkflowCheckCommandTests {
    static let sound = """
        return {
          name = "kecil",
          applies_to = { kind = "ksdd" },
          initial = "persiapan",
          states = {
            persiapan = { on = { ajukan = { to = "penawaran", roles = { "pd" } } } },
            penawaran = {
              deadline = { days = 30, fire = "tanpa_balasan" },
              on = {
                dibalas = { to = "penyusunan_kb", roles = { "kepala_daerah" } },
                tanpa_balasan = { to = "pelaporan" },
              },
            },
            penyusunan_kb = { on = { selesai = { to = "pelaporan", roles = { "tkksd" } } } },
            pelaporan = { final = true },
          },
        }
        """

    /// A copy with a misspelt target and a role nobody declared.
    static let broken = sound.replacingOccurrences(of: "kecil", with: "rusak")
        .replacingOccurrences(of: "to = \"penyusunan_kb\"", with: "to = \"penyusunan_kbb\"")
        .replacingOccurrences(of: "roles = { \"tkksd\" }", with: "roles = { \"tkksd\", \"bupati\" }")

    @Test func aBrokenCopyFailsWithExitSevenAndFileLine() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        _ = try CLI.write(Self.broken, to: "workflows/rusak.lua", in: sample.folder)
        let result = try CLI.run(["workflow", "check", "rusak"], in: sample.folder)
        #expect(result.status == 7)
        #expect(result.stdout == """
            workflows/rusak.lua:10: event dibalas of penawaran goes to penyusunan_kbb, which is not a state \
            (states: persiapan, penawaran, pelaporan, penyusunan_kb)
            workflows/rusak.lua:14: event selesai of penyusunan_kb names the role bupati, which is neither built in \
            (admin, pd, tkksd, sekretariat, hukum, sekda, kepala_daerah, dprd_pimpinan, dprd_komisi, provinsi, pd:NAME) \
            nor declared in sinergi.lua's roles { … }
            workflows/rusak.lua:14: state penyusunan_kb cannot be reached from the initial state persiapan: no event of a reachable state leads to it

            """, "\(result.stdout)")
        #expect(result.stderr == "error[validation]: workflow check: 3 errors in rusak (each listed on standard output as file:line)\n")
        // The same file named by its path, from elsewhere: its full path.
        let path = sample.folder.appendingPathComponent("workflows/rusak.lua").path
        let byPath = try sample.run(["workflow", "check", path])
        #expect(byPath.status == 7)
        #expect(byPath.stdout.hasPrefix("\(path):10: event dibalas of penawaran goes to penyusunan_kbb"), "\(byPath.stdout)")
        // A file Lua cannot read is a defect at its line too.
        _ = try CLI.write("return {\n  name = \n", to: "workflows/patah.lua", in: sample.folder)
        let syntax = try CLI.run(["workflow", "check", "patah"], in: sample.folder)
        #expect(syntax.status == 7)
        #expect(syntax.stdout.hasPrefix("workflows/patah.lua:3: "), "\(syntax.stdout)")
    }

    @Test func aSoundDefinitionPrintsItsSummary() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        _ = try CLI.write(Self.sound, to: "workflows/kecil.lua", in: sample.folder)
        let result = try sample.run(["workflow", "check", "kecil"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.range(of: #"^ok  kecil  \(4 states, 4 events, version [0-9a-f]{12}\)\n$"#, options: .regularExpression) != nil,
                "\(result.stdout)")
        let json = try sample.run(["workflow", "check", "kecil", "--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.first?["ok"] as? Bool == true)
        #expect((objects.first?["problems"] as? [Any])?.isEmpty == true)
        let missing = try sample.run(["workflow", "check", "tidak_ada"])
        #expect(missing.status == 8)
    }

    /// A definition's top level may not read the data (README): `check` and `graph` evaluate it
    /// as `start` does, and say so at its file and line.
    @Test func aDefinitionWhoseTopLevelReadsIsRefusedByCheckAndGraph() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        _ = try CLI.write("local known = agreements.count{}\n" + Self.sound, to: "workflows/kecil.lua", in: sample.folder)
        let checked = try sample.run(["workflow", "check", "kecil"])
        #expect(checked.status == 7, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("workflows/kecil.lua:1: a workflow definition's top level only builds its table: "
                                        + "it cannot read agreements, tasks or workflow state"), "\(checked.stdout)")
        let drawn = try sample.run(["workflow", "graph", "kecil"])
        #expect(drawn.status == 5, "\(drawn.stderr)")
        #expect(drawn.firstErrorLine.hasSuffix("kecil.lua:1: a workflow definition's top level only builds its table: it cannot read "
                                               + "agreements, tasks or workflow state (do it in a guard, a route or an action, which get a and ctx)"))
    }

    /// A lib module two definitions require has its warning said once, before the first's ok.
    @Test func aSharedLibModulesWarningIsSaidOnce() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        let configuration = sample.folder.appendingPathComponent("sinergi.lua")
        try (try String(contentsOf: configuration, encoding: .utf8) + "\ntesting = { clock_override = true }\n")
            .write(to: configuration, atomically: true, encoding: .utf8)
        _ = try CLI.write("""
            local M = {}
            function M.start(a, ctx) ctx.timer{ name = "lama", workdays = 45, fire = "dianggap_setuju" } end
            return M
            """, to: "workflows/lib/bersama.lua", in: sample.folder)
        for name in ["satu", "dua"] {
            _ = try CLI.write("""
                local bersama = require("bersama")
                return {
                  name = "\(name)", applies_to = { kind = "ksdll" }, initial = "persetujuan_dprd",
                  states = {
                    persetujuan_dprd = { on_enter = bersama.start, on = { dianggap_setuju = { to = "verifikasi" } } },
                    verifikasi = { final = true },
                  },
                }
                """, to: "workflows/\(name).lua", in: sample.folder)
        }
        let result = try CLI.run(["workflow", "check", "--now", "2027-12-01T08:00:00+07:00"], in: sample.folder)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("workflows/lib/bersama.lua") || $0.hasPrefix("ok  satu") || $0.hasPrefix("ok  dua") }
        #expect(lines.count == 3, "\(result.stdout)")
        #expect(lines.first?.hasPrefix("workflows/lib/bersama.lua:2: warning: a timer counts 45 hari kerja, which from 2027-12-01 "
                                        + "can run until 2028-03-03; sinergi.lua's holidays { … } lists none for 2028") == true, "\(result.stdout)")
        #expect(lines.dropFirst().map { $0.prefix(12) } == ["ok  dua  (2 ", "ok  satu  (2"])
    }

    @Test func graphDrawsMermaidByDefaultAndDotOnRequest() throws {
        let sample = try WorkspaceCommandTests.Sample(sample: false)
        _ = try CLI.write(Self.sound, to: "workflows/kecil.lua", in: sample.folder)
        let mermaid = try sample.run(["workflow", "graph", "kecil"])
        #expect(mermaid.status == 0, "\(mermaid.stderr)")
        let body = mermaid.stdout.split(separator: "\n").dropFirst().joined(separator: "\n")
        #expect(mermaid.stdout.hasPrefix("%% kecil (version "))
        #expect(body == """
            flowchart TD
                start((" ")) --> s_persiapan
                s_persiapan["persiapan"]
                s_penawaran["penawaran"]
                s_penyusunan_kb["penyusunan_kb"]
                s_pelaporan(["pelaporan"])
                s_persiapan -->|"ajukan [pd]"| s_penawaran
                s_penawaran -->|"dibalas [kepala_daerah]"| s_penyusunan_kb
                s_penawaran -.->|"tanpa_balasan (30 days)"| s_pelaporan
                s_penyusunan_kb -->|"selesai [tkksd]"| s_pelaporan
                classDef final stroke-width:3px
                class s_pelaporan final
            """)
        let dot = try sample.run(["workflow", "graph", "kecil", "--format", "dot"])
        #expect(dot.status == 0)
        #expect(dot.stdout.contains("    s_penawaran -> s_pelaporan [label=\"tanpa_balasan (30 days)\", style=dashed];\n"))
        #expect(dot.stdout.hasSuffix("}\n"))
        let json = try sample.run(["workflow", "graph", "kecil", "--format", "json"])
        #expect(json.status == 7)
        #expect(json.firstErrorLine == "error[validation]: --format json: this command writes mermaid, dot")
        // Elsewhere a diagram format is a usage mistake, refused before anything is opened.
        let list = try sample.run(["agreement", "list", "--format", "mermaid"])
        #expect(list.status == 64)
        #expect(list.stderr.contains("--format mermaid: only `sinergi workflow graph` draws diagrams"), "\(list.stderr)")
        #expect(try sample.run(["eval", "--format", "dot", "return 1"]).status == 64)
        // …commands that open no workspace too: nothing is created.
        let elsewhere = sample.folder.deletingLastPathComponent().appendingPathComponent("lain")
        #expect(try CLI.run(["init", elsewhere.path, "--format", "dot"]).status == 64)
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
    }

    /// An agreement started on an earlier version of the file is drawn on that version, its
    /// state highlighted: `init --sample` puts the sample set on its tracks, then the track is
    /// edited (the agreement's state renamed in ksdd.lua and in the lib module that builds the
    /// states after signing, lib/masa_berlaku.lua).
    @Test func graphHighlightsAnAgreementOnItsPinnedVersion() throws {
        let sample = try WorkspaceCommandTests.Sample()
        let number = "CONTOH/001/KSDD/2025"
        let state = try sample.run(["eval", "return agreements.get(\"\(number)\"):workflow().state"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!state.isEmpty)
        for path in ["workflows/ksdd.lua", "workflows/lib/masa_berlaku.lua"] {
            let file = sample.folder.appendingPathComponent(path)
            let source = try String(contentsOf: file, encoding: .utf8)
            let renamed = source.replacingOccurrences(of: "\\b\(state)\\b", with: state + "_baru", options: .regularExpression)
            #expect(renamed != source, "\(path) names no \(state)")
            try renamed.write(to: file, atomically: true, encoding: .utf8)
        }
        let now = try sample.run(["workflow", "graph", "ksdd"])
        #expect(now.stdout.contains("    s_\(state)_baru[\"\(state)_baru\"]\n") && !now.stdout.contains("    s_\(state)[\""), "\(now.stdout)")
        let pinned = try sample.run(["workflow", "graph", "ksdd", "--agreement", number])
        #expect(pinned.status == 0, "\(pinned.stderr)")
        #expect(pinned.stdout.contains("    s_\(state)[\"\(state)\"]\n"), "\(pinned.stdout)")
        #expect(pinned.stdout.hasSuffix("""
                classDef current fill:#ffe08a,stroke:#b26a00,stroke-width:3px
                class s_\(state) current

            """))
        #expect(pinned.stdout.split(separator: "\n").first?.hasSuffix(", \(number) at \(state)") == true)
        // Named by its id, it is drawn the same, titled by its number.
        #expect(try sample.run(["workflow", "graph", "ksdd", "--agreement", "1"]).stdout == pinned.stdout)
        let other = try sample.run(["workflow", "graph", "ksdd", "--agreement", "CONTOH/003/KSDPK/2024"])
        #expect(other.status == 7)
        #expect(other.firstErrorLine == "error[validation]: agreement CONTOH/003/KSDPK/2024 runs on workflow ksdpk, not ksdd; "
                + "draw it with `sinergi workflow graph ksdpk --agreement CONTOH/003/KSDPK/2024`", "\(other.stderr)")
        // A new agreement not yet started has nothing to highlight.
        #expect(try sample.run(["agreement", "add", "--number", "180/1/2027", "--title", "Pengelolaan sampah", "--kind", "ksdd",
                                "--subkind", "sukarela", "--lead-agency", "Dinas Lingkungan Hidup",
                                "--party", "kabupaten:Pemerintah Kabupaten Probolinggo"]).status == 0)
        let fresh = try sample.run(["workflow", "graph", "ksdd", "--agreement", "180/1/2027"])
        #expect(fresh.status == 8)
        #expect(fresh.firstErrorLine == "error[not-found]: agreement 180/1/2027 runs on no workflow; "
                + "start it with `sinergi workflow start 180/1/2027`", "\(fresh.stderr)")
    }
}
