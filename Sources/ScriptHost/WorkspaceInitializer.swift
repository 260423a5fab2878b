import Agreements
import Foundation

/// `sinergi init`: lays out a new workspace with the shipped scripts and workflows, a
/// configuration that makes the person running it an admin, the database, and — on request —
/// the fictional Probolinggo sample data set. Nothing is written through a symbolic link
/// (`NoFollowFile`): a link planted in a shared folder is refused.
public enum WorkspaceInitializer {
    /// Creates the workspace at `folder` with the admin `admin` (a user id) whose OS login is
    /// `login`; refuses to overwrite an existing one.
    @discardableResult
    public static func create(at folder: URL, admin: String, login: String, sample: Bool) throws -> Workspace {
        let configuration = folder.appendingPathComponent(Workspace.configurationFile)
        var status = stat()
        if lstat(configuration.path, &status) == 0 {
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
        // no half-made workspace behind. Existence without following links: a link that was
        // there (and made init fail) is not ours to remove.
        func exists(_ url: URL) -> Bool { lstat(url.path, &status) == 0 }
        let created = ["scripts", "workflows", "types", ".sinergi", ".luarc.json", Workspace.configurationFile]
            .filter { !exists(folder.appendingPathComponent($0)) }
        let folderExisted = exists(folder)
        do {
            return try lay(at: folder, admin: admin, login: login, sample: sample)
        } catch {
            if folderExisted {
                for name in created { try? fileManager.removeItem(at: folder.appendingPathComponent(name)) }
            } else {
                try? fileManager.removeItem(at: folder)
            }
            throw error
        }
    }

    private static func lay(at folder: URL, admin: String, login: String, sample: Bool) throws -> Workspace {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for subfolder in ["scripts/lib", "workflows/lib", "types", ".sinergi"] {
            try NoFollowFile.makeFolders(subfolder, under: folder)
        }
        func write(_ text: String, _ path: String) throws { try NoFollowFile.write(Data(text.utf8), to: path, under: folder) }
        for (path, contents) in ShippedFiles.files
        where path.hasPrefix("scripts/") || path.hasPrefix("workflows/") || path.hasPrefix("types/") {
            try write(contents, path)
        }
        let template = ShippedFiles.files["data/sinergi.lua"] ?? ""
        let sampleUsers = sample ? (ShippedFiles.files["data/sample_users.lua"] ?? "") : ""
        // The shipped reminder jobs: on in the sample, written commented out elsewhere (one source).
        let jobs = (ShippedFiles.files["data/sample_schedule.lua"] ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            .map { sample || $0.isEmpty ? String($0) : "-- " + $0 }.joined(separator: "\n")
        let text = template.replacingOccurrences(of: "{{ADMIN}}", with: admin)
            .replacingOccurrences(of: "{{LOGIN}}", with: login)
            .replacingOccurrences(of: "{{SAMPLE_USERS}}\n", with: sampleUsers)
            .replacingOccurrences(of: "{{SCHEDULE}}\n", with: jobs)
        try write(text, Workspace.configurationFile)
        // Editor support: the Lua language server reads the API's definitions from types/.
        try write(#"{ "runtime.version": "Lua 5.4", "workspace.library": ["types"], "diagnostics.globals": ["agreements", "log", "notify", "today", "now", "date", "days", "workdays"] }"#,
                  ".luarc.json")
        try write("sinergi.db*\n", ".sinergi/.gitignore")

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
