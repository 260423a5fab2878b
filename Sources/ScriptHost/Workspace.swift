import Agreements
import Foundation
import Store

/// A workspace: a folder with `sinergi.lua`, `workflows/`, `scripts/` and the database.
public final class Workspace {
    public static let configurationFile = "sinergi.lua"

    public let root: URL
    public let configuration: WorkspaceConfiguration
    public let database: SinergiDatabase

    /// Opens the workspace at `root`: reads `sinergi.lua`, opens (migrating) the database, and
    /// audits a change to the file's users, roles or rules since the last load, as done by the OS
    /// account `login` (see `noticeConfigurationChange`).
    public init(root: URL, loadedBy login: String) throws {
        self.root = root
        configuration = try WorkspaceConfiguration.load(from: root.appendingPathComponent(Workspace.configurationFile))
        let databasePath = configuration.database.hasPrefix("/")
            ? configuration.database : root.appendingPathComponent(configuration.database).path
        database = try SinergiDatabase(path: databasePath)
        try noticeConfigurationChange(loadedBy: login)
    }

    /// The agreement store with this workspace's rules.
    public var agreements: AgreementStore { AgreementStore(rules: configuration.rules, agencies: configuration.agencies) }

    /// Folders `require` searches.
    public var modulePaths: [URL] {
        [root.appendingPathComponent("scripts/lib"), root.appendingPathComponent("workflows/lib")]
    }

    /// Finds the workspace: `explicit` (`--workspace`), else `SINERGI_WORKSPACE`, else the current
    /// folder or the nearest parent holding `sinergi.lua` (like git).
    public static func locate(explicit: String?, environment: [String: String], currentDirectory: URL) throws -> URL {
        if let folder = explicit ?? environment["SINERGI_WORKSPACE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let url = URL(fileURLWithPath: folder, relativeTo: currentDirectory).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent(configurationFile).path) else {
                throw DomainError.notFound("\(url.path) is not a Sinergi workspace (no \(configurationFile)); create one with `sinergi init \(folder)`")
            }
            return url
        }
        var folder = currentDirectory.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(configurationFile).path) { return folder }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw DomainError.notFound("no Sinergi workspace here or in a parent folder; create one with `sinergi init DIR`, "
                                   + "or name one with --workspace DIR or SINERGI_WORKSPACE")
    }

    /// The acting user: `requested` (`--as` / `SINERGI_USER`) or the user whose `login` is the OS
    /// login (`OSAccount`; declared, never guessed from a user's id). Only an admin may act as
    /// someone else.
    public func actingUser(requested: String?, osLogin: String) throws -> User {
        let own = configuration.users.first { $0.login == osLogin }
        guard let requested, requested != own?.id else {
            guard let own else {
                throw DomainError.permission("your login '\(osLogin)' is not a user of this workspace; add it to users{…} in \(Workspace.configurationFile) (login = \"\(osLogin)\")")
            }
            return own
        }
        guard let target = configuration.users.first(where: { $0.id == requested }) else {
            throw DomainError.notFound("no user '\(requested)' in \(Workspace.configurationFile) (users: \(configuration.users.map(\.id).joined(separator: ", ")))")
        }
        guard own?.isAdmin == true else {
            throw DomainError.permission("only an admin may act as another user; '\(osLogin)' is not an admin")
        }
        return target
    }

    /// The clock for this command: the system clock, or `override` (`--now` / `SINERGI_NOW`) when
    /// the workspace allows it.
    public func clock(override: String?) throws -> any Clock {
        guard let override, !override.isEmpty else { return SystemClock() }
        guard configuration.clockOverride else {
            throw DomainError.validation("--now is refused: set testing = { clock_override = true } in \(Workspace.configurationFile) "
                                         + "(for rehearsals and tests, never for production data)")
        }
        if let date = LocalDate(override) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = configuration.timeZone
            let (year, month, day) = date.components
            if let instant = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 8)) {
                return FixedClock(instant)
            }
        }
        let formatter = ISO8601DateFormatter()
        guard let instant = formatter.date(from: override) else {
            throw DomainError.validation("--now '\(override)' is not an ISO 8601 time (2027-01-15T09:00:00+07:00 or 2027-01-15)")
        }
        return FixedClock(instant)
    }
}
