import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost

/// What a command needs from its surroundings: the workspace, the acting user, the clock.
struct CommandContext {
    let workspace: Workspace
    let user: User
    let clock: any Clock

    /// What a command that prints writes: every `--format` but xlsx and the diagrams.
    static let printedFormats: [OutputFormat] = [.table, .json, .csv]

    /// Opens the workspace named by the global options (or found from the current folder), as
    /// the OS account running the command (`OSAccount`: from `getuid`, never from `$USER`).
    /// `--format` must be one of `formats`, the ones the command writes.
    init(_ global: GlobalOptions, writes formats: [OutputFormat] = CommandContext.printedFormats) throws {
        try self.init(global, writes: formats, environment: ProcessInfo.processInfo.environment, root: nil)
    }

    /// As `init(_:writes:)`, with the environment already read and, if the caller found it
    /// already, the workspace's folder: each is worked out once per command (`optional`).
    private init(_ global: GlobalOptions, writes formats: [OutputFormat], environment: [String: String], root found: URL?) throws {
        if let format = global.format, !formats.contains(format) {
            throw DomainError.validation("--format \(format.rawValue): this command writes \(formats.map(\.rawValue).joined(separator: ", "))")
        }
        let account = try OSAccount.current()
        let root = try found ?? Workspace.locate(explicit: global.workspace, environment: environment,
                                                 currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        workspace = try Workspace(root: root, loadedBy: account.login)
        user = try workspace.actingUser(requested: global.user ?? environment["SINERGI_USER"], osLogin: account.login)
        clock = try workspace.clock(override: global.now ?? environment["SINERGI_NOW"])
    }

    /// The workspace if there is one here (or one was named); nil lets `run`/`eval` work as plain Lua.
    static func optional(_ global: GlobalOptions) throws -> CommandContext? {
        let environment = ProcessInfo.processInfo.environment
        var found: URL?
        if global.workspace == nil && (environment["SINERGI_WORKSPACE"] ?? "").isEmpty {
            guard let root = try? Workspace.locate(explicit: nil, environment: [:],
                                                   currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            else { return nil }
            found = root
        }
        return try CommandContext(global, writes: printedFormats, environment: environment, root: found)
    }

    var timestamp: String { workspace.configuration.calendar.timestamp(of: clock.now()) }
}

extension GlobalOptions {
    /// The format to print in: `--format`, else a table (xlsx, which `CommandContext` refuses
    /// for commands that print, is never printed).
    var outputFormat: TableFormat {
        switch format {
        case .json: return .json
        case .csv: return .csv
        case .table, .xlsx, .mermaid, .dot, nil: return .table
        }
    }
}

/// A plain aligned table for `--format table`, for a terminal: control characters in a cell
/// (stored text a script or an import chose) are shown escaped, never sent to the terminal.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(TerminalText.line) }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

/// Rows printed as `--format` asks: an aligned table for people, a JSON array of objects keyed
/// by the header, or CSV with the header first.
enum Tabular {
    /// Prints `rows` under `header`; as JSON, each row is an object of its texts — or, given
    /// `objects`, those (typed values: numbers, nulls, lists) are printed instead.
    static func print(_ header: [String], format: TableFormat, rows: @autoclosure () -> [[String]],
                      objects: (() -> [[String: Any]])? = nil) throws {
        switch format {
        case .json:
            let objects = objects?() ?? rows().map { row in Dictionary(uniqueKeysWithValues: zip(header, row)) }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            Swift.print(String(decoding: data, as: UTF8.self))
        case .csv: Swift.print(([header] + rows()).map(CSVTable.line).joined(separator: "\n"))
        case .table: Swift.print(TextTable.render(header, rows()))
        }
    }
}

/// Writes text to standard error. Much of what is said there a script or a data file chose (a
/// failed transition's error, an import's note), so control characters other than newlines and
/// tabs are escaped: no ESC or CR can rewrite the terminal or a log. A caller whose text must
/// stay one line escapes it with `TerminalText.line` first.
func printError(_ text: String) {
    StandardOutput.writeError(TerminalText.lines(text.hasSuffix("\n") ? text : text + "\n"))
}
