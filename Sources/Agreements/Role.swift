import Foundation

/// The role names Sinergi knows without being told: the one list of them (DESIGN.md, "CLI").
///
/// A workspace may declare more in `sinergi.lua` (`roles { "bappeda" }`), so a new approver
/// needs no rebuild; a user given a role that is neither is refused when the file loads, because
/// a misspelt role (`sekertariat`) would otherwise silently grant nothing.
public enum Role {
    /// The built-in roles: `pd` is any initiating Perangkat Daerah, `pd:NAME` one of them.
    public static let builtIn = ["admin", "pd", "tkksd", "sekretariat", "hukum", "sekda", "kepala_daerah",
                                 "dprd_pimpinan", "dprd_komisi", "provinsi"]

    /// Whether `role` is built in, `pd:NAME` with a name (not blank: `String.isBlank`), or among
    /// `declared`. Checked for every user whenever `sinergi.lua` loads, so without Foundation's
    /// `trimmingCharacters`, whose first use (building a CharacterSet) was 2 % of a cold `eval`.
    public static func isKnown(_ role: String, declared: some Sequence<String>) -> Bool {
        if builtIn.contains(role) || declared.contains(role) { return true }
        return role.hasPrefix("pd:") && !String(role.dropFirst(3)).isBlank
    }
}
