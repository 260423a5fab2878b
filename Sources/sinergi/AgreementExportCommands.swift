import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store

struct AgreementExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export agreements as CSV (default), JSON or an Excel register; `agreement import` reads it back unchanged.",
        discussion: """
        `--format xlsx` writes an Excel workbook (to --output, or to standard output \
        when it is not a terminal); `--excel` writes CSV as Excel opens it in an \
        Indonesian locale (a byte-order mark, `;`, the Indonesian headers, \
        dd/mm/yyyy). The JSON export carries each agreement's documents.

        Examples:
          sinergi agreement export --format json --output agreements.json --kind ksdpk
          sinergi agreement export --format xlsx --output register.xlsx
          sinergi agreement export --excel --output register.csv
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: FilterOptions

    @Option(help: ArgumentHelp("Write to this file instead of standard output (never through a symbolic link).", valueName: "file"))
    var output: String?

    @Flag(help: "CSV for Excel: a byte-order mark, ';' between cells, the Indonesian headers, dd/mm/yyyy.")
    var excel = false

    func run() throws {
        let context = try CommandContext(global, writes: [.table, .json, .csv, .xlsx])
        let filter = try filters.filter()
        let agreements = try context.workspace.database.read { unit in
            try context.workspace.agreements.all(filter, withParties: true, in: unit).map { agreement in
                var withDocuments = agreement
                if let id = agreement.id { withDocuments.documents = try context.workspace.agreements.documents(of: id, in: unit) }
                return withDocuments
            }
        }
        let lowered = (output ?? "").lowercased()
        let xlsx = global.format == .xlsx || (global.format == nil && lowered.hasSuffix(".xlsx"))
        if excel && (xlsx || (global.format != nil && global.format != .csv)) {
            throw DomainError.validation("--excel: CSV for Excel; for a workbook give --format xlsx alone")
        }
        let data: Data
        if xlsx {
            data = try AgreementExchange.xlsx(agreements)
        } else if global.format == .json || (global.format == nil && lowered.hasSuffix(".json")) {
            data = Data(try AgreementExchange.json(agreements.map { AgreementExchange.jsonObject($0, includeDocuments: true) }).utf8)
        } else if excel {
            data = Data(AgreementExchange.excelCSV(agreements).utf8)
        } else {
            data = Data(AgreementExchange.csv(agreements).utf8)
        }
        try OutputFile.write(data, to: output, binary: xlsx)
        if let output { printError("exported \(agreements.count) agreements to \(TerminalText.line(output))") }
    }
}

/// Where an export goes: a file (never through a symbolic link), else standard output — but a
/// workbook, being binary, never to a terminal.
enum OutputFile {
    static func write(_ data: Data, to output: String?, binary: Bool = false) throws {
        if let output {
            try NoFollowFile.write(data, toFile: output)
        } else {
            if binary && isatty(STDOUT_FILENO) != 0 {
                throw DomainError.validation("an .xlsx workbook is not for a terminal: give --output FILE.xlsx or redirect it")
            }
            try StandardOutput.write(data)
        }
    }
}

struct AgreementTemplate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write an empty register with the Indonesian headers, and what each column takes.",
        discussion: """
        As .xlsx (the default, or --format xlsx, or an --output ending in .xlsx) the \
        register is the first sheet and the allowed values the second (`Pilihan`). \
        As CSV (--format csv or an --output ending in .csv) the file is the \
        register's header row for Excel (a byte-order mark and `;`), and the allowed \
        values are printed to standard error.

        Examples:
          sinergi agreement template --output register.xlsx
          sinergi agreement template --format csv --output register.csv
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Write to this file instead of standard output (never through a symbolic link).", valueName: "file"))
    var output: String?

    func run() throws {
        let csv = global.format == .csv || (global.format == nil && (output ?? "").lowercased().hasSuffix(".csv"))
        if csv {
            try OutputFile.write(Data(AgreementExchange.excelCSV([]).utf8), to: output)
            printError(AgreementExchange.allowedValueRows.map { CSVTable.line($0, separator: ";") }.joined(separator: "\n"))
        } else if global.format == nil || global.format == .xlsx {
            try OutputFile.write(try AgreementExchange.xlsx([], allowedValues: true), to: output, binary: true)
        } else {
            throw DomainError.validation("--format \(global.format?.rawValue ?? ""): a template is xlsx or csv")
        }
        if let output { printError("wrote an empty register to \(TerminalText.line(output))") }
    }
}
