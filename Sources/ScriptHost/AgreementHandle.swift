import Agreements
import LuaKit
import Store

/// An agreement as a script holds it: the record as loaded, with parties and documents fetched on
/// first use (a scan over many agreements then costs one row each).
///
/// A handle from a later page of a long scan holds only the values of the fields the scan has
/// read so far (`AgreementList` learns them from the first page), with no record built around
/// them: any other field, and every use of the whole record, loads the record first, so a script
/// never sees a placeholder.
final class AgreementHandle: LuaHostFootprint {
    let id: Int64
    /// The whole record (its columns; parties and documents come with `details`); nil while the
    /// handle holds only what a scan read. Boxed: a field read of a scan tests it, and testing an
    /// optional record in place copies the whole record.
    private var loaded: LoadedRecord?
    /// The fields a scan's page read, and their values in the same order (used while `loaded` is nil).
    private let scannedFields: [AgreementField]
    private let scannedValues: ScannedValues
    private var detailsLoaded: Bool
    /// The fields read on the handles of one list (nil outside a list).
    let usage: FieldUsage?
    /// When the handle's values were read (`RunContext.isCurrent`). A handle kept in a REPL global
    /// showed, in later inputs, what a failed input or a rolled-back group had written, and one
    /// handle did not see what another on the same agreement wrote: it reads the record again.
    private var mark: ReadMark
    /// Whether the handle loaded its record or details since `takeGrowth` last asked: the
    /// class then charges it again (`LuaClass.recharge`), so a script keeping handles pays for
    /// what they came to hold.
    private var grew = false

    /// Whether the handle grew since the last call (and forgets it).
    func takeGrowth() -> Bool {
        defer { grew = false }
        return grew
    }

    init(_ agreement: Agreement, detailsLoaded: Bool, usage: FieldUsage? = nil, readAt mark: ReadMark) {
        id = agreement.id ?? 0
        loaded = LoadedRecord(agreement)
        scannedFields = []
        scannedValues = .many([])
        self.detailsLoaded = detailsLoaded
        self.usage = usage
        self.mark = mark
    }

    /// A handle on the agreement at `row` of what a page of a scan read: the values of `fields`.
    init(_ page: AgreementFieldsPage, row: Int, of fields: [AgreementField], usage: FieldUsage, readAt mark: ReadMark) {
        id = page.ids[row]
        scannedFields = fields
        scannedValues = ScannedValues(page, row: row)
        detailsLoaded = false
        self.usage = usage
        self.mark = mark
    }

    /// The whole record (its columns; parties and documents come with `details`), loaded first
    /// when the handle holds only what a scan read, or what an earlier unit read.
    func full(_ context: RunContext) throws -> Agreement {
        if !context.isCurrent(mark, of: id) {
            loaded = nil
            detailsLoaded = false
        }
        if let loaded { return loaded.record }
        guard let record = try context.store.agreement(id: id, in: try context.unit()) else {
            throw DomainError.notFound("agreement \(id) is gone")
        }
        loaded = LoadedRecord(record)
        detailsLoaded = true
        mark = context.readMark
        grew = true
        return record
    }

    /// The record as it stands in the current unit, parties and documents included, whatever the
    /// handle holds: what `a:update` changes. Changing the handle's copy wrote back every field
    /// it held — undoing, field by field, what another handle on the same agreement had written.
    func current(_ context: RunContext) throws -> Agreement {
        loaded = nil
        detailsLoaded = false
        return try details(context)
    }

    /// The value of `field`, loading the record first when this handle does not hold it.
    /// What a whole record answers is noted for the list (the fields its later pages load).
    func value(of field: AgreementField, _ context: RunContext) throws -> FieldValue {
        if loaded == nil, context.isCurrent(mark, of: id) {
            if field.storage == .identity { return .integer(id) }
            // A page reads a few fields: comparing identities beats hashing them.
            for index in scannedFields.indices where scannedFields[index] === field { return scannedValues[index] }
        }
        usage?.note(field.name)
        return field.value(of: try full(context))
    }

    /// The handle now stands for `agreement`, just written through it (an update, an attach, a
    /// fire) in the current unit: other handles on it read it again.
    func replace(with agreement: Agreement, _ context: RunContext) {
        context.noteWrite(of: id)
        loaded = LoadedRecord(agreement)
        mark = context.readMark
    }

    /// Loads parties and documents if this handle came from a page of a query.
    func details(_ context: RunContext) throws -> Agreement {
        var record = try full(context)
        if !detailsLoaded {
            let unit = try context.unit()
            record.parties = try context.store.parties(of: id, in: unit)
            record.documents = try context.store.documents(of: id, in: unit)
            loaded = LoadedRecord(record)
            detailsLoaded = true
            grew = true
        }
        return record
    }

    /// What the handle holds in Swift: a script that keeps many handles pays for them against its
    /// memory cap (an estimate, taken when the handle is given to Lua; `LuaHostFootprint`).
    /// The record counts whole: its `LoadedRecord` object (the `Agreement` inline), each text
    /// past Swift's 15 inline bytes in an allocation of its own (a 32-byte header, malloc's
    /// rounding), and its lists. An estimate that left these out let a script keep handles worth
    /// 2.5 times its cap.
    var hostFootprint: Int {
        guard let record = loaded?.record else { return scannedValues.total(Self.size(of:)) }
        func text(_ value: String?) -> Int { (value?.utf8.count ?? 0) > 15 ? (value?.utf8.count ?? 0) + 48 : 0 }
        func list<Items: Collection>(_ items: Items) -> Int { items.isEmpty ? 0 : 48 + items.count * MemoryLayout<Items.Element>.stride }
        let texts = [record.number, record.title, record.leadAgency, record.object, record.scope, record.funding, record.stage,
                     record.notes]
            .reduce(0) { $0 + text($1) }
        let parties = list(record.parties) + record.parties.reduce(0) { $0 + text($1.name) }
            + list(record.thirdParties) + record.thirdParties.reduce(0) { $0 + text($1) }
        let documents = list(record.documents) + record.documents.reduce(0) { total, document in
            total + [document.number, document.file, document.sha256, document.recordedAt].reduce(0) { $0 + text($1) }
                + list(document.signatories) + document.signatories.reduce(0) { $0 + text($1) }
        }
        return 64 + MemoryLayout<Agreement>.stride + texts + parties + documents + list(record.pksClauses)
    }

    /// An estimate of what a field value holds: its text, 16 bytes a value.
    private static func size(of value: FieldValue) -> Int {
        switch value {
        case let .text(text): return text.utf8.count + 16
        case let .list(values): return values.reduce(16) { $0 + size(of: $1) }
        case let .record(fields): return fields.reduce(16) { $0 + $1.key.utf8.count + size(of: $1.value) }
        case .null, .integer, .number, .boolean, .date: return 16
        }
    }

    /// One line for printing: `ksdpk 180/3/2027 "Title" — pelaksanaan, ends 2031-12-31`.
    func summary(_ context: RunContext) -> String {
        guard let agreement = try? full(context) else { return "agreement \(id)" }
        var text = "\(agreement.kind.rawValue) \(agreement.number) \"\(agreement.title)\" — \(agreement.stage)"
        if let end = agreement.endsOn { text += ", ends \(end)" }
        return text
    }
}

/// The values a page of a scan read for one agreement, the common few inline: an array for each
/// agreement of a scan cost an allocation each.
enum ScannedValues {
    case one(FieldValue)
    case two(FieldValue, FieldValue)
    case many([FieldValue])

    /// The values of the agreement at `row` of `page`.
    init(_ page: AgreementFieldsPage, row: Int) {
        let start = row * page.width
        switch page.width {
        case 1: self = .one(page.values[start])
        case 2: self = .two(page.values[start], page.values[start + 1])
        default: self = .many(Array(page.values[start..<start + page.width]))
        }
    }

    /// The value of the page's field at `index`.
    subscript(index: Int) -> FieldValue {
        switch self {
        case let .one(value): return value
        case let .two(first, second): return index == 0 ? first : second
        case let .many(values): return values[index]
        }
    }

    /// The sum of `measure` over the values.
    func total(_ measure: (FieldValue) -> Int) -> Int {
        switch self {
        case let .one(value): return measure(value)
        case let .two(first, second): return measure(first) + measure(second)
        case let .many(values): return values.reduce(0) { $0 + measure($1) }
        }
    }
}

/// A handle's whole record, once loaded.
final class LoadedRecord {
    let record: Agreement
    init(_ record: Agreement) { self.record = record }
}

/// The fields scripts read on the handles of one list, so that its later pages load only those.
final class FieldUsage {
    private(set) var names: Set<String> = []
    func note(_ name: String) { names.insert(name) }
}

/// The agreement userdata: the fields of `AgreementField.all`, `documents`, and the methods
/// `update`, `document`, `attach`.
enum AgreementClass {
    /// The one field a handle has beyond the table: the documents recorded against it.
    static let documentsDoc = "the documents recorded (a:attach), oldest first"

    static func make(context: RunContext, dates: LuaClass<DateValue>) -> LuaClass<AgreementHandle> {
        let agreements = LuaClass<AgreementHandle>(
            name: "agreement", readOnlyMessage: "agreement fields are read-only; change them with a:update{ field = value }")
        agreements.describe = { $0.summary(context) }
        for field in AgreementField.all {
            // Parties come with the details; a handle from a page of a scan loads them on first use.
            let needsDetails = field.storage == .partyTable
            agreements.field(field.name) { handle, call in
                if needsDetails { _ = try handle.details(context) }
                try LuaFieldValue.push(handle.value(of: field, context), call, dates)
                if handle.takeGrowth() { agreements.recharge(at: 1, in: call) }
            }
        }
        agreements.field("documents") { handle, call in
            let documents = try handle.details(context).documents.map { documentValue($0, call, dates) }
            try call.push(.table(LuaTable(sequence: documents)))
            if handle.takeGrowth() { agreements.recharge(at: 1, in: call) }
        }

        agreements.method("update") { handle, call in
            let changes = try LuaFieldValue.values(call.table(2), of: "an agreement") { AgreementField.named($0)?.type }
            let (store, unit, actor) = try context.writableStore()
            var updated = try handle.current(context)
            try AgreementField.apply(changes, to: &updated)
            handle.replace(with: try store.update(updated, by: actor, at: context.timestamp, in: unit), context)
            call.push(handle, as: agreements)
            return 1
        }
        agreements.method("document") { handle, call in
            let kindText = try call.string(2)
            guard let kind = DocumentKind(rawValue: kindText) else {
                throw DomainError.validation("document: '\(kindText)' is not a document kind (\(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let documents = try handle.details(context).documents
            if handle.takeGrowth() { agreements.recharge(at: 1, in: call) }
            guard let document = documents.last(where: { $0.kind == kind }) else {
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
            if let refreshed = try store.agreement(id: handle.id, in: unit) { handle.replace(with: refreshed, context) }
            try call.push(documentValue(try handle.details(context).documents.last ?? document, call, dates))
            return 1
        }
        WorkflowAPI.addMethods(to: agreements, context: context)
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
