import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "The users sinergi.lua declares.", subcommands: [UserList.self])
}

/// `user list`: who may act in this workspace, with which roles — what `sinergi.lua` declared,
/// after the load checked every role (`Role`).
struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the workspace's users and their roles.",
        discussion: "Example: sinergi user list --format csv")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try CommandContext(global)
        let users = context.workspace.configuration.users
        try Tabular.print(["id", "name", "login", "roles"], format: global.outputFormat,
                          rows: users.map { [$0.id, $0.name, $0.login ?? "", $0.roles.joined(separator: ", ")] }, objects: {
            users.map { user -> [String: Any] in ["id": user.id, "name": user.name, "login": user.login ?? NSNull(), "roles": user.roles] }
        })
    }
}
