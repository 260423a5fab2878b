/// Grounds on which a cooperation ends, by the Lua API's names.
///
/// Each kind has its own list: PP 28/2018 Pasal 9(1) for a KSDD; Pasal 22 adds a court decision
/// and bankruptcy for a KSDPK; Permendagri 25/2020 Pasal 34 for foreign cooperation, which also
/// ends by being replaced by a new agreement. A change of regional leadership is not a ground
/// (PP 28/2018 Pasal 9(2)).
///
///     EndingGround.grounds(for: .ksdpl)   // [.tujuan_tercapai, .kesepakatan_para_pihak, .diganti_perjanjian_baru]
public enum EndingGround: String, CaseIterable, Codable, Sendable {
    case jangka_waktu_berakhir, tujuan_tercapai, kesepakatan_para_pihak, perubahan_kebijakan, objek_musnah
    case putusan_pengadilan, pailit
    /// Replaced by a new agreement (Permendagri 25/2020 Pasal 34; foreign cooperation only).
    case diganti_perjanjian_baru

    /// The grounds on which an agreement of `kind` ends, in the order of their article.
    public static func grounds(for kind: Kind) -> [EndingGround] {
        let pasal9: [EndingGround] = [.jangka_waktu_berakhir, .tujuan_tercapai, .kesepakatan_para_pihak,
                                      .perubahan_kebijakan, .objek_musnah]
        switch kind {
        // domain.md 6.6 gives Sinergi no grounds of its own; it keeps PP 28/2018 Pasal 9(1)'s.
        case .ksdd, .sinergi: return pasal9
        case .ksdpk: return pasal9 + [.putusan_pengadilan, .pailit]
        case .ksdpl, .ksdll: return [.tujuan_tercapai, .kesepakatan_para_pihak, .diganti_perjanjian_baru]
        }
    }

    /// Where `grounds(for: kind)` comes from, cited in a refusal.
    public static func source(for kind: Kind) -> String {
        switch kind {
        case .ksdd, .sinergi: return "PP 28/2018 Pasal 9(1)"
        case .ksdpk: return "PP 28/2018 Pasal 9(1), 22"
        case .ksdpl, .ksdll: return "Permendagri 25/2020 Pasal 34"
        }
    }

    /// Whether the ground ends an agreement of `kind`.
    public func applies(to kind: Kind) -> Bool { Self.grounds(for: kind).contains(self) }
}
