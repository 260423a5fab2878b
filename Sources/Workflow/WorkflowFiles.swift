import Crypto
import Foundation
import Store

/// A definition's sources as one version: the file and every `workflows/lib` module it requires.
///
/// The version is the SHA-256 of all of them, so editing a lib file makes a new version of each
/// definition that requires it; the engine keeps each version's sources in the database, and an
/// instance runs on its own version's sources whatever happens to the files later.
public struct WorkflowFiles: Sendable, Equatable {
    public var name: String
    /// The definition file's bytes, as Lua reads them.
    public var source: [UInt8]
    /// The modules it required, by module name.
    public var modules: [String: [UInt8]]
    /// Where errors say the definition lives (the file's path, or `NAME@VERSION` when stored).
    public var chunkName: String

    public init(name: String, source: [UInt8], modules: [String: [UInt8]] = [:], chunkName: String) {
        self.name = name
        self.source = source
        self.modules = modules
        self.chunkName = chunkName
    }

    /// Lower-case hex SHA-256 over the name, the definition and each module (sorted by name),
    /// each length-prefixed so that no two sets of files hash alike.
    public var version: String {
        var hash = SHA256()
        func add(_ bytes: [UInt8]) {
            hash.update(data: Data("\(bytes.count):".utf8))
            hash.update(data: Data(bytes))
        }
        add(Array(name.utf8))
        add(source)
        for module in modules.keys.sorted() {
            add(Array(module.utf8))
            add(modules[module] ?? [])
        }
        return AuditLog.hex(hash.finalize())
    }

    /// The first 12 digits: what people read and type (`workflow migrate --to` takes any unique prefix).
    public static func short(_ version: String) -> String { String(version.prefix(12)) }

    /// The sources as the store keeps them: `""` for the definition.
    public var stored: [String: [UInt8]] {
        var all = modules
        all[""] = source
        return all
    }

    /// The files of a stored version.
    public init?(name: String, version: String, stored: [String: [UInt8]]) {
        guard let source = stored[""] else { return nil }
        var modules = stored
        modules[""] = nil
        self.init(name: name, source: source, modules: modules, chunkName: "\(name)@\(WorkflowFiles.short(version))")
    }
}
