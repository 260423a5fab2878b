import Agreements
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating-system account running Sinergi: its login and home folder, from `getuid()` and
/// the passwd database.
///
/// Never from `$USER` or `$HOME`: anyone can set those, and `USER=<an admin's login> sinergi …`
/// acted as that admin (issue #7, finding 14). Without a passwd entry there is no trustworthy
/// login, so Sinergi fails closed instead of guessing one.
///
///     let account = try OSAccount.current()   // OSAccount(uid: 1000, login: "sari", home: "/home/sari")
public struct OSAccount: Sendable, Equatable {
    public var uid: uid_t
    public var login: String
    public var home: String

    public init(uid: uid_t, login: String, home: String) {
        self.uid = uid
        self.login = login
        self.home = home
    }

    /// The account of the real user id; `permission` when it has no passwd entry.
    public static func current() throws -> OSAccount {
        let uid = getuid()
        guard let account = lookup(uid: uid) else {
            throw DomainError.permission("your account (uid \(uid)) has no entry in the passwd database, so Sinergi cannot tell "
                                         + "who you are; ask the system's administrator to add one (getent passwd \(uid))")
        }
        return account
    }

    /// The passwd entry of `uid`, or nil.
    static func lookup(uid: uid_t) -> OSAccount? {
        var size = max(Int(sysconf(Int32(_SC_GETPW_R_SIZE_MAX))), 1024)
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            // The entry's strings point into `buffer`: read them while it is held.
            let (status, account) = buffer.withUnsafeMutableBufferPointer { storage -> (Int32, OSAccount?) in
                guard let base = storage.baseAddress else { return (ENOMEM, nil) }
                var entry = passwd()
                var result: UnsafeMutablePointer<passwd>?
                let status = getpwuid_r(uid, &entry, base, storage.count, &result)
                guard status == 0, result != nil, let name = entry.pw_name, let home = entry.pw_dir else { return (status, nil) }
                return (status, OSAccount(uid: uid, login: String(cString: name), home: String(cString: home)))
            }
            if status == ERANGE {
                size *= 2
                continue
            }
            return account?.login.isEmpty == false ? account : nil
        }
        return nil
    }
}
