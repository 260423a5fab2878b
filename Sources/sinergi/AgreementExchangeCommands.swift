import Agreements
import ArgumentParser
import Foundation
import ScriptHost
import Store

struct AgreementImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import agreements from CSV or JSON: all or nothing.",
        discussion: """
        Every row is checked first; if any row is bad, each bad row is reported with its line
        (`data.csv:7: ends_on: …`) and nothing is imported. The columns are those `agreement export`
        writes, so an export imports back unchanged.

        Examples:
          sinergi agreement import agreements.csv
          sinergi agreement import --skip-invalid agreements.json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Import the good rows and report the bad ones, instead of importing nothing.")
    var skipInvalid = false

    @Argument(help: ArgumentHelp("A .csv or .json file (the format follows --format or the extension).", valueName: "file"))
    var file: String

    func run() throws {
        do {
            let context = try CommandContext(global)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw DomainError.notFound("cannot read \(file)")
            }
            let text = String(decoding: data, as: UTF8.self)
            let json = global.format == .json || (global.format == nil && file.lowercased().hasSuffix(".json"))
            var (rows, errors) = json ? AgreementExchange.readJSON(text) : AgreementExchange.readCSV(text)
            let progress = Progress(total: rows.count)
            // One grouped unit: each row is a unit of its own, so a bad row rolls back alone and
            // the good ones are committed together — or nothing is, when a row was bad and
            // --skip-invalid was not given.
            let imported = try context.workspace.database.group { group -> Int in
                var count = 0
                for (index, row) in rows.enumerated() {
                    do {
                        try group.unit { unit in
                            try context.workspace.agreements.create(row.agreement, by: context.user, at: context.timestamp, in: unit)
                        }
                        count += 1
                    } catch let error as DomainError {
                        if case .permission = error { throw error }
                        errors.append(.init(line: row.line, message: error.description))
                    }
                    progress.update(index + 1)
                }
                progress.finish()
                guard errors.isEmpty || skipInvalid else {
                    try group.rollback()
                    return -1
                }
                return count
            }
            rows.removeAll()
            errors.sort { $0.line < $1.line }
            let label = json ? "\(file): record" : file
            for error in errors {
                printError("error[validation]: \(label)\(json ? " " : ":")\(error.line): \(error.message)")
            }
            if imported < 0 {
                printError("nothing was imported: \(errors.count) bad \(errors.count == 1 ? "row" : "rows"); fix \(errors.count == 1 ? "it" : "them") or use --skip-invalid")
                throw ExitCode(7)
            }
            print("imported \(imported) \(imported == 1 ? "agreement" : "agreements") from \(file)"
                  + (errors.isEmpty ? "" : "; skipped \(errors.count) bad \(errors.count == 1 ? "row" : "rows")"))
            if !errors.isEmpty { throw ExitCode(7) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw ErrorReport.report(error, fallbackLocation: file)
        }
    }
}

/// A progress bar on standard error, only when it is a terminal and the import is large.
final class Progress {
    private let total: Int
    private let visible: Bool
    private var shown = -1

    init(total: Int) {
        self.total = total
        visible = isatty(STDERR_FILENO) != 0 && total >= 500
    }

    func update(_ done: Int) {
        guard visible else { return }
        let percent = done * 100 / max(total, 1)
        guard percent != shown else { return }
        shown = percent
        let bar = String(repeating: "#", count: percent / 4).padding(toLength: 25, withPad: " ", startingAt: 0)
        FileHandle.standardError.write(Data("\rimporting [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if visible { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

struct AgreementExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export agreements as CSV (default) or JSON; `agreement import` reads it back unchanged.",
        discussion: "Example: sinergi agreement export --format json --output agreements.json --kind ksdpk"
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: FilterOptions

    @Option(help: ArgumentHelp("Write to this file instead of standard output (never through a symbolic link).", valueName: "file"))
    var output: String?

    func run() throws {
        do {
            let context = try CommandContext(global)
            let filter = try filters.filter()
            let agreements = try context.workspace.database.read { unit in
                try context.workspace.agreements.all(filter, withParties: true, in: unit)
            }
            let json = global.format == .json || (global.format == nil && (output ?? "").lowercased().hasSuffix(".json"))
            let text = json ? try AgreementExchange.json(agreements.map { AgreementExchange.jsonObject($0) })
                : AgreementExchange.csv(agreements)
            if let output {
                try NoFollowFile.write(Data(text.utf8), toFile: output)
                printError("exported \(agreements.count) agreements to \(output)")
            } else {
                print(text, terminator: "")
            }
        } catch {
            throw ErrorReport.report(error, fallbackLocation: nil)
        }
    }
}
