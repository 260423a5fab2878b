import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store
import Workflow

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: sinergi.lua, scripts/, workflows/ and the database.",
        discussion: """
        The person running it becomes the workspace's admin: their OS account (from the operating \
        system, not $USER) is the admin's login, and the admin's id is that login, or --as NAME. \
        Refuses to overwrite an existing workspace, and to write through a symbolic link.

        Examples:
          sinergi init kerjasama
          sinergi init --sample demo      # with a fictional Probolinggo data set
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Load a clearly fictional Probolinggo data set (agreements in various stages and expiry dates, each on its workflow where it stands).")
    var sample = false

    @Argument(help: ArgumentHelp("The folder to create the workspace in (default: the current folder).", valueName: "dir"))
    var directory: String = "."

    func run() throws {
        let folder = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        let login = try OSAccount.current().login
        let admin = global.user ?? login
        let workspace = try WorkspaceInitializer.create(at: folder, admin: admin, login: login, sample: sample)
        let count = try workspace.database.read { try workspace.agreements.count(.init(), in: $0) }
        var onTracks = ""
        if sample {
            // The sample set joins its tracks where each agreement stands (adopted, never reset).
            let user = try workspace.actingUser(requested: admin, osLogin: login)
            let engine = WorkflowEngine(workspace: workspace, session: try ScriptSession(workspace: workspace, actor: user,
                                                                                        output: { _ in }, log: { _, _ in }))
            let (started, skipped) = try engine.startWaiting(actor: user)
            for line in skipped { printError("note: not started on a workflow: " + TerminalText.line(line)) }
            // The steps the sample set has already taken on its tracks (data/sample_steps.lua).
            _ = try engine.session.run(source: ShippedFiles.files["data/sample_steps.lua"] ?? "", chunkName: "sample_steps.lua")
            onTracks = ", \(started) on their workflows"
        }
        print("Created a Sinergi workspace in \(TerminalText.line(folder.path)) (admin: \(admin)\(sample ? ", \(count) sample agreements\(onTracks)" : "")).")
        print("Next: cd \(TerminalText.line(directory)) && sinergi agreement list")
    }
}
