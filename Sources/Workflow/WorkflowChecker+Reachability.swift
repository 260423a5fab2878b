/// Which states no chain of events reaches, said the way they are fixed: a misspelt target cuts
/// off a whole part of the track, and naming each state beyond the cut as its own defect would
/// bury the one line to edit.
extension WorkflowChecker {
    /// The states some chain of events leads to from `initial` (every target of a route counts).
    static func reachable(from initial: String, in definition: WorkflowDefinition, within allowed: Set<String>? = nil) -> Set<String> {
        var seen: Set<String> = []
        var queue = [initial]
        while let name = queue.popLast() {
            guard let state = definition.states[name], allowed?.contains(name) ?? true, seen.insert(name).inserted else { continue }
            for event in state.events.values { queue += event.targets }
        }
        return seen
    }

    /// The unreachable states where a part no event reaches begins — those no other unreachable
    /// state leads to without being led back (the first state of each such cycle counts) — each
    /// with the unreachable states only it leads to, in reading order. Every unreachable state is
    /// an entry or lies beyond exactly one.
    static func unreachableEntries(in definition: WorkflowDefinition) -> [String: [String]] {
        let reached = reachable(from: definition.initial, in: definition)
        let order = definition.orderedStateNames.filter { !reached.contains($0) }
        let unreachable = Set(order)
        let beyond = Dictionary(uniqueKeysWithValues: order.map { ($0, reachable(from: $0, in: definition, within: unreachable)) })
        var entries: [String: [String]] = [:]
        var claimed: Set<String> = []
        for name in order {
            // An entry: whatever unreachable state leads to it, it leads back there.
            let isEntry = order.allSatisfy { other in other == name || beyond[other]?.contains(name) != true || beyond[name]?.contains(other) == true }
            guard isEntry, !claimed.contains(name) else { continue }
            let part = order.filter { $0 != name && beyond[name]?.contains($0) == true && !claimed.contains($0) }
            // States of its own cycle that are entries too are named on their own lines.
            let own = part.filter { other in beyond[other]?.contains(name) != true }
            entries[name] = own
            claimed.insert(name)
            claimed.formUnion(own)
        }
        return entries
    }
}
