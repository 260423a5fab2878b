import Agreements
import Crypto
import Foundation
import Store

extension Workspace {
    /// The folder, below the workspace, where attached files are kept.
    public static let documentsFolder = "documents"

    /// The largest file `agreement attach --file` copies in (the copy is read into memory once).
    public static let maximumDocumentBytes = 256 << 20

    /// Copies a file the user names on the command line into `documents/` and returns the path
    /// the record keeps (relative to the workspace) with the copy's SHA-256.
    ///
    /// A record that only names a file elsewhere loses its evidence when that file moves or
    /// changes (issue #9 §3); the copy lives with the database and `sinergi backup` takes it
    /// along. The name is `<first 12 hex digits of the SHA-256>-<original name>`, so the same
    /// name attached twice with different contents never overwrites; it is written without
    /// following links (`NoFollowFile`).
    ///
    ///     let (path, sha256) = try workspace.keepDocument(copying: "/home/sari/scan/pks-2027.pdf")
    public func keepDocument(copying source: String) throws -> (path: String, sha256: String) {
        // The user's own file, named on their command line: a link to it is followed.
        let url = URL(fileURLWithPath: source).resolvingSymlinksInPath()
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw DomainError.notFound("--file \(source): no such regular file")
        }
        guard let size = attributes?[.size] as? Int, size <= Self.maximumDocumentBytes else {
            throw DomainError.validation("--file \(source): larger than \(Self.maximumDocumentBytes >> 20) MB")
        }
        let data = try Data(contentsOf: url)
        let sha256 = AuditLog.hex(SHA256.hash(data: data))
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let name = String(url.lastPathComponent.map { allowed.contains($0) ? $0 : "_" }).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        let path = "\(Self.documentsFolder)/\(sha256.prefix(12))-\(name.isEmpty ? "document" : name)"
        try NoFollowFile.write(data, to: path, under: root)
        return (path, sha256)
    }
}
