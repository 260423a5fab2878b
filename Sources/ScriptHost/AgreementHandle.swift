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
            let db = try context.db()
            agreement.parties = try context.store.parties(of: id, in: db)
            agreement.documents = try context.store.documents(of: id, in: db)
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

/// The agreement userdata: fields, `update`, `document`, `attach`.
enum AgreementClass {
    static func make(context: RunContext, dates: LuaClass<DateValue>) -> LuaClass<AgreementHandle> {
        let agreements = LuaClass<AgreementHandle>(
            name: "agreement", readOnlyMessage: "agreement fields are read-only; change them with a:update{ field = value }")
        agreements.describe = { $0.summary }
        func pushDate(_ date: LocalDate?, _ call: LuaCall) {
            if let date { call.push(DateValue(date), as: dates) } else { call.pushNil() }
        }
        func pushText(_ text: String?, _ call: LuaCall) {
            if let text { call.push(string: text) } else { call.pushNil() }
        }
        agreements.field("id") { handle, call in call.push(integer: handle.id) }
        agreements.field("number") { handle, call in call.push(string: handle.agreement.number) }
        agreements.field("title") { handle, call in call.push(string: handle.agreement.title) }
        agreements.field("kind") { handle, call in call.push(string: handle.agreement.kind.rawValue) }
        agreements.field("subkind") { handle, call in pushText(handle.agreement.subkind?.rawValue, call) }
        agreements.field("status") { handle, call in call.push(string: handle.agreement.status.rawValue) }
        agreements.field("stage") { handle, call in call.push(string: handle.agreement.stage) }
        agreements.field("lead_agency") { handle, call in call.push(string: handle.agreement.leadAgency) }
        agreements.field("object") { handle, call in call.push(string: handle.agreement.object) }
        agreements.field("scope") { handle, call in call.push(string: handle.agreement.scope) }
        agreements.field("funding") { handle, call in call.push(string: handle.agreement.funding) }
        agreements.field("value") { handle, call in
            if let value = handle.agreement.value { call.push(integer: value) } else { call.pushNil() }
        }
        agreements.field("starts_on") { handle, call in pushDate(handle.agreement.startsOn, call) }
        agreements.field("ends_on") { handle, call in pushDate(handle.agreement.endsOn, call) }
        agreements.field("pks_starts_on") { handle, call in pushDate(handle.agreement.pksStartsOn, call) }
        agreements.field("pks_ends_on") { handle, call in pushDate(handle.agreement.pksEndsOn, call) }
        agreements.field("membebani_masyarakat") { handle, call in call.push(boolean: handle.agreement.membebaniMasyarakat) }
        agreements.field("belum_dianggarkan") { handle, call in call.push(boolean: handle.agreement.belumDianggarkan) }
        agreements.field("needs_dprd_approval") { handle, call in call.push(boolean: handle.agreement.needsDprdApproval) }
        agreements.field("ending_ground") { handle, call in pushText(handle.agreement.endingGround?.rawValue, call) }
        agreements.field("pks_clauses") { handle, call in
            try call.push(.table(LuaTable(sequence: handle.agreement.pksClauses.map(\.rawValue).sorted().map(LuaValue.text))))
        }
        agreements.field("missing_pks_clauses") { handle, call in
            try call.push(.table(LuaTable(sequence: handle.agreement.missingPksClauses.map { .text($0.rawValue) })))
        }
        agreements.field("parties") { handle, call in
            let parties = try handle.details(context).parties.map { party -> LuaValue in
                var table: LuaTable = [.text("name"): .text(party.name), .text("kind"): .text(party.kind.rawValue)]
                if let form = party.form { table["form"] = .text(form.rawValue) }
                return .table(table)
            }
            try call.push(.table(LuaTable(sequence: parties)))
        }
        agreements.field("documents") { handle, call in
            let documents = try handle.details(context).documents.map { documentValue($0, call, dates) }
            try call.push(.table(LuaTable(sequence: documents)))
        }

        agreements.method("update") { handle, call in
            let changes = try call.table(2)
            let (store, db, actor) = try context.writableStore()
            var updated = try handle.details(context)
            try AgreementFields.apply(changes, to: &updated)
            handle.agreement = try store.update(updated, by: actor, at: context.timestamp, in: db)
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
            let (store, db, actor) = try context.writableStore()
            let document = try documentFields(fields, workspace: context.workspace)
            try store.attach(document, to: handle.id, by: actor, at: context.timestamp, in: db)
            if let refreshed = try store.agreement(id: handle.id, in: db) { handle.agreement = refreshed }
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
        let allowed: Set<String> = ["kind", "number", "date", "signatories", "file"]
        for (key, _) in fields.pairs where !allowed.contains(key.stringValue ?? "") {
            throw DomainError.validation("\(key.stringValue ?? key.typeName): not a field of a document (kind, number, date, signatories, file)")
        }
        guard let kindText = fields["kind"].stringValue else { throw AgreementFields.missing("kind", DocumentKind.allCases.map(\.rawValue)) }
        guard let kind = DocumentKind(rawValue: kindText) else { throw AgreementFields.invalid("kind", kindText, DocumentKind.allCases.map(\.rawValue)) }
        var document = Document(kind: kind, number: try AgreementFields.text(fields, "number"),
                                date: fields["date"] == .nil ? nil : try AgreementFields.date(fields, "date"))
        if case let .table(list) = fields["signatories"] { document.signatories = list.sequence.compactMap(\.stringValue) }
        if let file = try AgreementFields.text(fields, "file") {
            guard let root = workspace?.root else { throw WorkspaceFileDigest.refusal(file) }
            document.file = file
            document.sha256 = try WorkspaceFileDigest.sha256(of: file, inside: root)
        }
        return document
    }
}
