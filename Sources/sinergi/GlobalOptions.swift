import ArgumentParser
import Foundation

/// Options every subcommand accepts after its name (DESIGN.md, "Global options").
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace folder (default: $SINERGI_WORKSPACE, else the current folder or a parent with sinergi.lua).", valueName: "dir"))
    var workspace: String?

    @Option(name: .long, help: ArgumentHelp("Output format where output is tabular: table, json or csv; xlsx where a command writes it (agreement export, template); mermaid or dot for workflow graph.", valueName: "format"))
    var format: OutputFormat?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this user (only an admin may act as someone else; default: $SINERGI_USER, else the user whose login is your OS account).", valueName: "user"))
    var user: String?

    @Option(name: .long, help: ArgumentHelp("The clock for this command, ISO 8601 (only when sinergi.lua sets testing = { clock_override = true }).", valueName: "time"))
    var now: String?
}

/// `--format`: people on a terminal get tables; programs get JSON or CSV; Excel gets xlsx from
/// the commands that write it (`CommandContext(_:writes:)` refuses it elsewhere); Mermaid and
/// Graphviz get a workflow's diagram from `workflow graph` (`refuseDiagram(in:)` elsewhere).
enum OutputFormat: String, WordArgument {
    case table, json, csv, xlsx, mermaid, dot

    /// The diagram formats: only `workflow graph` draws, every other command refuses them as a
    /// usage mistake (exit 64) before it opens anything.
    var isDiagram: Bool { self == .mermaid || self == .dot }
}

/// An option whose value is one of a few words, its cases' raw values (`--format json`).
///
/// swift-argument-parser's defaults find those words through `String(describing:)` and generic
/// string interpolation, whose dynamic casts each scan every conformance record in the binary
/// the first time; it asks for them whenever it builds a command's arguments, several times a
/// run, so `--format`, which every command has, cost 5 % of a cold `eval`'s instructions. These
/// give the same words (and, like the defaults, no per-value descriptions) directly.
protocol WordArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension WordArgument {
    static var allValueStrings: [String] { allCases.map(\.rawValue) }
    static var allValueDescriptions: [String: String] { [:] }
    var defaultValueDescription: String { rawValue }
}

/// The formats of tabular output printed to a terminal or a pipe: every `OutputFormat` but xlsx.
enum TableFormat: String {
    case table, json, csv
}

extension GlobalOptions {
    /// The global options a parsed command took, if it takes them (its `@OptionGroup`).
    static func of(_ command: any ParsableCommand) -> GlobalOptions? {
        Mirror(reflecting: command).children.lazy.compactMap { ($0.value as? OptionGroup<GlobalOptions>)?.wrappedValue }.first
    }

    /// Refuses `--format mermaid|dot` as a usage mistake (exit 64) before a command other than
    /// `workflow graph` runs: checked once for every command, those without a workspace included.
    func refuseDiagram(in command: any ParsableCommand) throws {
        guard let format, format.isDiagram, !(command is WorkflowGraph) else { return }
        throw ValidationError("--format \(format.rawValue): only `sinergi workflow graph` draws diagrams")
    }
}
