/// The workspace's system actor: who scheduled jobs and workflow timers act as unless a job
/// declares `as = USER`, so the audit trail says `system` for what no person did.
///
/// It is not declared in sinergi.lua (the id is reserved there) and no OS login maps to it. It
/// holds `sekretariat`: the Bagian that keeps the register (Permendagri 22/2020 Pasal 10(3)) is
/// the office in whose name reminders and the register's upkeep go out.
extension User {
    public static let system = User(id: "system", name: "Sinergi (sistem)", login: nil, roles: ["sekretariat"])
}
