import Agreements
import Foundation

/// `sinergi init`: lays out a new workspace with the shipped scripts and workflows, a
/// configuration that makes the person running it an admin, the database, and — on request —
/// the fictional Probolinggo sample data set.
public enum WorkspaceInitializer {
    /// Creates the workspace at `folder` with the admin `admin` (a user id) whose OS login is
    /// `login`; refuses to overwrite an existing one.
    @discardableResult
    public static func create(at folder: URL, admin: String, login: String, sample: Bool) throws -> Workspace {
        let configuration = folder.appendingPathComponent(Workspace.configurationFile)
        if FileManager.default.fileExists(atPath: configuration.path) {
            throw DomainError.validation("\(folder.path) is already a Sinergi workspace (\(Workspace.configurationFile) exists); nothing was changed")
        }
        guard admin.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }), !admin.isEmpty else {
            throw DomainError.validation("cannot make '\(admin)' a user id; pass --as NAME to choose the admin's id")
        }
        guard login.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }), !login.isEmpty else {
            throw DomainError.validation("cannot write the login '\(login)' into \(Workspace.configurationFile); "
                                         + "run init from an account whose name is letters, digits, '.', '_' or '-'")
        }
        let fileManager = FileManager.default
        // What this call creates is removed again if any later step fails: a failed init leaves
        // no half-made workspace behind.
        let created = ["scripts", "workflows", "types", ".sinergi", ".luarc.json", Workspace.configurationFile]
            .filter { !fileManager.fileExists(atPath: folder.appendingPathComponent($0).path) }
        let folderExisted = fileManager.fileExists(atPath: folder.path)
        do {
            return try lay(at: folder, admin: admin, login: login, sample: sample, configuration: configuration)
        } catch {
            if folderExisted {
                for name in created { try? fileManager.removeItem(at: folder.appendingPathComponent(name)) }
            } else {
                try? fileManager.removeItem(at: folder)
            }
            throw error
        }
    }

    private static func lay(at folder: URL, admin: String, login: String, sample: Bool, configuration: URL) throws -> Workspace {
        let fileManager = FileManager.default
        for subfolder in ["scripts/lib", "workflows/lib", ".sinergi"] {
            try fileManager.createDirectory(at: folder.appendingPathComponent(subfolder), withIntermediateDirectories: true)
        }
        try fileManager.createDirectory(at: folder.appendingPathComponent("types"), withIntermediateDirectories: true)
        for (path, contents) in ShippedFiles.files
        where path.hasPrefix("scripts/") || path.hasPrefix("workflows/") || path.hasPrefix("types/") {
            try contents.write(to: folder.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        let template = ShippedFiles.files["data/sinergi.lua"] ?? ""
        let sampleUsers = sample ? (ShippedFiles.files["data/sample_users.lua"] ?? "") : ""
        let text = template.replacingOccurrences(of: "{{ADMIN}}", with: admin)
            .replacingOccurrences(of: "{{LOGIN}}", with: login)
            .replacingOccurrences(of: "{{SAMPLE_USERS}}\n", with: sampleUsers)
        try text.write(to: configuration, atomically: true, encoding: .utf8)
        // Editor support: the Lua language server reads the API's definitions from types/.
        try #"{ "runtime.version": "Lua 5.4", "workspace.library": ["types"], "diagnostics.globals": ["agreements", "log", "today", "now", "date", "days", "workdays"] }"#
            .write(to: folder.appendingPathComponent(".luarc.json"), atomically: true, encoding: .utf8)
        try "sinergi.db*\nhistory\n".write(to: folder.appendingPathComponent(".sinergi/.gitignore"), atomically: true, encoding: .utf8)

        let workspace = try Workspace(root: folder, loadedBy: login)
        if sample {
            let user = try workspace.actingUser(requested: nil, osLogin: login)
            let session = try ScriptSession(workspace: workspace, actor: user, output: { _ in })
            _ = try session.run(source: ShippedFiles.files["data/sample_probolinggo.lua"] ?? "",
                                chunkName: "sample_probolinggo.lua")
        }
        return workspace
    }
}
