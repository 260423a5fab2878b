import Agreements
import Foundation
import LuaKit
@testable import ScriptHost

/// A real workspace in a temporary folder (sinergi.lua, database), and sessions on it.
final class ScriptHostFixture {
    let folder: URL
    let workspace: Workspace
    var output: [String] = []

    init(sample: Bool = false, extraConfiguration: String = "") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-host-\(UUID().uuidString)")
        try WorkspaceInitializer.create(at: folder, admin: "tester", login: "tester", sample: false)
        if !extraConfiguration.isEmpty {
            let file = folder.appendingPathComponent("sinergi.lua")
            let text = try String(contentsOf: file, encoding: .utf8) + "\n" + extraConfiguration
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        workspace = try Workspace(root: folder, loadedBy: "tester")
        if sample {
            _ = try session().run(source: ShippedFiles.files["data/sample_probolinggo.lua"] ?? "", chunkName: "sample.lua")
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func session(as userId: String? = nil, readOnly: Bool = false, now: String = "2026-11-30",
                 limits: LuaLimits? = nil) throws -> ScriptSession {
        let user = try workspace.actingUser(requested: userId, osLogin: "tester")
        let clock = FixedClock(try require_(ISO8601DateFormatter().date(from: now + "T01:00:00Z")))
        return try ScriptSession(workspace: workspace, actor: user, clock: clock, readOnly: readOnly, limits: limits,
                                 output: { [unowned self] in output.append($0) }, log: { _, _ in })
    }

    func eval(_ chunk: String, readOnly: Bool = false) throws -> [LuaValue] {
        try session(readOnly: readOnly).eval(chunk)
    }
}

struct Missing: Error {}
func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw Missing() }
    return value
}
