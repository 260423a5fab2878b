import Agreements
import LuaKit
import Store

/// An agreement as a script holds it: the record as loaded, with parties and documents fetched on
/// first use (a scan over many agreements then costs one row each).
final class AgreementHandle {
    var agreement: Agreement
    private var detailsLoaded: Bool

    init(_ agreement: Agreement, detailsLoaded: Bool) {
        self.agreement = agreement
        self.detailsLoaded = detailsLoaded
    }

    var id: Int64 { agreement.id ?? 0 }

    /// Loads parties and documents if this handle came from a page of a query.
    func details(_ context: RunContext) throws -> Agreement {
        if !detailsLoaded {
            let unit = try context.unit()
            agreement.parties = try context.store.parties(of: id, in: unit)
            agreement.documents = try context.store.documents(of: id, in: unit)
            detailsLoaded = true
        }
        return agreement
    }

    /// One line for printing: `ksdpk 180/3/2027 "Title" — pelaksanaan, ends 2031-12-31`.
    var summary: String {
        var text = "\(agreement.kind.rawValue) \(agreement.number) \"\(agreement.title)\" — \(agreement.stage)"
        if let end = agreement.endsOn { text += ", ends \(end)" }
        return text
    }
}

/// The agreement userdata: the fields of `AgreementField.all`, `documents`, and the methods
/// `update`, `document`, `attach`.
enum AgreementClass {
    /// The one field a handle has beyond the table: the documents recorded against it.
    static let documentsDoc = "the documents recorded (a:attach), oldest first"

    static func make(context: RunContext, dates: LuaClass<DateValue>) -> LuaClass<AgreementHandle> {
        let agreements = LuaClass<AgreementHandle>(
            name: "agreement", readOnlyMessage: "agreement fields are read-only; change them with a:update{ field = value }")
        agreements.describe = { $0.summary }
        for field in AgreementField.all {
            // Parties come with the details; a handle from a page of a scan loads them on first use.
            let needsDetails = field.storage == .partyTable
            agreements.field(field.name) { handle, call in
                if needsDetails { _ = try handle.details(context) }
                try LuaFieldValue.push(field.value(in: &handle.agreement), call, dates)
            }
        }
        agreements.field("documents") { handle, call in
            let documents = try handle.details(context).documents.map { documentValue($0, call, dates) }
            try call.push(.table(LuaTable(sequence: documents)))
        }

        agreements.method("update") { handle, call in
            let changes = try LuaFieldValue.values(call.table(2), of: "an agreement") { AgreementField.named($0)?.type }
            let (store, unit, actor) = try context.writableStore()
            var updated = try handle.details(context)
            try AgreementField.apply(changes, to: &updated)
            handle.agreement = try store.update(updated, by: actor, at: context.timestamp, in: unit)
            call.push(handle, as: agreements)
            return 1
        }
        agreements.method("document") { handle, call in
            let kindText = try call.string(2)
            guard let kind = DocumentKind(rawValue: kindText) else {
                throw DomainError.validation("document: '\(kindText)' is not a document kind (\(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let document = try handle.details(context).documents.last(where: { $0.kind == kind }) else {
                call.pushNil()
                return 1
            }
            try call.push(documentValue(document, call, dates))
            return 1
        }
        agreements.method("attach") { handle, call in
            let fields = try call.table(2)
            let (store, unit, actor) = try context.writableStore()
            let document = try documentFields(fields, workspace: context.workspace)
            try store.attach(document, to: handle.id, by: actor, at: context.timestamp, in: unit)
            if let refreshed = try store.agreement(id: handle.id, in: unit) { handle.agreement = refreshed }
            try call.push(documentValue(try handle.details(context).documents.last ?? document, call, dates))
            return 1
        }
        return agreements
    }

    /// A document as a Lua table: kind, number, date, signatories, file, sha256, recorded_at.
    static func documentValue(_ document: Document, _ call: LuaCall, _ dates: LuaClass<DateValue>) -> LuaValue {
        var table: LuaTable = [.text("kind"): .text(document.kind.rawValue)]
        if let number = document.number { table["number"] = .text(number) }
        if let date = document.date { table["date"] = call.value(of: DateValue(date), as: dates) }
        if let file = document.file { table["file"] = .text(file) }
        if let sha256 = document.sha256 { table["sha256"] = .text(sha256) }
        if let recorded = document.recordedAt { table["recorded_at"] = .text(recorded) }
        table["signatories"] = .table(LuaTable(sequence: document.signatories.map(LuaValue.text)))
        return .table(table)
    }

    /// A document from `a:attach{ kind=, number=, date=, signatories=, file= }`; the file, if any,
    /// is hashed to record its SHA-256 — only a regular file inside the workspace (relative paths
    /// are from the workspace; see `WorkspaceFileDigest`).
    static func documentFields(_ fields: LuaTable, workspace: Workspace?) throws -> Document {
        var document = try Document(values: LuaFieldValue.values(fields, of: "a document") { _ in nil })
        if let file = document.file {
            guard let root = workspace?.root else { throw WorkspaceFileDigest.refusal(file) }
            document.sha256 = try WorkspaceFileDigest.sha256(of: file, inside: root)
        }
        return document
    }
}
