import Agreements
import Foundation
import Testing
@testable import Workflow

/// `workflow check` (issue 10 §5): each defect kind on a fixture, with its message and its line;
/// a sound definition passes; periods in hari kerja warn about years without holidays.
@Suite struct WorkflowCheckerTests {
    /// One of each defect. The state `penawaran` is declared after an event of the same name,
    /// and `kirim` is an event of two states: their lines must be their own.
    static let broken = """
        -- A fixture with one of each defect.
        return {
          name = "broken",
          applies_to = { kind = "ksdd" },
          initial = "persiapan",
          states = {
            persiapan = {
              on = {
                penawaran = { to = "penawaran", roles = { "tkksd" } },
                kirim = { to = "hilang", roles = { "tkksd" } },
                tanpa_peran = { to = "penawaran" },
                salah_peran = { to = "penawaran", roles = { "pd", "sekertariat" } },
                salah_dokumen = { to = "penawaran", roles = { "tkksd" },
                                  requires = { "kak", "surat_cinta" } },
              },
              deadline = { days = 30, fire = "tidak_ada" },
            },
            penawaran = {
              stage = "penawaran",
              status = "signed",
              on = {
                kirim = { to = "buntu", roles = { "tkksd" } },
                nota = { to = "penyusunan_nk", roles = { "bappeda" } },
              },
              on_enter = function(a, ctx)
                ctx.timer{ name = "t", days = 5, fire = "hantu" }
              end,
            },
            buntu = { stage = "pelaksanaan" },
            yatim = { stage = "pelaksanaan", on = { balik = { to = "persiapan", roles = { "tkksd" } } } },
            penyusunan_nk = {
              final = true,
              on = { lagi = { to = "persiapan", roles = { "tkksd" } } },
            },
          },
        }
        """

    @Test func eachDefectIsReportedWithItsMessageAtItsLine() throws {
        let fixture = try CheckerWorkspace(files: ["broken.lua": Self.broken])
        let diagnostics = try fixture.check("broken", roles: ["bappeda"])
        let file = fixture.catalog.folder.appendingPathComponent("broken.lua").path
        #expect(diagnostics.allSatisfy { $0.file == file && !$0.isWarning })
        let found = diagnostics.map { ($0.problem.line ?? 0, $0.problem.message) }
        func at(_ marker: String) throws -> Int { try line(of: marker, in: Self.broken) }
        let states = "states: persiapan, penawaran, buntu, penyusunan_nk, yatim"
        let expected: [(Int, String)] = [
            (try at("kirim = { to = \"hilang\""), "event kirim of persiapan goes to hilang, which is not a state (\(states))"),
            (try at("tanpa_peran = {"), "event tanpa_peran of persiapan has no roles and no deadline or timer fires it: nobody can fire it "
                + "(give it roles = { … }, or fire it from a deadline or ctx.timer{ fire = \"tanpa_peran\" })"),
            (try at("\"sekertariat\""), "event salah_peran of persiapan names the role sekertariat, which is neither built in "
                + "(\(Role.builtIn.joined(separator: ", ")), pd:NAME) nor declared in sinergi.lua's roles { … }"),
            (try at("\"surat_cinta\""), "event salah_dokumen of persiapan requires surat_cinta, which is not a document kind "
                + "(\(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))"),
            (try at("fire = \"tidak_ada\""), "the deadline of persiapan fires tidak_ada, which is not an event of persiapan "
                + "(its events: kirim, penawaran, salah_dokumen, salah_peran, tanpa_peran)"),
            (try at("status = \"signed\""), "state penawaran sets status signed, which is not a status (draft, active, expired, terminated)"),
            (try at("fire = \"hantu\""), "a timer fires hantu, which is not an event of any state of broken "
                + "(events: balik, kirim, lagi, nota, penawaran, salah_dokumen, salah_peran, tanpa_peran)"),
            (try at("buntu = {"), "state buntu is not final and has no events: an agreement entering it is stuck "
                + "(add on = { EVENT = { to = … } }, or final = true)"),
            (try at("yatim = {"), "state yatim cannot be reached from the initial state persiapan: no event of a reachable state leads to it"),
            (try at("penyusunan_nk = {"), "state penyusunan_nk is at stage penyusunan_nk (a state's stage is its name unless it says "
                + "stage = \"…\"), which is not a stage of ksdd: the store would refuse it (stages of ksdd: \(Kind.ksdd.stages.joined(separator: ", ")))"),
            (try at("on = { lagi"), "final state penyusunan_nk has events (lagi): a final state ends the track; remove its on = { … } or its final = true"),
        ]
        for (line, message) in expected {
            #expect(found.contains { $0 == (line, message) }, "missing at line \(line): \(message)\nfound: \(found)")
        }
        #expect(found.count == expected.count, "\(found)")
        // In the file's order, as `workflow check` prints them.
        #expect(found.map(\.0) == found.map(\.0).sorted())
    }

    @Test func aStateDeclaredAfterAnEventOfTheSameNameAndAnEventOfTwoStatesGetTheirOwnLines() throws {
        let fixture = try CheckerWorkspace(files: ["broken.lua": Self.broken])
        let definition = try fixture.catalog.current("broken").definition
        #expect(definition.states["penawaran"]?.line == (try line(exactly: "penawaran = {", in: Self.broken)))
        #expect(definition.states["persiapan"]?.events["kirim"]?.line == (try line(of: "kirim = { to = \"hilang\"", in: Self.broken)))
        #expect(definition.states["penawaran"]?.events["kirim"]?.line == (try line(of: "kirim = { to = \"buntu\"", in: Self.broken)))
        // A `fire = "…"` in a comment is no timer.
        let lines = SourceLines(Array("-- fire = \"x\"\nlocal t = { fire = \"y\" }\n".utf8))
        #expect(lines.firedEvents == ["y"])
    }

    /// The shipped tracks' style: each state set by a statement (`states.penawaran = { … }`),
    /// some field set after (`states.x.stage = …`). A value's own line is found through them.
    @Test func statesSetByStatementsAreLocatedByTheirFields() throws {
        let statements = """
            local states = {}
            states.persiapan = {
              on = { kirim = { to = "penawaran", roles = { "tkksd" } } },
            }
            states.penawaran = {
              on = {
                kirim = { to = "pelaporan",
                          roles = { "tkksd", "bendahara" } },
              },
            }
            states.pelaporan = { final = true }
            states.pelaporan.stage = "selesai"
            return { name = "pernyataan", applies_to = { kind = "ksdd" }, initial = "persiapan", states = states }
            """
        let fixture = try CheckerWorkspace(files: ["pernyataan.lua": statements])
        #expect(try fixture.catalog.current("pernyataan").definition.states["penawaran"]?.events["kirim"]?.line == 7)
        #expect(try fixture.check("pernyataan").map(\.problem.line) == [8, 12])
        #expect(try fixture.check("pernyataan").last?.problem.message.hasPrefix("state pelaporan is at stage selesai, which is not a stage of ksdd") == true)
    }

    @Test func aMissingOrUnknownInitialStateIsNamed() throws {
        let missing = """
            return {
              name = "tanpa_awal",
              applies_to = { kind = "ksdd" },
              states = { persiapan = { final = true } },
            }
            """
        let unknown = missing.replacingOccurrences(of: "tanpa_awal", with: "awal_salah")
            .replacingOccurrences(of: "  states =", with: "  initial = \"mulai\",\n  states =")
        let fixture = try CheckerWorkspace(files: ["tanpa_awal.lua": missing, "awal_salah.lua": unknown])
        #expect(try fixture.check("tanpa_awal").map(\.problem) == [WorkflowProblem(line: 1, message: "the definition has no initial = \"STATE\"")])
        #expect(try fixture.check("awal_salah").map(\.problem)
                == [WorkflowProblem(line: 4, message: "initial = \"mulai\" is not a state (states: persiapan)")])
        // Without applies_to no agreement can run on it.
        try fixture.write(missing.replacingOccurrences(of: "tanpa_awal", with: "tanpa_jenis")
            .replacingOccurrences(of: "  applies_to = { kind = \"ksdd\" },\n", with: "")
            .replacingOccurrences(of: "  states =", with: "  initial = \"persiapan\",\n  states ="), to: "tanpa_jenis.lua")
        #expect(try fixture.check("tanpa_jenis").map(\.problem) == [WorkflowProblem(line: 1, message:
            "applies_to names no kind of agreement: none can run on it (applies_to = { kind = \"ksdd\" }, or a list of kinds)")])
    }

    /// A misspelt target cuts off the rest of the track: the cut is named once, with what lies
    /// beyond it; a state of a cycle there is named too (it may be the way in).
    @Test func aCutOffPartIsNamedAtItsEntries() throws {
        let cut = """
            return {
              name = "putus", applies_to = { kind = "ksdd" }, initial = "persiapan",
              states = {
                persiapan = { on = { kirim = { to = "penawarn", roles = { "tkksd" } } } },
                penawaran = { on = { setuju = { to = "penyusunan_kb", roles = { "tkksd" } },
                                     tolak = { to = "penawaran_ditolak", roles = { "tkksd" } } } },
                penawaran_ditolak = { stage = "penawaran", on = { ulang = { to = "penawaran", roles = { "tkksd" } } } },
                penyusunan_kb = { on = { selesai = { to = "pelaporan", roles = { "tkksd" } } } },
                pelaporan = { final = true },
              },
            }
            """
        let fixture = try CheckerWorkspace(files: ["putus.lua": cut])
        let unreachable = ": no event of a reachable state leads to it"
        #expect(try fixture.check("putus").map(\.problem) == [
            WorkflowProblem(line: 4, message: "event kirim of persiapan goes to penawarn, which is not a state "
                            + "(states: persiapan, pelaporan, penawaran, penawaran_ditolak, penyusunan_kb)"),
            WorkflowProblem(line: 5, message: "state penawaran cannot be reached from the initial state persiapan" + unreachable
                            + " (nor can the states beyond it: pelaporan, penyusunan_kb)"),
            WorkflowProblem(line: 7, message: "state penawaran_ditolak cannot be reached from the initial state persiapan" + unreachable),
        ])
    }

    /// A sound definition: routes, a deadline firing an event no role fires, a timer, a
    /// workspace role, `pd:NAME`, stages of every kind it applies to.
    static let sound = """
        return {
          name = "sehat",
          applies_to = { kind = { "ksdd", "ksdpk" } },
          initial = "persiapan",
          states = {
            persiapan = {
              status = "draft",
              on = {
                ajukan = { to = { "penawaran", "pelaporan" }, route = function(a) return "penawaran" end,
                           roles = { "pd:DLH", "bappeda" }, requires = { "kak" } },
              },
            },
            penawaran = {
              deadline = { days = 30, fire = "tanpa_balasan" },
              on = {
                tanpa_balasan = { to = "pelaporan" },
                ingatkan = { to = "penawaran" },
              },
              on_enter = function(a, ctx) ctx.timer{ name = "r", days = 7, fire = "ingatkan" } end,
            },
            pelaporan = { final = true, status = "active" },
          },
        }
        """

    @Test func aSoundDefinitionPasses() throws {
        let fixture = try CheckerWorkspace(files: ["sehat.lua": Self.sound])
        #expect(try fixture.check("sehat", roles: ["bappeda"]).isEmpty)
        // The same without the workspace's role: that one defect only.
        #expect(try fixture.check("sehat").map(\.problem.line) == [try line(of: "\"bappeda\"", in: Self.sound)])
    }

    /// A deadline of 45 hari kerja entered today can end in the next year; a timer's 10 cannot;
    /// nor can 20 passed with "workdays" to a helper that sets a timer.
    static let workdays = """
        local function later(ctx, n, unit) local spec = { name = "nanti", fire = "dianggap_setuju" }; spec[unit] = n; ctx.timer(spec) end
        return {
          name = "hari_kerja",
          applies_to = { kind = "ksdll" },
          initial = "persetujuan_dprd",
          states = {
            persetujuan_dprd = {
              deadline = { workdays = 45, fire = "dianggap_setuju" },
              on = { dianggap_setuju = { to = "verifikasi", outcome = "deemed_approved" } },
              on_enter = function(a, ctx) ctx.timer{ name = "ingat", workdays = 10, fire = "dianggap_setuju" }; later(ctx, 20, "workdays") end,
            },
            verifikasi = { final = true },
          },
        }
        """

    /// A helper that writes the same deadline for several states (as `luar_negeri.lua`'s
    /// governor step does): its warning is at the helper's deadline, for each state.
    @Test func aDeadlineAHelperWritesIsReportedAtTheHelper() throws {
        let helper = """
            local function step(next)
              return {
                deadline = { workdays = 5, fire = "lewat" },
                on = { lewat = { to = next }, lanjut = { to = next, roles = { "provinsi" } } },
              }
            end
            local states = { pelaksanaan = { final = true } }
            states.verifikasi = step("penandatanganan")
            states.penandatanganan = step("pelaksanaan")
            return { name = "pembantu", applies_to = { kind = "ksdll" }, initial = "verifikasi", states = states }
            """
        let fixture = try CheckerWorkspace(files: ["pembantu.lua": helper])
        let diagnostics = try fixture.check("pembantu", holidays: [try requireDate("2026-12-25")], today: "2026-12-20")
        #expect(diagnostics.map(\.problem.line) == [3, 3])
        #expect(diagnostics.map { $0.problem.message.prefix(41) } == ["the deadline of penandatanganan counts 5 ", "the deadline of verifikasi counts 5 hari "])
    }

    @Test func aPeriodInWorkdaysWarnsAboutAYearWithoutHolidays() throws {
        let fixture = try CheckerWorkspace(files: ["hari_kerja.lua": Self.workdays])
        let only2026 = try Self.wholeYear(2026)
        let diagnostics = try fixture.check("hari_kerja", holidays: only2026, today: "2026-11-30")
        #expect(diagnostics.allSatisfy { $0.isWarning })
        #expect(diagnostics.map(\.problem) == [
            WorkflowProblem(line: try line(of: "deadline = {", in: Self.workdays), message: "the deadline of persetujuan_dprd counts 45 "
                            + "hari kerja, which from 2026-11-30 can run until 2027-03-03; sinergi.lua's holidays { … } lists none for 2027, "
                            + "so its holidays would count as working days (add that year's national holidays and cuti bersama)", isWarning: true),
            WorkflowProblem(line: try line(of: "workdays = 10", in: Self.workdays), message: "a timer counts 10 hari kerja, which from "
                            + "2026-11-30 can run until 2027-01-13; sinergi.lua's holidays { … } lists none for 2027, so its holidays would "
                            + "count as working days (add that year's national holidays and cuti bersama)", isWarning: true),
            WorkflowProblem(line: try line(of: "workdays = 10", in: Self.workdays), message: "a timer counts 20 hari kerja, which from "
                            + "2026-11-30 can run until 2027-01-27; sinergi.lua's holidays { … } lists none for 2027, so its holidays would "
                            + "count as working days (add that year's national holidays and cuti bersama)", isWarning: true),
        ])
        // Both years listed: nothing to say. From mid-October only the 45 days reach 2027.
        let both = only2026.union(try Self.wholeYear(2027))
        #expect(try fixture.check("hari_kerja", holidays: both, today: "2026-11-30").isEmpty)
        #expect(try fixture.check("hari_kerja", holidays: only2026, today: "2026-10-15").map(\.problem.line)
                == [try line(of: "deadline = {", in: Self.workdays)])
        // No holidays at all: this year is named too.
        #expect(try fixture.check("hari_kerja", today: "2026-11-30").first?.problem.message.contains("lists none for 2026 and 2027") == true)
    }

    /// A year listed before its SKB (the fixed and Easter-based holidays only, as the shipped
    /// sinergi.lua lists 2027) leaves its lunar holidays counted as working days: warned like a
    /// year with none, naming how many days it lists.
    @Test func aPeriodInWorkdaysWarnsAboutAYearListedOnlyInPart() throws {
        let fixture = try CheckerWorkspace(files: ["hari_kerja.lua": Self.workdays])
        let whole = try Self.wholeYear(2027)
        let fixedOnly = try Set(["2027-01-01", "2027-03-26", "2027-03-28", "2027-05-01", "2027-05-06", "2027-06-01",
                                 "2027-08-17", "2027-12-25"].map(requireDate))
        let diagnostics = try fixture.check("hari_kerja", holidays: fixedOnly, today: "2026-11-30")
        #expect(diagnostics.count == 3)
        #expect(diagnostics.allSatisfy { $0.isWarning && $0.problem.message.contains(
            "lists none for 2026 and only 8 days for 2027 (a whole year has 17 national holidays alone), so its holidays would count") })
        // Eleven days are still a part; twelve (the weekday holidays of a year) are a whole year.
        let eleven = Set(whole.sorted().prefix(11)), twelve = Set(whole.sorted().prefix(12))
        #expect(try fixture.check("hari_kerja", holidays: eleven, today: "2027-01-04").count == 3)
        #expect(try fixture.check("hari_kerja", holidays: twelve, today: "2027-01-04").isEmpty)
    }

    /// Twelve days of `year` — as many as `fewestDaysOfAListedYear` asks of a whole year.
    static func wholeYear(_ year: Int) throws -> Set<LocalDate> {
        try Set((1...12).map { try requireDate(String(format: "%04d-%02d-15", year, $0)) })
    }

    /// The DPRD step built by a `lib` function (as `lib/dprd_review.lua` does, in a table of
    /// states or a list of `{ "name", { … } }`): its states, events and timers are checked, each
    /// defect at the module's own file and line.
    @Test func aStateBuiltInALibModuleIsCheckedAtTheModulesLines() throws {
        let definition = """
            local review = require("tinjau")
            local states = {
              persiapan = { on = { ajukan = { to = "persetujuan_dprd", roles = { "tkksd" } } } },
              penyusunan_pks = { final = true },
            }
            for k, v in pairs(review.states("penyusunan_pks")) do states[k] = v end
            return { name = "pakai_lib", applies_to = { kind = "ksdd" }, initial = "persiapan", states = states }
            """
        let module = """
            local M = {}
            local function build(steps)
              local states = {}
              for _, step in ipairs(steps) do states[step[1]] = step[2] end
              return states
            end
            function M.states(next_state)
              local states = build({
                { "buntu", { stage = "pelaksanaan" } },
              })
              for k, v in pairs({
                persetujuan_dprd = {
                  on = {
                    disetujui = { to = next_state, roles = { "dprd_pimpinn" } },
                    dianggap_setuju = { to = next_state },
                  },
                  on_enter = function(a, ctx)
                    ctx.timer{ name = "dprd", days = 45, fire = "dianggap_setuju" }
                    ctx.timer{ name = "salah", workdays = 5, fire = "tidak_ada" }
                  end,
                },
              }) do states[k] = v end
              return states
            end
            return M
            """
        let fixture = try CheckerWorkspace(files: ["pakai_lib.lua": definition, "lib/tinjau.lua": module])
        let diagnostics = try fixture.check("pakai_lib", holidays: try Self.wholeYear(2026).union(try Self.wholeYear(2027)))
        let lib = fixture.libFolder.appendingPathComponent("tinjau.lua").path
        #expect(diagnostics.map(\.description) == [
            "\(lib):9: state buntu cannot be reached from the initial state persiapan: no event of a reachable state leads to it",
            "\(lib):9: state buntu is not final and has no events: an agreement entering it is stuck (add on = { EVENT = { to = … } }, or final = true)",
            "\(lib):14: event disetujui of persetujuan_dprd names the role dprd_pimpinn, which is neither built in "
                + "(\(Role.builtIn.joined(separator: ", ")), pd:NAME) nor declared in sinergi.lua's roles { … }",
            "\(lib):19: a timer fires tidak_ada, which is not an event of any state of pakai_lib (events: ajukan, dianggap_setuju, disetujui)",
        ], "\(diagnostics.map(\.description))")
    }
}
