import Foundation

/// Reads a file only if it really lies inside a folder: symlinks resolved, regular files only,
/// bounded in size.
///
/// Scripts name files (`require("x")`), and a folder an administrator shares may hold a link
/// planted by someone else: `scripts/lib/x.lua -> /etc/passwd` must not be read. The check runs on
/// the opened descriptor (`/proc/self/fd`), so swapping the path between check and read gains
/// nothing.
public enum ConfinedFile {
    public enum Failure: Error, Equatable {
        /// There is no such file (the caller may try elsewhere).
        case missing
        /// The file resolves outside the folder, or is not a regular file.
        case outside
        /// The file is larger than allowed.
        case tooLarge(limit: Int)
    }

    /// The canonical path of `path` (symlinks and `..` resolved), or nil when it does not exist.
    public static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// True when `path` is `root` itself or lies below it (both canonical).
    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// Opens `path` for reading if it is a regular file inside `root`; the caller closes the
    /// descriptor. Returns the descriptor and the file's size.
    public static func open(_ path: String, inside root: String) throws -> (descriptor: Int32, size: Int) {
        guard let canonicalRoot = resolve(root) else { throw Failure.missing }
        guard let canonical = resolve(path) else { throw Failure.missing }
        guard isInside(canonical, canonicalRoot) else { throw Failure.outside }
        let descriptor = Glibc.open(canonical, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw errno == ENOENT ? Failure.missing : Failure.outside }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let opened = resolve("/proc/self/fd/\(descriptor)"), isInside(opened, canonicalRoot) else {
            close(descriptor)
            throw Failure.outside
        }
        return (descriptor, Int(info.st_size))
    }

    /// The bytes of a regular file inside `root`, at most `limit` of them.
    public static func read(_ path: String, inside root: String, limit: Int) throws -> [UInt8] {
        let (descriptor, size) = try open(path, inside: root)
        defer { close(descriptor) }
        guard size <= limit else { throw Failure.tooLarge(limit: limit) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress.map { $0 + filled }, size - filled)
            }
            if count <= 0 { break }
            filled += count
        }
        return Array(bytes.prefix(filled))
    }
}
