import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store

struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Manage agreements: add, list, show, edit, attach, void, import, export, template.",
        subcommands: [AgreementAdd.self, AgreementList.self, AgreementShow.self, AgreementEdit.self,
                      AgreementAttach.self, AgreementVoid.self, AgreementImport.self, AgreementExport.self,
                      AgreementTemplate.self]
    )
}

/// `--kind … --expires-before …`: the filters of `agreements.find{…}`.
struct FilterOptions: ParsableArguments {
    @Option(help: "ksdd, ksdpk, sinergi, ksdpl or ksdll.") var kind: String?
    @Option(help: "draft, active, expired or terminated.") var status: String?
    @Option(help: "A stage name, e.g. pelaksanaan.") var stage: String?
    @Option(help: "A part of a party's name, any case (% for a pattern, e.g. 'Universitas%').") var party: String?
    @Option(help: "The lead Perangkat Daerah.") var leadAgency: String?
    @Option(help: "Agreements ending before this date (YYYY-MM-DD).") var expiresBefore: String?
    @Option(help: "Agreements ending after this date (YYYY-MM-DD).") var expiresAfter: String?
    @Flag(inversion: .prefixedNo, help: "Only agreements that need (or, with --no-needs-dprd, do not need) DPRD approval.")
    var needsDprd: Bool?

    func filter() throws -> AgreementFilter {
        let given: [(String, String?)] = [("kind", kind), ("status", status), ("stage", stage), ("party", party),
                                          ("lead_agency", leadAgency), ("expires_before", expiresBefore),
                                          ("expires_after", expiresAfter)]
        var values = Dictionary(uniqueKeysWithValues: given.compactMap { name, text in text.map { (name, FieldValue.text($0)) } })
        values["needs_dprd"] = needsDprd.map(FieldValue.boolean)
        return try AgreementFilter(values: values)
    }
}

/// Output of agreements in the three formats.
enum AgreementOutput {
    /// Prints a list; an agreement whose id is in `voided` shows its status as `void` in a table.
    static func print(_ agreements: [Agreement], voided: Set<Int64> = [], format: TableFormat) throws {
        switch format {
        case .json: Swift.print(try AgreementExchange.json(agreements.map { AgreementExchange.jsonObject($0) }), terminator: "")
        case .csv: Swift.print(AgreementExchange.csv(agreements), terminator: "")
        case .table:
            let rows = agreements.map { a in
                [String(a.id ?? 0), a.number, a.title, a.kind.rawValue, voided.contains(a.id ?? 0) ? "void" : a.status.rawValue, a.stage,
                 a.endsOn?.description ?? "-"]
            }
            Swift.print(TextTable.render(["id", "number", "title", "kind", "status", "stage", "ends_on"], rows))
            Swift.print("(\(agreements.count) agreements)")
        }
    }

    static func show(_ agreement: Agreement, voided: Voiding? = nil, format: TableFormat) throws {
        switch format {
        case .json:
            var object = AgreementExchange.jsonObject(agreement, includeDocuments: true)
            if let voided { object["voided"] = ["at": voided.at, "actor": voided.actor, "reason": voided.reason] }
            Swift.print(try AgreementExchange.json(object), terminator: "")
        case .csv: Swift.print(AgreementExchange.csv([agreement]), terminator: "")
        case .table:
            var lines: [(String, String)] = [
                ("id", String(agreement.id ?? 0)), ("number", agreement.number), ("title", agreement.title),
                ("kind", agreement.kind.rawValue + (agreement.subkind.map { " (\($0.rawValue))" } ?? "") + " — " + agreement.kind.title),
                ("status", agreement.status.rawValue + (agreement.endingGround.map { " (\($0.rawValue))" } ?? "")),
                ("stage", agreement.stage), ("lead_agency", agreement.leadAgency),
            ]
            if let voided { lines.append(("VOID", "\(voided.at) by \(voided.actor): \(voided.reason)")) }
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
            for (label, value) in lines {
                Swift.print(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + TerminalText.line(value))
            }
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
            --party "kabupaten:Pemerintah Kabupaten Probolinggo" --set starts_on=2027-01-01 --set ends_on=2031-12-31
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
        let context = try CommandContext(global)
        var cells: [(String, String)] = [("number", number), ("title", title), ("kind", kind), ("lead_agency", leadAgency)]
        if let subkind { cells.append(("subkind", subkind)) }
        if !party.isEmpty { cells.append(("parties", party.joined(separator: "; "))) }
        cells += try AgreementEdit.pairs(set)
        let agreement = try AgreementField.agreement(from: AgreementField.values(fromCells: cells))
        let stored = try context.workspace.database.write { unit in
            try context.workspace.agreements.create(agreement, by: context.user, at: context.timestamp, in: unit)
        }
        try WorkflowContext.autoStart(context)
        try AgreementOutput.show(stored, format: global.outputFormat)
    }
}

struct AgreementList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List agreements, optionally filtered.",
        discussion: """
        Examples:
          sinergi agreement list --kind ksdpk --expires-before 2027-06-30 --format csv
          sinergi agreement list --party jember --expires-within 90 --needs-dprd
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: FilterOptions
    @Option(help: ArgumentHelp("Agreements ending from today to N days from today, day N included.", valueName: "N"))
    var expiresWithin: Int?
    @Flag(help: "Include voided agreements.") var all = false

    func run() throws {
        let context = try CommandContext(global)
        var filter = try filters.filter()
        filter.includeVoided = all
        if let expiresWithin {
            let today = context.workspace.configuration.calendar.date(of: context.clock.now())
            guard (0...36_600).contains(expiresWithin), let after = today.offset(byDays: -1), let before = today.offset(byDays: Int64(expiresWithin) + 1),
                  filter.expiresBefore == nil, filter.expiresAfter == nil else {
                throw DomainError.validation("--expires-within takes 0 to 36600 days (and not with --expires-before/--expires-after)")
            }
            filter.expiresAfter = after
            filter.expiresBefore = before
        }
        let (agreements, voided) = try context.workspace.database.read { unit in
            (try context.workspace.agreements.all(filter, withParties: global.outputFormat != .table, in: unit),
             all ? try context.workspace.agreements.voidedIds(in: unit) : [])
        }
        try AgreementOutput.print(agreements, voided: voided, format: global.outputFormat)
    }
}

struct AgreementShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one agreement with its parties and documents.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number or id.", valueName: "agreement")) var agreement: String

    func run() throws {
        let context = try CommandContext(global)
        let (found, voided) = try context.workspace.database.read { unit -> (Agreement, Voiding?) in
            guard let found = try context.workspace.agreements.agreement(idOrNumber: agreement, in: unit), let id = found.id else {
                throw DomainError.notFound("no agreement with number or id '\(agreement)'")
            }
            return (found, try context.workspace.agreements.voiding(ofAgreement: id, in: unit))
        }
        try AgreementOutput.show(found, voided: voided, format: global.outputFormat)
    }
}

struct AgreementEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change fields of an agreement (validated; one audited change).",
        discussion: """
        While a workflow runs the agreement, its stage and status change only through the \
        workflow's transitions (`sinergi workflow fire`); an edit of ends_on moves its expiry timer.

        Example: sinergi agreement edit CONTOH/003/KSDPK/2024 --set ends_on=2028-06-30 --set "notes=diperpanjang"
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
    }
}
