/// The documents of the process (domain.md 2 and 6), by the Lua API's names.
public enum DocumentKind: String, CaseIterable, Codable, Sendable {
    case kak, hasil_kajian_tkksd, studi_kelayakan, surat_penawaran, surat_permintaan_tanggapan
    case kesepakatan_bersama, surat_permohonan_dprd, hasil_kajian_komisi, surat_persetujuan_dprd
    case pks, kontrak, surat_kuasa, nota_kesepakatan, rencana_kerja, addendum, laporan_semester, berita_acara
}

/// A document recorded against an agreement. The file itself stays where it is; its SHA-256 is
/// kept so that a later copy can be checked against what was recorded.
public struct Document: Equatable, Codable, Sendable {
    public var kind: DocumentKind
    public var number: String?
    public var date: LocalDate?
    public var signatories: [String]
    public var file: String?
    public var sha256: String?
    public var recordedAt: String?

    public init(kind: DocumentKind, number: String? = nil, date: LocalDate? = nil, signatories: [String] = [],
                file: String? = nil, sha256: String? = nil, recordedAt: String? = nil) {
        self.kind = kind
        self.number = number
        self.date = date
        self.signatories = signatories
        self.file = file
        self.sha256 = sha256
        self.recordedAt = recordedAt
    }
}
