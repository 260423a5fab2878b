// Agreements: the Kerja Sama Daerah domain in plain Swift — agreements, parties, documents,
// the legal rules with their citations, the calendar. Knows nothing of Lua, SQL or the CLI.
// May import: Foundation only.

/// The kinds of Kerja Sama Daerah (PP 28/2018 Pasal 1; domain.md 1.1).
public enum Kind: String, CaseIterable, Codable, Sendable {
    /// Kerja Sama Daerah dengan Daerah Lain (PP 28/2018 Bab II; Permendagri 22/2020 Bab II).
    case ksdd
    /// Kerja Sama Daerah dengan Pihak Ketiga (PP 28/2018 Bab III; Permendagri 22/2020 Bab III).
    case ksdpk
    /// Sinergi with a kementerian/lembaga (PP 28/2018 Pasal 46; Permendagri 22/2020 Bab VI).
    case sinergi
    /// With a foreign regional government (PP 28/2018 Bab IV; Permendagri 25/2020); same record shape.
    case ksdpl
    /// With a foreign institution (PP 28/2018 Bab IV, Pasal 36; Permendagri 25/2020); same record shape.
    case ksdll

    public var title: String {
        switch self {
        case .ksdd: return "Kerja Sama Daerah dengan Daerah Lain"
        case .ksdpk: return "Kerja Sama Daerah dengan Pihak Ketiga"
        case .sinergi: return "Sinergi dengan Kementerian/Lembaga"
        case .ksdpl: return "Kerja Sama Daerah dengan Pemerintah Daerah di Luar Negeri"
        case .ksdll: return "Kerja Sama Daerah dengan Lembaga di Luar Negeri"
        }
    }

    /// The party kinds a partner of this kind of agreement may have.
    ///
    /// KSDD partners are regions (PP 28/2018 Pasal 1); pihak ketiga are perseorangan, badan
    /// usaha berbadan hukum and ormas (PP 28/2018 Pasal 14), plus universities where the
    /// workspace treats them as KSDPK (domain.md 1.4); Sinergi partners are the central
    /// government's kementerian/lembaga and, by choice, Satker/BLU universities (domain.md 1.4).
    public var partnerKinds: Set<PartyKind> {
        switch self {
        case .ksdd: return [.provinsi, .kabupaten, .kota]
        case .ksdpk: return [.perseorangan, .badan_usaha, .ormas, .perguruan_tinggi]
        case .sinergi: return [.kementerian, .lembaga, .perguruan_tinggi]
        case .ksdpl: return [.luar_negeri]
        case .ksdll: return [.luar_negeri]
        }
    }

    /// The stages of the track, in order (domain.md 2.1–2.3, 1.5).
    public var stages: [String] {
        switch self {
        case .ksdd, .ksdpk:
            // Permendagri 22/2020 Pasal 6 (KSDD) and Pasal 28 (KSDPK)
            return ["persiapan", "penawaran", "penyusunan_kb", "penandatanganan_kb", "persetujuan_dprd",
                    "penyusunan_pks", "penandatanganan_pks", "pelaksanaan", "penatausahaan", "pelaporan"]
        case .sinergi:
            // Permendagri 22/2020 Pasal 52-60: DPRD approval comes before signing
            return ["persiapan", "penawaran", "penyusunan_nk", "persetujuan_dprd", "penandatanganan_nk",
                    "pelaksanaan", "penatausahaan", "pelaporan"]
        case .ksdpl, .ksdll:
            // Permendagri 25/2020 Pasal 9
            return ["prakarsa", "penjajakan", "pernyataan_kehendak", "penyusunan_rencana", "persetujuan_dprd",
                    "verifikasi", "penyusunan_naskah", "pembahasan", "persetujuan_menteri", "penandatanganan",
                    "pelaksanaan"]
        }
    }

    /// Where `partnerKinds` comes from, cited in a refusal.
    public var partnerSource: String {
        switch self {
        case .ksdd: return "PP 28/2018 Pasal 1"
        case .ksdpk: return "PP 28/2018 Pasal 14"
        case .sinergi: return "PP 28/2018 Pasal 46"
        // Foreign cooperation is PP 28/2018 Bab IV, carried out under Permendagri 25/2020 (domain.md 1.1).
        case .ksdpl: return "PP 28/2018 Bab IV; Permendagri 25/2020"
        case .ksdll: return "PP 28/2018 Bab IV, Pasal 36; Permendagri 25/2020"
        }
    }

    /// The longest term the law allows the agreement (the Kesepakatan Bersama for KSDD/KSDPK), and
    /// where it says so; nil for Sinergi, whose Nota Kesepakatan has no national maximum
    /// (domain.md 5.1). This is law, not a setting: a workspace may only shorten it
    /// (`AgreementRules.limitTerm(toYears:)`).
    public var maximumTerm: (years: Int, source: String)? {
        switch self {
        case .ksdd: return (5, "Permendagri 22/2020 Pasal 9(3)")
        case .ksdpk: return (5, "Permendagri 22/2020 Pasal 32(3)")
        case .ksdpl, .ksdll: return (5, "Permendagri 25/2020 Pasal 32")
        case .sinergi: return nil
        }
    }

    /// DPRD approval is always required for foreign cooperation (PP 28/2018 Pasal 30(1);
    /// Permendagri 25/2020 Pasal 16).
    public var alwaysNeedsDprd: Bool { self == .ksdpl || self == .ksdll }
}

/// KSDD's two forms (PP 28/2018 Pasal 3(2)-(3); Permendagri 22/2020 Pasal 3).
public enum Subkind: String, CaseIterable, Codable, Sendable {
    /// Between bordering regions, for affairs with cross-border externalities: kab/kota with a
    /// bordering kab/kota (same or another province), province with a bordering province, or a
    /// kab/kota with its own province (PP 28/2018 Pasal 3(2); Permendagri 22/2020 Pasal 3(2)).
    /// Sinergi keeps no map, so who borders whom is the user's to get right.
    case wajib
    /// Between any regions, bordering or not (PP 28/2018 Pasal 3(3); Permendagri 22/2020 Pasal 3(3)).
    case sukarela
}

/// Where an agreement is in its life, independent of the workflow stage.
public enum Status: String, CaseIterable, Codable, Sendable {
    /// Being prepared; not yet signed.
    case draft
    /// Signed and in force.
    case active
    /// Its term has run out (PP 28/2018 Pasal 9(1)a; Permendagri 25/2020 Pasal 32 for foreign cooperation).
    case expired
    /// Ended on one of its kind's grounds (`EndingGround`: PP 28/2018 Pasal 9, 22; Permendagri 25/2020 Pasal 34).
    case terminated
}
