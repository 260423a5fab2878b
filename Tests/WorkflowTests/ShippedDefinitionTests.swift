import Agreements
import Foundation
import Store
import Testing
import Workflow

/// What the shipped tracks (workflows/*.lua) promise beyond `workflow check`: their stages are the
/// law's, the clocks that run across states are never dropped, and the sample agreements join
/// their track where they stand.
@Suite struct ShippedDefinitionTests {
    static func definitions(_ sample: SampleWorkspace) throws -> [WorkflowDefinition] {
        let session = try sample.engine(at: "2026-03-01T09:00:00+07:00").session
        let catalog = WorkflowCatalog(folder: sample.folder.appendingPathComponent("workflows"), session: session)
        return try catalog.names().map { try catalog.current($0).definition }
    }

    @Test func everyStateBelongsToAStageOfItsKinds() throws {
        let definitions = try Self.definitions(SampleWorkspace())
        #expect(definitions.map(\.name).sorted() == ["ksdd", "ksdpk", "luar_negeri", "sinergi_kl"])
        for definition in definitions {
            for kind in definition.kinds.compactMap(Kind.init(rawValue:)) {
                for state in definition.states.values {
                    #expect(kind.stages.contains(state.stage), "\(definition.name).\(state.name): stage \(state.stage) is not a \(kind) stage")
                }
            }
        }
    }

    /// The kedaluwarsa timer runs from pelaksanaan on (after_field = "ends_on"); the engine drops
    /// a timer whose event the current state lacks, so every state an agreement in force can reach
    /// must accept it. A routed event of an agreement in force never leads back to drafting.
    @Test func everyStateOfAnAgreementInForceAcceptsItsExpiry() throws {
        for definition in try Self.definitions(SampleWorkspace()) {
            let drafting = Self.reachable(from: [definition.initial], in: definition) { definition.states[$0]?.status != "active" }
            var inForce = Set(definition.states.values.filter { $0.status == "active" }.map(\.name))
            var queue = Array(inForce)
            while let name = queue.popLast() {
                for event in definition.states[name]?.events.values ?? [:].values {
                    for target in event.targets where !inForce.contains(target) && !(event.hasRoute && drafting.contains(target)) {
                        inForce.insert(target)
                        queue.append(target)
                    }
                }
            }
            #expect(!inForce.isEmpty)
            for name in inForce {
                guard let state = definition.states[name], !state.isFinal else { continue }
                #expect(state.events["kedaluwarsa"] != nil, "\(definition.name).\(name) is in force but drops the kedaluwarsa timer")
            }
        }
    }

    /// The DPRD's 45 days (timer dprd_45) run across its sub-steps: each accepts the deemed approval.
    @Test func everyDPRDSubStepAcceptsTheDeemedApproval() throws {
        for definition in try Self.definitions(SampleWorkspace()) {
            let steps = definition.states.values.filter { $0.name.hasPrefix("persetujuan_dprd_") }
            #expect(!steps.isEmpty, "\(definition.name) has no DPRD sub-steps")
            for step in steps {
                #expect(step.events["dianggap_disetujui"]?.outcome == "deemed_approved", "\(definition.name).\(step.name)")
                #expect(step.events["dianggap_disetujui"]?.roles.isEmpty == true, "\(definition.name).\(step.name): only its timer fires it")
            }
        }
    }

    /// An agreement under way joins the state named after its stage (`workflow start`), an ended
    /// one the final state with its status.
    @Test func everySampleAgreementHasAStateToJoin() throws {
        let sample = try SampleWorkspace()
        let definitions = try Self.definitions(sample)
        let agreements = try sample.workspace.database.read {
            try sample.workspace.agreements.all(AgreementFilter(), withParties: false, in: $0)
        }
        #expect(agreements.count > 10)
        for agreement in agreements {
            let track = definitions.first { $0.applies(to: agreement.kind.rawValue) }
            #expect(track != nil, "no track for \(agreement.number)")
            guard let track else { continue }
            if agreement.status == .expired || agreement.status == .terminated {
                #expect(track.states.values.contains { $0.isFinal && $0.status == agreement.status.rawValue }, "\(agreement.number)")
            } else {
                #expect(track.states[agreement.stage] != nil, "\(agreement.number) at \(agreement.stage) has no state in \(track.name)")
            }
        }
    }

    static func reachable(from start: [String], in definition: WorkflowDefinition, where keep: (String) -> Bool) -> Set<String> {
        var seen = Set(start)
        var queue = start
        while let name = queue.popLast() {
            for event in definition.states[name]?.events.values ?? [:].values {
                for target in event.targets where !seen.contains(target) && keep(target) {
                    seen.insert(target)
                    queue.append(target)
                }
            }
        }
        return seen
    }
}
