import Agreements
import Foundation
import ScriptHost
@testable import Workflow

/// A real workspace in a temporary folder whose `workflows/` holds the definitions a test writes,
/// and a catalog evaluating them in a real Lua session.
final class CheckerWorkspace {
    let folder: URL
    let workspace: Workspace
    let session: ScriptSession
    let catalog: WorkflowCatalog

    init(sample: Bool = false, files: [String: String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-check-\(UUID().uuidString)")
        try WorkspaceInitializer.create(at: folder, admin: "tester", login: "tester", sample: sample)
        for (path, text) in files { try CheckerWorkspace.write(text, to: path, in: folder) }
        workspace = try Workspace(root: folder, loadedBy: "tester")
        let user = try workspace.actingUser(requested: nil, osLogin: "tester")
        session = try ScriptSession(workspace: workspace, actor: user, clock: FixedClock(Date(timeIntervalSince1970: 1_796_000_000)),
                                    output: { _ in }, log: { _, _ in })
        catalog = WorkflowCatalog(folder: folder.appendingPathComponent("workflows"), session: session)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String, to path: String) throws { try CheckerWorkspace.write(text, to: path, in: folder) }

    static func write(_ text: String, to path: String, in folder: URL) throws {
        let url = folder.appendingPathComponent("workflows").appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    var libFolder: URL { catalog.folder.appendingPathComponent("lib") }

    /// `name`'s diagnostics as `workflow check` finds them on `today` with `holidays`.
    func check(_ name: String, roles: Set<String> = [], holidays: Set<LocalDate> = [],
               today: String = "2026-11-30") throws -> [WorkflowDiagnostic] {
        let checker = WorkflowChecker(declaredRoles: roles, holidays: holidays, today: try requireDate(today))
        return checker.check(try catalog.current(name), libFolder: libFolder)
    }
}

struct MissingValue: Error {}

/// A date from `YYYY-MM-DD` (the fixtures' own, always valid).
func requireDate(_ text: String) throws -> LocalDate {
    guard let date = LocalDate(text) else { throw MissingValue() }
    return date
}

/// The 1-based line of the first line of `text` containing `marker` (what a fixture marks).
func line(of marker: String, in text: String) throws -> Int {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let index = lines.firstIndex(where: { $0.contains(marker) }) else { throw MissingValue() }
    return index + 1
}

/// The 1-based line of the first line that is `text` but for its indentation.
func line(exactly text: String, in source: String) throws -> Int {
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    guard let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == text }) else { throw MissingValue() }
    return index + 1
}
