import Foundation

/// The workspace's Perangkat Daerah with their short names, as `sinergi.lua` lists them
/// (`perangkat_daerah { { short = "DLH", name = "Dinas Lingkungan Hidup" }, … }`).
///
/// The office says "DLH", the register keeps "Dinas Lingkungan Hidup": wherever a lead agency is
/// given — `--lead-agency`, `--set lead_agency=`, `agreements.find{ lead_agency = }`, a role
/// `pd:DLH` — a short name is read as its full name. A name not listed passes unchanged, so
/// agreements recorded before the list existed keep working.
public struct AgencyDirectory: Equatable, Sendable {
    /// One Perangkat Daerah.
    public struct Agency: Equatable, Sendable {
        public var short: String
        public var name: String

        public init(short: String, name: String) {
            self.short = short
            self.name = name
        }
    }

    public private(set) var agencies: [Agency] = []

    public init(_ agencies: [Agency] = []) { self.agencies = agencies }

    /// The agency `text` names, by its short or its full name (any case); nil when not listed.
    /// Scripts use it to address an agency's staff, who hold the role `pd:SHORT`.
    public func agency(named text: String) -> Agency? {
        agencies.first {
            $0.short.caseInsensitiveCompare(text) == .orderedSame || $0.name.caseInsensitiveCompare(text) == .orderedSame
        }
    }

    /// The full name for a short name (any case), else `text` as given.
    public func resolve(_ text: String) -> String {
        agencies.first { $0.short.caseInsensitiveCompare(text) == .orderedSame }?.name ?? text
    }
}
