/// The kinds of party to an agreement (domain.md 1.1, 1.3, 1.4). Names are the Lua API's.
public enum PartyKind: String, CaseIterable, Codable, Sendable {
    case provinsi, kabupaten, kota, kementerian, lembaga, perseorangan, badan_usaha, ormas
    case perguruan_tinggi, luar_negeri
}

/// The legal form of a badan usaha berbadan hukum (elucidation of PP 28/2018 Pasal 14 huruf b).
public enum BusinessForm: String, CaseIterable, Codable, Sendable {
    case bumn, bumd, koperasi, swasta
}

/// A partner of the region in an agreement.
public struct Party: Equatable, Codable, Sendable {
    public var name: String
    public var kind: PartyKind
    /// For a badan usaha: BUMN, BUMD, koperasi or swasta.
    public var form: BusinessForm?

    public init(name: String, kind: PartyKind, form: BusinessForm? = nil) {
        self.name = name
        self.kind = kind
        self.form = form
    }
}
