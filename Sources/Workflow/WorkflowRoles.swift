import Agreements

/// Who may fire an event: an admin always; otherwise a user holding one of the event's roles,
/// where the event's `pd` is the initiating Perangkat Daerah — any `pd` user, or the `pd:NAME`
/// whose agency leads the agreement (Permendagri 22/2020 Pasal 7, 13: the PD pemrakarsa prepares
/// its own agreements). An event with no roles is fired by clocks only.
enum WorkflowRoles {
    static func allows(_ user: User, toFire event: WorkflowDefinition.Event, agreement: Agreement, directory: AgencyDirectory) -> Bool {
        if user.isAdmin { return true }
        return event.roles.contains { allows(user, role: $0, leadAgency: agreement.leadAgency, directory: directory) }
    }

    /// Whether `user` holds `role` for the agreement led by `leadAgency` (a task's role, or one of
    /// an event's; nil: any agreement).
    static func allows(_ user: User, role: String, leadAgency: String?, directory: AgencyDirectory) -> Bool {
        if user.roles.contains(role) { return true }
        guard role == "pd" || role.hasPrefix("pd:") else { return false }
        return user.roles.contains { held in
            guard held.hasPrefix("pd:") else { return false }
            let agency = directory.resolve(String(held.dropFirst(3)))
            if role.hasPrefix("pd:") { return directory.resolve(String(role.dropFirst(3))).caseInsensitiveCompare(agency) == .orderedSame }
            guard let leadAgency else { return true }
            return leadAgency.caseInsensitiveCompare(agency) == .orderedSame
        }
    }

    static func refusal(_ user: User, event: WorkflowDefinition.Event, state: String, number: String) -> String {
        let roles = event.roles.isEmpty ? "no role: a timer fires it" : "role " + event.roles.joined(separator: " or ")
        return "\(user.id) may not fire \(event.name) in \(state) of \(number) (needs \(roles); \(user.id) has \(user.roles.joined(separator: ", ")))"
    }
}
