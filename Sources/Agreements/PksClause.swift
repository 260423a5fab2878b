/// The minimum clauses of the document that carries an agreement's terms, by the Lua API's names.
///
/// For a KSDD or KSDPK that is the PKS/kontrak (Permendagri 22/2020 Pasal 41; PP 28/2018
/// Pasal 19(2) adds the sanction clause for a KSDPK); for a Sinergi it is the Nota Kesepakatan
/// (Permendagri 22/2020 Pasal 42). The type and the `pks_clauses` field keep the PKS's name, which
/// the Lua API, the exchange formats and the database already use.
///
///     Kind.sinergi.requiredClauses.contains(.hak_kewajiban)   // false: not in Pasal 42
public enum PksClause: String, CaseIterable, Codable, Sendable {
    case maksud_tujuan, objek, ruang_lingkup, pelaksanaan, hak_kewajiban, pembiayaan, jangka_waktu
    case penyelesaian_perselisihan, keadaan_kahar, pengakhiran, sanksi
    /// Nota Kesepakatan only (Permendagri 22/2020 Pasal 42).
    case latar_belakang, lokasi, tugas_tanggung_jawab, lain_lain
}

extension Kind {
    /// The clauses an agreement of this kind must contain, in the order of their article; none
    /// for foreign cooperation, whose naskah has no minimum content in the texts domain.md read.
    public var requiredClauses: [PksClause] {
        switch self {
        case .ksdd:
            // Permendagri 22/2020 Pasal 41
            return [.maksud_tujuan, .objek, .ruang_lingkup, .pelaksanaan, .hak_kewajiban, .pembiayaan, .jangka_waktu,
                    .penyelesaian_perselisihan, .keadaan_kahar, .pengakhiran]
        case .ksdpk:
            // Permendagri 22/2020 Pasal 41, and the sanction of PP 28/2018 Pasal 19(2)
            return Kind.ksdd.requiredClauses + [.sanksi]
        case .sinergi:
            // Permendagri 22/2020 Pasal 42: the Nota Kesepakatan
            return [.latar_belakang, .maksud_tujuan, .lokasi, .objek, .ruang_lingkup, .tugas_tanggung_jawab, .pelaksanaan,
                    .jangka_waktu, .pembiayaan, .lain_lain]
        case .ksdpl, .ksdll:
            return []
        }
    }
}
