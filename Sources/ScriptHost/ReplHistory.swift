import Agreements
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the REPL keeps a person's input history: in their own state folder, as `psql` and
/// `sqlite3` keep theirs in the home folder — `$XDG_STATE_HOME/sinergi/history`, else
/// `~/.local/state/sinergi/history` (the home folder from the passwd entry, not `$HOME`).
///
/// Never in the workspace: it is often a shared folder, and a `.sinergi/history` link planted
/// there by one user made another user's REPL replace the link's target (issue #7, finding 13).
/// The folder is created with mode 0700; the history is used only while the folder is a real
/// folder owned by the user and writable by no one else, and the file, if there, is a regular
/// file owned by the user. `isSafe` is checked again before every write.
///
///     let history = try ReplHistory(account: try OSAccount.current(), environment: ProcessInfo.processInfo.environment)
///     history.path   // "/home/sari/.local/state/sinergi/history"
public struct ReplHistory: Sendable {
    public let path: String
    let folder: String
    let uid: uid_t

    /// The history file of `account`, its folder created if missing; `permission` when the folder
    /// or file is not safe to use (the REPL then runs without history and says why).
    public init(account: OSAccount, environment: [String: String]) throws {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? account.home + "/.local/state"
        folder = state + "/sinergi"
        path = folder + "/history"
        uid = account.uid
        try Self.makeFolders(folder)
        if let reason = unsafeReason() { throw DomainError.permission("history is off: \(reason)") }
    }

    /// Whether the folder and file are still safe to read and write.
    public var isSafe: Bool { unsafeReason() == nil }

    private func unsafeReason() -> String? {
        var status = stat()
        guard lstat(folder, &status) == 0 else { return "\(folder) cannot be read" }
        if (status.st_mode & S_IFMT) == S_IFLNK { return "\(folder) is a symbolic link" }
        if (status.st_mode & S_IFMT) != S_IFDIR { return "\(folder) is not a folder" }
        if status.st_uid != uid { return "\(folder) belongs to another user" }
        if status.st_mode & 0o022 != 0 { return "\(folder) is writable by others (chmod 700 it)" }
        guard lstat(path, &status) == 0 else { return errno == ENOENT ? nil : "\(path) cannot be read" }
        if (status.st_mode & S_IFMT) == S_IFLNK { return "\(path) is a symbolic link" }
        if (status.st_mode & S_IFMT) != S_IFREG { return "\(path) is not a regular file" }
        if status.st_uid != uid { return "\(path) belongs to another user" }
        return nil
    }

    /// `mkdir -p` with mode 0700 for every folder it creates.
    private static func makeFolders(_ path: String) throws {
        var walked = ""
        for part in path.pathParts() {
            walked += "/" + part
            if mkdir(walked, 0o700) != 0 && errno != EEXIST {
                throw DomainError.permission("history is off: cannot create \(walked): \(String(cString: strerror(errno)))")
            }
        }
    }
}
