import Agreements
import Foundation
import Store
import Testing
@testable import Workflow

/// `workflow graph` (issue 10 §5): a small track drawn exactly, in Mermaid and DOT; an agreement's
/// state highlighted on the version it is pinned to; labels that cannot break out of their quotes.
@Suite struct WorkflowDiagramTests {
    /// A route (two targets), a deadline, an event both a role and a timer fire, a final state.
    static let small = """
        return {
          name = "kecil",
          applies_to = { kind = "ksdd" },
          initial = "persiapan",
          states = {
            persiapan = {
              on = { ajukan = { to = "penawaran", roles = { "pd", "tkksd" } } },
            },
            penawaran = {
              deadline = { days = 30, fire = "tanpa_balasan" },
              on = {
                dibalas = { to = { "penyusunan_kb", "pelaporan" }, route = function(a) return "penyusunan_kb" end,
                            roles = { "kepala_daerah" } },
                ingatkan = { to = "penawaran", roles = { "sekretariat" } },
                tanpa_balasan = { to = "pelaporan" },
              },
              on_enter = function(a, ctx) ctx.timer{ name = "ingat", days = 7, fire = "ingatkan" } end,
            },
            penyusunan_kb = { on = { selesai = { to = "pelaporan", roles = { "tkksd" } } } },
            pelaporan = { final = true },
          },
        }
        """

    @Test func mermaidDrawsStatesEventsRoutesAndDashedClocks() throws {
        let fixture = try CheckerWorkspace(files: ["kecil.lua": Self.small])
        let workflow = try fixture.catalog.current("kecil")
        #expect(WorkflowDiagram.mermaid(workflow.definition, clockEvents: workflow.clockEvents, title: "kecil") == """
            %% kecil
            flowchart TD
                start((" ")) --> s_persiapan
                s_persiapan["persiapan"]
                s_penawaran["penawaran"]
                s_penyusunan_kb["penyusunan_kb"]
                s_pelaporan(["pelaporan"])
                s_persiapan -->|"ajukan [pd, tkksd]"| s_penawaran
                s_penawaran -->|"dibalas [kepala_daerah]"| s_penyusunan_kb
                s_penawaran -->|"dibalas [kepala_daerah]"| s_pelaporan
                s_penawaran -->|"ingatkan [sekretariat]"| s_penawaran
                s_penawaran -.->|"ingatkan (timer)"| s_penawaran
                s_penawaran -.->|"tanpa_balasan (30 days)"| s_pelaporan
                s_penyusunan_kb -->|"selesai [tkksd]"| s_pelaporan
                classDef final stroke-width:3px
                class s_pelaporan final
            """)
    }

    @Test func dotDrawsTheSameWithDashedClocksAndADoubleBorderedFinalState() throws {
        let fixture = try CheckerWorkspace(files: ["kecil.lua": Self.small])
        let workflow = try fixture.catalog.current("kecil")
        #expect(WorkflowDiagram.dot(workflow.definition, clockEvents: workflow.clockEvents, current: "penawaran", title: "kecil") == """
            // kecil
            digraph "kecil" {
                node [shape=box, style=rounded];
                start [shape=point];
                start -> s_persiapan;
                s_persiapan [label="persiapan"];
                s_penawaran [label="penawaran", style="rounded,filled", fillcolor="#ffe08a", penwidth=3];
                s_penyusunan_kb [label="penyusunan_kb"];
                s_pelaporan [label="pelaporan", peripheries=2];
                s_persiapan -> s_penawaran [label="ajukan [pd, tkksd]"];
                s_penawaran -> s_penyusunan_kb [label="dibalas [kepala_daerah]"];
                s_penawaran -> s_pelaporan [label="dibalas [kepala_daerah]"];
                s_penawaran -> s_penawaran [label="ingatkan [sekretariat]"];
                s_penawaran -> s_penawaran [label="ingatkan (timer)", style=dashed];
                s_penawaran -> s_pelaporan [label="tanpa_balasan (30 days)", style=dashed];
                s_penyusunan_kb -> s_pelaporan [label="selesai [tkksd]"];
            }
            """)
    }

    /// The agreement runs on the version it started with: after the file loses a state, the
    /// pinned version still has it, and the agreement's state is the one highlighted.
    @Test func anAgreementIsHighlightedOnThePinnedVersion() throws {
        let fixture = try CheckerWorkspace(sample: true, files: ["kecil.lua": Self.small])
        let engine = WorkflowEngine(workspace: fixture.workspace, session: fixture.session)
        let user = try fixture.workspace.actingUser(requested: nil, osLogin: "tester")
        let id = try #require(try fixture.workspace.database.read {
            try fixture.workspace.agreements.agreement(idOrNumber: "CONTOH/001/KSDD/2025", in: $0)?.id
        })
        try fixture.session.unitOfWork {
            let unit = try #require(fixture.session.currentUnit)
            try engine.start(agreementId: id, workflow: "kecil", at: "penawaran", actor: user, in: unit)
        }
        try fixture.write(Self.small.replacingOccurrences(of: "\"penyusunan_kb\", ", with: "")
            .replacingOccurrences(of: "    penyusunan_kb = { on = { selesai = { to = \"pelaporan\", roles = { \"tkksd\" } } } },\n", with: ""),
                          to: "kecil.lua")
        #expect(try engine.catalog.current("kecil").definition.states["penyusunan_kb"] == nil)
        let (pinned, state) = try fixture.workspace.database.read { unit -> (LoadedWorkflow, String?) in
            let instance = try WorkflowStore().instance(of: id, in: unit)
            return (try engine.catalog.pinned(try #require(instance?.version), in: unit), instance?.state)
        }
        #expect(state == "penawaran")
        let drawn = WorkflowDiagram.mermaid(pinned.definition, clockEvents: pinned.clockEvents, current: state)
        #expect(drawn.contains("    s_penyusunan_kb[\"penyusunan_kb\"]\n"))
        #expect(drawn.hasSuffix("""
                class s_pelaporan final
                classDef current fill:#ffe08a,stroke:#b26a00,stroke-width:3px
                class s_penawaran current
            """))
    }

    /// A state's name is a Lua key: any text. It gets an id of its own and a label that stays
    /// inside its quotes.
    @Test func namesThatAreNotIdentifiersAreEscaped() throws {
        let definition = WorkflowDefinition(
            name: "a\"b", title: "", kinds: ["ksdd"], initial: "x \"y\" <z>",
            states: ["x \"y\" <z>": .init(name: "x \"y\" <z>", stage: "persiapan", status: nil, isFinal: false,
                                          events: ["e|#": .init(name: "e|#", targets: ["end"], hasRoute: false, roles: ["tkksd"],
                                                                requires: [], hasGuard: false, outcome: nil, line: nil)],
                                          deadline: nil, hasOnEnter: false, hasOnExit: false, line: nil),
                     "end": .init(name: "end", stage: "pelaporan", status: nil, isFinal: true, events: [:], deadline: nil,
                                  hasOnEnter: false, hasOnExit: false, line: nil)])
        #expect(WorkflowDiagram.mermaid(definition, clockEvents: []) == """
            flowchart TD
                start((" ")) --> x0
                x0["x #quot;y#quot; #lt;z#gt;"]
                s_end(["end"])
                x0 -->|"e#124;#35; [tkksd]"| s_end
                classDef final stroke-width:3px
                class s_end final
            """)
        #expect(WorkflowDiagram.dot(definition, clockEvents: []).contains(#"digraph "a\"b" {"#))
        #expect(WorkflowDiagram.dot(definition, clockEvents: []).contains(#"x0 [label="x \"y\" <z>"];"#))
    }
}
