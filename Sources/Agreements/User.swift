import Foundation

/// A person who acts in Sinergi, as declared in the workspace's `sinergi.lua` (`users{…}`).
public struct User: Equatable, Codable, Sendable {
    public var id: String
    public var name: String
    /// The OS login that maps to this user when `--as` is not given.
    public var login: String?
    /// Role names: those of `Role.builtIn`, `pd:NAME`, or one the workspace declares (`roles{…}`).
    public var roles: [String]
    public var contact: [String: String]

    public init(id: String, name: String, login: String? = nil, roles: [String], contact: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.login = login
        self.roles = roles
        self.contact = contact
    }

    public func has(role: String) -> Bool { roles.contains(role) }
    public var isAdmin: Bool { has(role: "admin") }
}

/// Who may change agreement records.
///
/// The Bagian/Biro in charge of kerja sama is the Sekretariat TKKSD and keeps the register
/// (Permendagri 22/2020 Pasal 10(3), 14(4), 16); the PD pemrakarsa prepares its own agreements
/// (Pasal 7, 13). So: admins, `sekretariat` and `tkksd` may edit any agreement; `pd` any, and
/// `pd:NAME` those whose lead agency is NAME. Everyone declared may read.
public enum AgreementPolicy {
    /// `pd:NAME` may name the agency by its short name in `directory` (`pd:DLH`).
    public static func mayEdit(_ user: User, leadAgency: String, directory: AgencyDirectory = AgencyDirectory()) -> Bool {
        user.roles.contains { role in
            if role == "admin" || role == "sekretariat" || role == "tkksd" || role == "pd" { return true }
            guard role.hasPrefix("pd:") else { return false }
            return directory.resolve(String(role.dropFirst(3))).caseInsensitiveCompare(leadAgency) == .orderedSame
        }
    }

    public static func requireEdit(_ user: User, leadAgency: String, directory: AgencyDirectory = AgencyDirectory()) throws {
        guard mayEdit(user, leadAgency: leadAgency, directory: directory) else {
            throw DomainError.permission("\(user.id) may not change agreements of \(leadAgency) "
                                         + "(needs role admin, sekretariat, tkksd, pd or pd:\(leadAgency))")
        }
    }
}
