import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store

struct AgreementImport: ParsableCommand, LocatedCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import agreements from CSV, JSON or an Excel register (.xlsx): all or nothing.",
        discussion: """
        Every row is checked first; if any row is bad, every error of every row is \
        reported with its line and column (`data.csv:7: column 'Tanggal Berakhir':
        ends_on: …`) and nothing is imported. The columns are those `agreement \
        export` writes, so an export imports back unchanged; a register saved from \
        Excel imports too: a byte-order mark, `;`, `,` or tab between cells, the \
        Indonesian headers (`Nomor Perjanjian`, `Perihal`, `OPD`, `Nilai (Rp)`, \
        `Mitra`, `Jenis Mitra`, …; `sinergi agreement template` lists them), dates \
        as 31/12/2027 or 31 Desember 2027, `Rp 1.250.000.000`, `Ya`/`Tidak`, \
        `Aktif`/`Berakhir`. Columns that are no field (`No`) are left out with a \
        note; `--map` names the field of any other header.

        Examples:
          sinergi agreement import agreements.csv
          sinergi agreement import --dry-run register.xlsx
          sinergi agreement import --map "Nama OPD=lead_agency" --update register.csv
          sinergi agreement import --skip-invalid agreements.json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Import the good rows and report the bad ones, instead of importing nothing.")
    var skipInvalid = false

    @Flag(help: "Check every row and show what would be imported; change nothing.")
    var dryRun = false

    @Flag(help: "Update the agreement with a row's number when there is one (each change audited), instead of refusing the number.")
    var update = false

    @Option(name: .customLong("map"), help: ArgumentHelp("Read the column with this header as this field (repeatable).", valueName: "Header=field"))
    var maps: [String] = []

    @Argument(help: ArgumentHelp("A .csv, .json or .xlsx file (the format follows --format or the extension).", valueName: "file"))
    var file: String

    var errorLocation: String? { file }

    /// The most errors printed; the rest are counted.
    static let maximumErrorsShown = 100

    func run() throws {
        let context = try CommandContext(global, writes: [.table, .json, .csv, .xlsx])
        let data = try AgreementExchange.importData(atPath: file)
        let map = try columnMap()
        let lowered = file.lowercased()
        let json = global.format == .json || (global.format == nil && lowered.hasSuffix(".json"))
        let xlsx = global.format == .xlsx || (global.format == nil && lowered.hasSuffix(".xlsx"))
        var plan: AgreementExchange.ImportPlan
        if json {
            plan = AgreementExchange.readJSON(try text(of: data))
        } else if xlsx {
            do {
                plan = AgreementExchange.readTable(try XLSXWorkbook.firstSheet(of: data), map: map, requireKind: !update)
            } catch let error as XLSXWorkbook.ReadError {
                throw DomainError.validation(error.description)
            }
        } else {
            plan = AgreementExchange.readCSV(try text(of: data), map: map, requireKind: !update)
        }
        for note in plan.notes { printError(TerminalText.line("note: \(file): \(note)")) }
        let report = try RowImporter(context: context, update: update)
            .run(plan.rows) { !dryRun && (skipInvalid || (plan.errors.isEmpty && $0.errors.isEmpty)) }
        var errors = plan.errors + report.errors
        errors.sort { $0.line < $1.line }
        let label = json ? "\(file): record" : file
        for error in errors.prefix(Self.maximumErrorsShown) {
            printError(TerminalText.line("error[validation]: \(label)\(json ? " " : ":")\(error.line): \(error.message)"))
        }
        if errors.count > Self.maximumErrorsShown {
            printError("… and \(errors.count - Self.maximumErrorsShown) more (\(errors.count) errors in all)")
        }
        let bad = Set(errors.map(\.line)).count
        let rows = "\(bad) bad \(bad == 1 ? "row" : "rows")"
        if dryRun {
            for line in report.done { print(line) }
            print("dry run: would import \(report.created) and update \(report.updated) of \(report.created + report.updated + bad) rows"
                  + (errors.isEmpty ? "" : "; \(rows), \(errors.count) \(errors.count == 1 ? "error" : "errors")") + "; nothing changed")
            if !errors.isEmpty { throw ExitCode(7) }
            return
        }
        if !errors.isEmpty && !skipInvalid {
            printError("nothing was imported: \(rows), \(errors.count) \(errors.count == 1 ? "error" : "errors"); fix \(bad == 1 ? "it" : "them") or use --skip-invalid")
            throw ExitCode(7)
        }
        let imported = report.created + report.updated
        try WorkflowContext.autoStart(context)
        print("imported \(imported) \(imported == 1 ? "agreement" : "agreements") from \(TerminalText.line(file))"
              + (report.updated > 0 ? " (\(report.updated) updated)" : "")
              + (errors.isEmpty ? "" : "; skipped \(rows)"))
        if !errors.isEmpty { throw ExitCode(7) }
    }

    /// The file as UTF-8 text, or a validation error naming its first line that is not.
    private func text(of data: Data) throws -> String {
        do {
            return try AgreementExchange.importText(data)
        } catch let error as AgreementExchange.RowError {
            throw DomainError.validation("line \(error.line) \(error.message)")
        }
    }

    /// `--map "Header=field"` options by header.
    private func columnMap() throws -> [String: String] {
        var map: [String: String] = [:]
        for entry in maps {
            guard let equals = entry.lastIndex(of: "=") else {
                throw DomainError.validation("--map '\(entry)': expected Header=field (e.g. \"Nama OPD=lead_agency\")")
            }
            map[String(entry[..<equals]).trimmingCharacters(in: .whitespaces)] = String(entry[entry.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        }
        return map
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
        StandardOutput.writeError("\rimporting [\(bar)] \(done)/\(total)")
    }

    func finish() {
        if visible { StandardOutput.writeError("\n") }
    }
}
