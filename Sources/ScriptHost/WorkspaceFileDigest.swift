import Crypto
import Foundation
import LuaKit
import Store
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SHA-256 of a file a script names in `a:attach{ file = PATH }`, confined to the workspace.
///
/// A script is untrusted: without confinement `file = "/etc/shadow"` (or `../`, a symlink,
/// `/proc/self/environ`) made the returned hash an existence and content oracle for the whole
/// machine, and `/proc/self/pagemap` grew the process past 1 GB (issue #7, finding 3). So a path
/// is resolved (symlinks included) and must lie under the workspace's resolved root; the file is
/// opened without following a last symlink, must be a regular file, and the descriptor's own path
/// is checked again after opening (a swap between the check and the open cannot lead outside).
/// It is hashed in 64 KiB chunks, so memory stays flat, up to `maximumBytes`.
///
/// Every refusal is one `forbidden` error with one message, whether the file is missing, outside
/// the workspace, or not a regular file — the answer says nothing about the rest of the machine.
///
///     let hex = try WorkspaceFileDigest.sha256(of: "docs/pks.pdf", inside: workspace.root)
enum WorkspaceFileDigest {
    /// Sinergi's cap on an attached file (README, "The Lua API"): larger files are refused.
    static let maximumBytes: Int64 = 512 << 20
    /// How much is read and hashed at a time.
    static let chunkBytes = 64 << 10

    /// The lower-case hex SHA-256 of `path` (relative paths are from `root`).
    static func sha256(of path: String, inside root: URL) throws -> String {
        let refused = refusal(path)
        guard !path.isEmpty, !path.utf8.contains(0) else { throw refused }
        let candidate = path.hasPrefix("/") ? path : root.path + "/" + path
        let opened: (descriptor: Int32, size: Int)
        do { opened = try ConfinedFile.open(candidate, inside: root.path) } catch { throw refused }
        let descriptor = opened.descriptor
        defer { close(descriptor) }
        guard Int64(opened.size) <= maximumBytes else { throw tooLarge(path) }
        var hasher = SHA256()
        var total: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkBytes) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw refused
            }
            total += Int64(count)
            // The file may grow while it is read: the cap holds for what is actually hashed.
            guard total <= maximumBytes else { throw tooLarge(path) }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        }
        return AuditLog.hex(hasher.finalize())
    }

    /// The one message for a path that is missing, outside the workspace, or not a regular file.
    static func refusal(_ path: String) -> LuaError {
        .forbidden(message: "a:attach: \(shown(path)) is not a regular file inside the workspace", location: nil)
    }

    static func tooLarge(_ path: String) -> LuaError {
        .forbidden(message: "a:attach: \(shown(path)) is larger than \(LuaLimits.formatSize(Int(maximumBytes))), "
                   + "the most Sinergi hashes", location: nil)
    }

    /// The path as a Lua string literal (control bytes escaped), cut to 200 bytes.
    private static func shown(_ path: String) -> String {
        let bytes = Array(path.utf8)
        return bytes.count <= 200 ? LuaPrinter.quote(bytes) : LuaPrinter.quote(Array(bytes.prefix(200))) + "…"
    }
}
