import Agreements
import ArgumentParser
import Foundation
import ScriptHost
import Store

/// `agreement void`: withdraw an agreement or one of its documents entered by mistake, keeping
/// it and its history (issue #9 §3).
struct AgreementVoid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void",
        abstract: "Void an agreement (or one of its documents) entered by mistake; nothing is deleted.",
        discussion: """
        A voided agreement keeps its record and history, is audited, and is left out of `agreement list` \
        (unless --all) and agreements.find. Only admin and sekretariat may void (exit 6 otherwise).

        Examples:
          sinergi agreement void CONTOH/012/KSDPK/2024 --reason "dicatat ganda"
          sinergi agreement void CONTOH/001/KSDD/2025 --document-kind kesepakatan_bersama --reason "nomor salah"
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number or id.", valueName: "agreement")) var agreement: String
    @Option(help: "Why it is void (required; kept in the audit trail).") var reason: String
    @Option(help: ArgumentHelp("Void only the document with this number.", valueName: "number")) var document: String?
    @Option(help: ArgumentHelp("Void only the document of this kind (with --document, when several share its number).",
                               valueName: "kind")) var documentKind: String?

    func run() throws {
        let context = try CommandContext(global)
        let kind = try documentKind.map { text -> DocumentKind in
            guard let kind = DocumentKind(rawValue: text) else {
                throw DomainError.validation("--document-kind: '\(text)' is not a document kind")
            }
            return kind
        }
        let number = try context.workspace.database.write { unit -> String in
            let store = context.workspace.agreements
            guard let found = try store.agreement(idOrNumber: agreement, in: unit), let id = found.id else {
                throw DomainError.notFound("no agreement with number or id '\(agreement)'")
            }
            if document != nil || kind != nil {
                try store.voidDocument(number: document, kind: kind, of: id, reason: reason, by: context.user,
                                       at: context.timestamp, in: unit)
            } else {
                try store.void(agreementId: id, reason: reason, by: context.user, at: context.timestamp, in: unit)
            }
            return found.number
        }
        let which = [documentKind, document].compactMap { $0 }.joined(separator: " ")
        print(which.isEmpty ? "voided \(number)" : "voided document \(which) of \(number)")
    }
}

/// `agreement attach`: record a document, keeping a copy of its file in the workspace.
struct AgreementAttach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Record a document against an agreement; --file copies the file into the workspace's documents/.",
        discussion: """
        The copy is kept as documents/<sha256 prefix>-<name> with its SHA-256, so the record keeps its \
        evidence and `sinergi backup` takes it along. With --set-dates, a kesepakatan_bersama or \
        nota_kesepakatan sets starts_on (and --ends-on sets ends_on); a pks or kontrak sets pks_starts_on \
        (and pks_ends_on).

        Example:
          sinergi agreement attach CONTOH/003/KSDPK/2024 --kind pks --number PKS/07/2024 --date 2024-07-01 \\
            --file sinergi.lua --set-dates --ends-on 2027-06-30
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The agreement's number or id.", valueName: "agreement")) var agreement: String
    @Option(help: "The document kind (pks, kesepakatan_bersama, surat_persetujuan_dprd, …).") var kind: String
    @Option(help: "The document's number.") var number: String?
    @Option(help: "The document's date (YYYY-MM-DD).") var date: String?
    @Option(help: "A file to keep a copy of (any path you can read).") var file: String?
    @Flag(help: "Set the agreement's term from this KB/NK or PKS/kontrak: its date starts the term.") var setDates = false
    @Option(help: "With --set-dates: the end of the term the document sets (YYYY-MM-DD).") var endsOn: String?

    func run() throws {
        let context = try CommandContext(global)
        var values: [String: FieldValue] = ["kind": .text(kind)]
        if let number { values["number"] = .text(number) }
        if let date { values["date"] = .text(date) }
        var document = try Document(values: values)
        let term = try termFields(of: document)
        let updated = try context.workspace.database.write { unit -> Agreement in
            let store = context.workspace.agreements
            guard var found = try store.agreement(idOrNumber: agreement, in: unit), let id = found.id else {
                throw DomainError.notFound("no agreement with number or id '\(agreement)'")
            }
            // Checked before the copy, so a refused user leaves no file behind.
            try AgreementPolicy.requireEdit(context.user, leadAgency: found.leadAgency, directory: store.agencies)
            if let file { (document.file, document.sha256) = try context.workspace.keepDocument(copying: file) }
            try store.attach(document, to: id, by: context.user, at: context.timestamp, in: unit)
            if !term.isEmpty {
                try AgreementField.apply(term, to: &found)
                try store.update(found, by: context.user, at: context.timestamp, in: unit)
            }
            return try store.agreement(id: id, in: unit) ?? found
        }
        try AgreementOutput.show(updated, format: global.outputFormat)
    }

    /// The fields `--set-dates` sets from this document: its date starts the term of a KB/NK or
    /// of a PKS/kontrak, `--ends-on` ends it; nothing for other kinds (refused, not ignored).
    func termFields(of document: Document) throws -> [String: FieldValue] {
        guard setDates else {
            if endsOn != nil { throw DomainError.validation("--ends-on goes with --set-dates") }
            return [:]
        }
        let prefix: String
        switch document.kind {
        case .kesepakatan_bersama, .nota_kesepakatan: prefix = ""
        case .pks, .kontrak: prefix = "pks_"
        default:
            throw DomainError.validation("--set-dates: a \(document.kind.rawValue) sets no term (only kesepakatan_bersama, "
                                         + "nota_kesepakatan, pks and kontrak do)")
        }
        guard let start = document.date else { throw DomainError.validation("--set-dates needs the document's --date") }
        var fields: [String: FieldValue] = [prefix + "starts_on": .text(start.description)]
        if let endsOn { fields[prefix + "ends_on"] = .text(endsOn) }
        return fields
    }
}
