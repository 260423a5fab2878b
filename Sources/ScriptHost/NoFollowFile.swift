import Agreements
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files without following symbolic links.
///
/// A workspace is often a shared folder: a link planted there (`scripts -> ~victim/.ssh`,
/// `all.csv -> ~victim/.bashrc`) would make the next person's `sinergi init` or `export --output`
/// overwrite the link's target with their own rights (issue #7, finding 13). So each folder on the
/// way is opened with `O_NOFOLLOW` relative to the one before (`openat`; nothing can be swapped
/// between a check and the open), a link there is refused, and the file is written to a new
/// temporary name and renamed into place — a rename replaces a link, it never writes through one.
///
///     try NoFollowFile.write(Data(text.utf8), to: "scripts/lib/format.lua", under: workspaceRoot)
public enum NoFollowFile {
    /// Writes `data` to `relativePath` below `folder`, creating the folders on the way (mode 0755);
    /// refuses when any part of `relativePath` is a symbolic link. `folder` itself is taken as named.
    public static func write(_ data: Data, to relativePath: String, under folder: URL) throws {
        let parts = try components(relativePath, under: folder)
        guard let name = parts.last else { throw DomainError.validation("\(folder.path)/\(relativePath): not a file name") }
        let directory = try openFolders(parts.dropLast(), under: folder)
        defer { close(directory) }
        try write(data, named: name, in: directory, shown: folder.appendingPathComponent(relativePath).path)
    }

    /// Creates `relativePath` below `folder` as folders (mode 0755), refusing a symbolic link on the way.
    public static func makeFolders(_ relativePath: String, under folder: URL) throws {
        close(try openFolders(try components(relativePath, under: folder)[...], under: folder))
    }

    /// The parts of a relative path; `.` and `..` are refused, so a path stays below its folder.
    private static func components(_ relativePath: String, under folder: URL) throws -> [String] {
        let parts = relativePath.pathParts()
        guard !parts.contains(where: { $0 == "." || $0 == ".." }) else {
            throw DomainError.validation("\(folder.path)/\(relativePath): a path below the folder may not contain . or ..")
        }
        return parts
    }

    /// Writes `data` to `path` as named on a command line (`--output FILE`): the folders of the
    /// path are the user's choice, but the file itself must not be a symbolic link.
    public static func write(_ data: Data, toFile path: String) throws {
        let url = URL(fileURLWithPath: path)
        try write(data, to: url.lastPathComponent, under: url.deletingLastPathComponent())
    }

    /// Opens `folder`, then each of `parts` below it without following links, creating what is
    /// missing; returns the last descriptor (the caller closes it).
    private static func openFolders(_ parts: ArraySlice<String>, under folder: URL) throws -> Int32 {
        var current = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else {
            throw failure("cannot open the folder \(folder.path)", errno)
        }
        var walked = folder.path
        for part in parts {
            walked += "/" + part
            if mkdirat(current, part, 0o755) != 0 && errno != EEXIST {
                let code = errno
                close(current)
                throw failure("cannot create the folder \(walked)", code)
            }
            let next = openat(current, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(current)
            guard next >= 0 else {
                throw code == ELOOP || code == ENOTDIR
                    ? refusal(walked, "is a symbolic link or not a folder")
                    : failure("cannot open the folder \(walked)", code)
            }
            current = next
        }
        return current
    }

    /// Writes `name` in the open folder `directory` through a temporary file and a rename.
    private static func write(_ data: Data, named name: String, in directory: Int32, shown: String) throws {
        var status = stat()
        if fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                throw refusal(shown, "is a symbolic link")
            case S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK:
                // The rename below would put a regular file in place of the device or pipe
                // (`--output /dev/full` as root replaced /dev/full), and writing into one is no
                // file either: refused.
                throw DomainError.validation("cannot write \(shown): it is not a regular file (a device, a pipe or a socket); "
                                             + "name a regular file instead")
            default:
                break
            }
        }
        let temporary = ".\(name).sinergi-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let file = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        // What failed is a new file in the folder, not `shown` (which may well exist: /proc/version
        // said "No such file or directory"), so the message names the folder.
        guard file >= 0 else {
            throw failure("cannot write \(shown): cannot create a temporary file in its folder \(folder(of: shown)) "
                          + "(the file is written there, then renamed into place)", errno)
        }
        var written = 0
        let writeError: Int32? = data.withUnsafeBytes { bytes in
            while written < bytes.count {
                let count = systemWrite(file, bytes.baseAddress.map { $0 + written }, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        let closed = close(file)
        guard writeError == nil, closed == 0 else {
            let code = writeError ?? errno
            unlinkat(directory, temporary, 0)
            throw failure("cannot write \(shown): writing the temporary file in \(folder(of: shown)) failed", code)
        }
        guard renameat(directory, temporary, directory, name) == 0 else {
            let code = errno
            unlinkat(directory, temporary, 0)
            throw failure("cannot write \(shown): cannot rename the written temporary file over it", code)
        }
    }

    /// The folder part of a path as shown (`.` for a bare name).
    private static func folder(of shown: String) -> String {
        let folder = (shown as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// write(2); the name is taken by this type's own `write`.
    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(descriptor, bytes, count)
        #else
        return Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// An I/O failure with the system's reason: `permission` when access was denied, else `not-found`.
    private static func failure(_ what: String, _ code: Int32) -> DomainError {
        let message = "\(what): \(String(cString: strerror(code)))"
        return code == EACCES || code == EPERM || code == EROFS ? .permission(message) : .notFound(message)
    }

    private static func refusal(_ path: String, _ reason: String) -> DomainError {
        .permission("\(path) \(reason); Sinergi does not write through symbolic links "
                    + "in a workspace (a link planted in a shared folder would overwrite another file). "
                    + "Remove the link and try again")
    }
}
