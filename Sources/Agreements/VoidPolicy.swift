/// Who may void a record.
///
/// Voiding withdraws an agreement or document entered by mistake from the register without
/// deleting it; the register is kept by the Bagian/Biro in charge of kerja sama, the Sekretariat
/// TKKSD (Permendagri 22/2020 Pasal 10(3), 16), so only `sekretariat` and `admin` may do it —
/// not the PD that entered it.
public enum VoidPolicy {
    public static func mayVoid(_ user: User) -> Bool {
        user.roles.contains { $0 == "admin" || $0 == "sekretariat" }
    }

    public static func requireVoid(_ user: User, what: String) throws {
        guard mayVoid(user) else {
            throw DomainError.permission("\(user.id) may not void \(what) (needs role admin or sekretariat)")
        }
    }
}
