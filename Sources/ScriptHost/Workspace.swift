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
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                // Not a folder that lacks a workspace yet: `init` there would only fail.
                throw DomainError.notFound("\(url.path) is a file, not a Sinergi workspace folder; "
                                           + "name the folder that holds \(configurationFile) with --workspace DIR")
            }
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
    ///
    /// The instant is read strictly (`Workspace.instant(_:)`) and must fall on a date Sinergi
    /// counts (0001-01-01 … 9999-12-31) both in UTC and in the workspace's time zone: stored
    /// instants are UTC stamps that order as text, and a tick run in year 10000 set deadlines
    /// that sorted before 2027's and fired again at every later tick.
    public func clock(override: String?) throws -> any Clock {
        guard let override, !override.isEmpty else { return SystemClock() }
        guard configuration.clockOverride else {
            throw DomainError.validation("--now is refused: set testing = { clock_override = true } in \(Workspace.configurationFile) "
                                         + "(for rehearsals and tests, never for production data)")
        }
        var instant: Date?
        if let date = LocalDate(override) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = configuration.timeZone
            let (year, month, day) = date.components
            instant = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 8))
        } else {
            instant = Workspace.instant(override)
        }
        let shown = override.bounded(toBytes: 64)
        guard let instant else {
            throw DomainError.validation("--now '\(shown)' is not an ISO 8601 time (2027-01-15T09:00:00+07:00 or 2027-01-15)")
        }
        let local = configuration.timeZone.secondsFromGMT(for: instant)
        guard Workspace.countsDate(of: instant, offset: 0), Workspace.countsDate(of: instant, offset: local) else {
            throw DomainError.validation("--now '\(shown)' is not within 0001-01-01 … 9999-12-31 (in UTC and in \(configuration.timeZone.identifier))")
        }
        return FixedClock(instant)
    }

    /// `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM`, as a date that exists (no 30 February),
    /// a time of day before 24:00 and an offset of at most 18 hours; nil otherwise. (ISO 8601's
    /// formatter rolls an impossible date over to the next month and takes any offset.)
    public static func instant(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20 || bytes.count == 25, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"), let date = LocalDate(String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 60 else { return nil }
        var offset = 0
        if bytes.count == 20 {
            guard bytes[19] == UInt8(ascii: "Z") else { return nil }
        } else {
            guard bytes[19] == UInt8(ascii: "+") || bytes[19] == UInt8(ascii: "-"), bytes[22] == UInt8(ascii: ":"),
                  let hours = number(20..<22), let minutes = number(23..<25), hours <= 18, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[19] == UInt8(ascii: "-") ? -1 : 1)
        }
        let seconds = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Whether `instant`, seen at `offset` seconds from UTC, falls within 0001-01-01 … 9999-12-31.
    public static func countsDate(of instant: Date, offset: Int) -> Bool {
        let seconds = instant.timeIntervalSince1970 + Double(offset)
        guard seconds.isFinite, abs(seconds) < 1e15 else { return false }
        let day = Int((seconds / 86_400).rounded(.down))
        guard let first = LocalDate(year: 1, month: 1, day: 1), let last = LocalDate(year: 9999, month: 12, day: 31) else { return false }
        return (first.dayNumber...last.dayNumber).contains(day)
    }
}
