import Agreements
import ArgumentParser
import Foundation
import ScriptHost
import Store

struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Manage agreements: add, list, show, edit, import, export.",
        subcommands: [AgreementAdd.self, AgreementList.self, AgreementShow.self, AgreementEdit.self,
                      AgreementImport.self, AgreementExport.self, AgreementTemplate.self]
    )
}

/// `--kind … --expires-before …`: the filters of `agreements.find{…}`.
struct FilterOptions: ParsableArguments {
    @Option(help: "ksdd, ksdpk, sinergi, ksdpl or ksdll.") var kind: String?
    @Option(help: "draft, active, expired or terminated.") var status: String?
    @Option(help: "A stage name, e.g. pelaksanaan.") var stage: String?
    @Option(help: "A party's name (case-insensitive; % for a pattern, e.g. 'Universitas%').") var party: String?
    @Option(help: "The lead Perangkat Daerah.") var leadAgency: String?
    @Option(help: "Agreements ending before this date (YYYY-MM-DD).") var expiresBefore: String?
    @Option(help: "Agreements ending after this date (YYYY-MM-DD).") var expiresAfter: String?

    func filter() throws -> AgreementFilter {
        let given: [(String, String?)] = [("kind", kind), ("status", status), ("stage", stage), ("party", party),
                                          ("lead_agency", leadAgency), ("expires_before", expiresBefore),
                                          ("expires_after", expiresAfter)]
        return try AgreementFilter(values: Dictionary(uniqueKeysWithValues: given.compactMap { name, text in
            text.map { (name, FieldValue.text($0)) }
        }))
    }
}

/// Output of agreements in the three formats.
enum AgreementOutput {
    static func print(_ agreements: [Agreement], format: TableFormat) throws {
        switch format {
        case .json: Swift.print(try AgreementExchange.json(agreements.map { AgreementExchange.jsonObject($0) }), terminator: "")
        case .csv: Swift.print(AgreementExchange.csv(agreements), terminator: "")
        case .table:
            let rows = agreements.map { a in
                [String(a.id ?? 0), a.number, a.title, a.kind.rawValue, a.status.rawValue, a.stage, a.endsOn?.description ?? "-"]
            }
            Swift.print(TextTable.render(["id", "number", "title", "kind", "status", "stage", "ends_on"], rows))
            Swift.print("(\(agreements.count) agreements)")
        }
    }

    static func show(_ agreement: Agreement, format: TableFormat) throws {
        switch format {
        case .json: Swift.print(try AgreementExchange.json(AgreementExchange.jsonObject(agreement, includeDocuments: true)), terminator: "")
        case .csv: Swift.print(AgreementExchange.csv([agreement]), terminator: "")
        case .table:
            var lines: [(String, String)] = [
                ("id", String(agreement.id ?? 0)), ("number", agreement.number), ("title", agreement.title),
                ("kind", agreement.kind.rawValue + (agreement.subkind.map { " (\($0.rawValue))" } ?? "") + " — " + agreement.kind.title),
                ("status", agreement.status.rawValue + (agreement.endingGround.map { " (\($0.rawValue))" } ?? "")),
                ("stage", agreement.stage), ("lead_agency", agreement.leadAgency),
            ]
            for party in agreement.parties {
                lines.append(("party", "\(party.name) (\(party.kind.rawValue)\(party.form.map { "/" + $0.rawValue } ?? ""))"))
            }
            for name in agreement.thirdParties { lines.append(("third party", name)) }
            lines += [("object", agreement.object), ("scope", agreement.scope),
                      ("value", agreement.value.map { "Rp\($0)" } ?? "-"), ("funding", agreement.funding),
                      ("term (KB/NK)", "\(agreement.startsOn?.description ?? "?") – \(agreement.endsOn?.description ?? "?")"),
                      ("term (PKS)", "\(agreement.pksStartsOn?.description ?? "?") – \(agreement.pksEndsOn?.description ?? "?")"),
                      ("needs DPRD", agreement.needsDprdApproval
                        ? "yes (\([agreement.membebaniMasyarakat ? "membebani masyarakat" : nil, agreement.belumDianggarkan ? "belum dianggarkan" : nil, agreement.kind.alwaysNeedsDprd ? "luar negeri" : nil].compactMap { $0 }.joined(separator: ", ")))"
                        : "no")]
            if !agreement.pksClauses.isEmpty {
                lines.append(("PKS clauses missing", agreement.missingPksClauses.isEmpty ? "none" : agreement.missingPksClauses.map(\.rawValue).joined(separator: ", ")))
            }
            if !agreement.notes.isEmpty { lines.append(("notes", agreement.notes)) }
            for document in agreement.documents {
                lines.append(("document", "\(document.kind.rawValue) \(document.number ?? "") \(document.date?.description ?? "")"
                              + (document.sha256.map { " sha256:\($0.prefix(12))…" } ?? "")))
            }
            let width = lines.map(\.0.count).max() ?? 0
            for (label, value) in lines { Swift.print(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
        }
    }
}

struct AgreementAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an agreement (validated against PP 28/2018 and Permendagri 22/2020).",
        discussion: """
        Fields use the Lua API's names. Parties are kind:Name (kind/form:Name for a badan usaha).

        Example:
          sinergi agreement add --number 180/1/2027 --title "Pengelolaan sampah" --kind ksdd \\
            --subkind sukarela --lead-agency "Dinas Lingkungan Hidup" \\
            --party "kabupaten:Pemerintah Kabupaten Probolinggo" --starts-on 2027-01-01 --ends-on 2031-12-31
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Register number (unique).") var number: String
    @Option(help: "Title.") var title: String
    @Option(help: "ksdd, ksdpk, sinergi, ksdpl or ksdll.") var kind: String
    @Option(help: "wajib or sukarela (KSDD only).") var subkind: String?
    @Option(help: "Perangkat Daerah pemrakarsa.") var leadAgency: String
    @Option(help: "A party as kind:Name; repeat for several.") var party: [String] = []
    @Option(help: "Another field as name=value (object, scope, value, funding, starts_on, ends_on, status, stage, …); repeatable.")
    var set: [String] = []

    func run() throws {
        do {
            let context = try CommandContext(global)
            var cells: [(String, String)] = [("number", number), ("title", title), ("kind", kind), ("lead_agency", leadAgency)]
            if let subkind { cells.append(("subkind", subkind)) }
            if !party.isEmpty { cells.append(("parties", party.joined(separator: "; "))) }
            cells += try AgreementEdit.pairs(set)
            let agreement = try AgreementField.agreement(from: AgreementField.values(fromCells: cells))
            let stored = try context.workspace.database.write { unit in
                try context.workspace.agreements.create(agreement, by: context.user, at: context.timestamp, in: unit)
            }
            try AgreementOutput.show(stored, format: global.outputFormat)
        } catch {
            throw ErrorReport.report(error, fallbackLocation: nil)
        }
    }
}

struct AgreementList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List agreements, optionally filtered.",
        discussion: "Example: sinergi agreement list --kind ksdpk --expires-before 2027-06-30 --format csv"
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: FilterOptions

    func run() throws {
        do {
            let context = try CommandContext(global)
            let filter = try filters.filter()
            let agreements = try context.workspace.database.read { unit in
                try context.workspace.agreements.all(filter, withParties: global.outputFormat != .table, in: unit)
            }
            try AgreementOutput.print(agreements, format: global.outputFormat)
        } catch {
            throw ErrorReport.report(error, fallbackLocation: nil)
        }
    }
}

struct AgreementShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one agreement with its parties and documents.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number or id.", valueName: "agreement")) var agreement: String

    func run() throws {
        do {
            let context = try CommandContext(global)
            guard let found = try context.workspace.database.read({ unit in
                try context.workspace.agreements.agreement(idOrNumber: agreement, in: unit)
            }) else { throw DomainError.notFound("no agreement with number or id '\(agreement)'") }
            try AgreementOutput.show(found, format: global.outputFormat)
        } catch {
            throw ErrorReport.report(error, fallbackLocation: nil)
        }
    }
}

struct AgreementEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change fields of an agreement (validated; one audited change).",
        discussion: """
        Example: sinergi agreement edit CONTOH/003/KSDPK/2024 --set stage=pelaporan --set ends_on=2028-06-30
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number or id.", valueName: "agreement")) var agreement: String
    @Option(help: "A field as name=value; repeatable.") var set: [String] = []

    static func pairs(_ assignments: [String]) throws -> [(String, String)] {
        try assignments.map { assignment in
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ValidationError("--set '\(assignment)' should read name=value (e.g. --set stage=pelaksanaan)")
            }
            return (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
        }
    }

    func run() throws {
        let cells = try AgreementEdit.pairs(set)
        guard !cells.isEmpty else { throw ValidationError("nothing to change: give at least one --set name=value") }
        do {
            let context = try CommandContext(global)
            let changes = try AgreementField.values(fromCells: cells)
            let updated = try context.workspace.database.write { unit -> Agreement in
                guard var current = try context.workspace.agreements.agreement(idOrNumber: agreement, in: unit) else {
                    throw DomainError.notFound("no agreement with number or id '\(agreement)'")
                }
                try AgreementField.apply(changes, to: &current)
                return try context.workspace.agreements.update(current, by: context.user, at: context.timestamp, in: unit)
            }
            try AgreementOutput.show(updated, format: global.outputFormat)
        } catch {
            throw ErrorReport.report(error, fallbackLocation: nil)
        }
    }
}
