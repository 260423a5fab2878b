import Agreements
import Foundation
import LuaKit
import Store

/// The result of `agreements.find{…}`: a lazy list. `for a in list do`, `#list`, `list[i]` and
/// `ipairs(list)` fetch pages of 256 agreements by id as they are reached, so a filtered query
/// never loads the whole table and a loop that stops early reads only what it used.
final class AgreementList: LuaHostFootprint {
    static let pageSize = 256

    let filter: AgreementFilter
    /// The last id of each page read so far: enough to reach any page again (keyset paging)
    /// without keeping every agreement of a long scan in memory.
    private var pageEnds: [Int64] = []
    private var lastPageIndex: Int?
    private var cachedPage: (index: Int, handles: [AgreementHandle])?
    private var knownCount: Int?
    /// Where `for a in list` is; reset when a loop starts again.
    var cursor = 0
    /// The fields read on this list's handles: pages after the first load only those columns.
    private let usage = FieldUsage()

    /// The columns a later page loads: the fields read so far (none: the id alone), when they all
    /// are columns or the id (a derived field or the parties need the whole record anyway); nil
    /// for whole records.
    private var projection: [AgreementField]? {
        let names = usage.names
        guard names.allSatisfy({ AgreementList.projectable.contains($0) }) else { return nil }
        return AgreementField.all.filter { $0.storage == .column && names.contains($0.name) }
    }

    /// Fields a projection can load: the columns (and the id, which every page reads).
    static let projectable = Set(AgreementField.all.filter { $0.storage == .column || $0.storage == .identity }.map(\.name))

    /// The bytes of the filter's texts, which the list keeps for every page it reads.
    private let filterBytes: Int

    init(filter: AgreementFilter) {
        self.filter = filter
        filterBytes = [filter.party, filter.stage, filter.leadAgency].reduce(0) { $0 + ($1?.utf8.count ?? 0) }
    }

    /// Whether a page was read since `takeGrowth` last asked (the class then charges the list again).
    private var grew = false

    func takeGrowth() -> Bool {
        defer { grew = false }
        return grew
    }

    /// What the list holds: its filter, the page it keeps (whole records on the first), and each
    /// page's end.
    var hostFootprint: Int {
        filterBytes + pageEnds.count * 8 + (cachedPage?.handles.reduce(0) { $0 + 64 + $1.hostFootprint } ?? 0)
    }

    /// The `index`-th agreement (0-based), reading pages as needed.
    func element(_ index: Int, _ context: RunContext) throws -> AgreementHandle? {
        let pageIndex = index / Self.pageSize
        guard let page = try page(pageIndex, context) else { return nil }
        let offset = index % Self.pageSize
        return offset < page.count ? page[offset] : nil
    }

    private func page(_ pageIndex: Int, _ context: RunContext) throws -> [AgreementHandle]? {
        if let cachedPage, cachedPage.index == pageIndex { return cachedPage.handles }
        if let lastPageIndex, pageIndex > lastPageIndex { return nil }
        // Walk forward from the nearest page whose start is known.
        var current = min(pageIndex, pageEnds.count)
        while true {
            let handles = try load(page: current, context)
            if current == pageEnds.count, let last = handles.last?.id { pageEnds.append(last) }
            if handles.count < Self.pageSize {
                lastPageIndex = current
                knownCount = current * Self.pageSize + handles.count
            }
            cachedPage = (current, handles)
            grew = true
            if current == pageIndex { return handles }
            if handles.count < Self.pageSize { return nil }
            current += 1
        }
    }

    /// The handles of page `index`, whose start is known. The first page loads whole records;
    /// what the script reads on it decides what later pages load.
    private func load(page index: Int, _ context: RunContext) throws -> [AgreementHandle] {
        let afterId = index == 0 ? 0 : pageEnds[index - 1]
        let unit = try context.unit()
        if index > 0, let fields = projection {
            let page = try context.store.fields(fields, of: filter, afterId: afterId, limit: Self.pageSize, in: unit)
            return page.ids.indices.map { AgreementHandle(page, row: $0, of: fields, usage: usage, readAt: context.readMark) }
        }
        return try context.store.page(filter, afterId: afterId, limit: Self.pageSize, in: unit)
            .map { AgreementHandle($0, detailsLoaded: false, usage: usage, readAt: context.readMark) }
    }

    func count(_ context: RunContext) throws -> Int {
        if let knownCount { return knownCount }
        let count = try context.store.count(filter, in: try context.unit())
        knownCount = count
        return count
    }

    /// The first `limit` agreements, for printing.
    func prefix(_ limit: Int, _ context: RunContext) throws -> [AgreementHandle] {
        var result: [AgreementHandle] = []
        while result.count < limit, let handle = try element(result.count, context) { result.append(handle) }
        return result
    }
}

/// `agreements.get/find/count/create` and the agreement and list classes.
struct AgreementsModule {
    let agreements: LuaClass<AgreementHandle>
    let lists = LuaClass<AgreementList>(name: "agreement list", readOnlyMessage: "a list of agreements is read-only")

    init(context: RunContext, dates: LuaClass<DateValue>) {
        agreements = AgreementClass.make(context: context, dates: dates)
        let agreements = self.agreements
        let lists = self.lists
        lists.metamethod(.call) { call in
            let list = try call.object(1, of: lists)
            if call.isNil(3) { list.cursor = 0 }
            let element = try list.element(list.cursor, context)
            if list.takeGrowth() { lists.recharge(at: 1, in: call) }
            guard let handle = element else { call.pushNil(); return 1 }
            list.cursor += 1
            call.push(handle, as: agreements)
            return 1
        }
        lists.metamethod(.len) { call in
            call.push(integer: Int64(try call.object(1, of: lists).count(context)))
            return 1
        }
        lists.metamethod(.index) { call in
            let list = try call.object(1, of: lists)
            guard case let .integer(index) = try call.value(2), index >= 1 else { call.pushNil(); return 1 }
            let element = try list.element(Int(index - 1), context)
            if list.takeGrowth() { lists.recharge(at: 1, in: call) }
            guard let handle = element else { call.pushNil(); return 1 }
            call.push(handle, as: agreements)
            return 1
        }
        lists.describe = { list in "agreements.\(list.filter.shown)" }
    }

    func register(in state: LuaState) {
        state.register(agreements)
        state.register(lists)
    }

    /// The `agreements` module table.
    func module(context: RunContext, state: LuaState) -> LuaValue {
        let agreements = self.agreements, lists = self.lists
        return state.module([
            ("get", { call in
                // An id given as a float with a whole value (`2.0`, `n / 1`) is that id, as Lua's
                // own tables take it; its text "2.0" would name no agreement.
                let key = call.typeName(1) == "number" ? ((try? call.integer(1)).map(String.init) ?? "") : try call.string(1)
                guard let agreement = try context.store.agreement(idOrNumber: key, in: try context.unit()) else {
                    call.pushNil()
                    return 1
                }
                call.push(AgreementHandle(agreement, detailsLoaded: true, readAt: context.readMark), as: agreements)
                return 1
            }),
            ("find", { call in
                call.push(AgreementList(filter: try Self.filter(call.optionalTable(1))), as: lists)
                return 1
            }),
            ("count", { call in
                call.push(integer: Int64(try context.store.count(try Self.filter(call.optionalTable(1)), in: try context.unit())))
                return 1
            }),
            ("agency", { call in
                // perangkat_daerah{…} of sinergi.lua: { short =, name = } of a listed agency, else nil.
                guard let agency = context.workspace?.configuration.agencies.agency(named: try call.string(1)) else {
                    call.pushNil()
                    return 1
                }
                try call.push(.table([.text("short"): .text(agency.short), .text("name"): .text(agency.name)]))
                return 1
            }),
            ("create", { call in
                let values = try LuaFieldValue.values(call.table(1), of: "an agreement") { AgreementField.named($0)?.type }
                let agreement = try AgreementField.agreement(from: values)
                let (store, unit, actor) = try context.writableStore()
                let stored = try store.create(agreement, by: actor, at: context.timestamp, in: unit)
                call.push(AgreementHandle(stored, detailsLoaded: true, readAt: context.readMark), as: agreements)
                return 1
            }),
        ])
    }

    /// The filter of `agreements.find{…}` and `agreements.count{…}` (`AgreementFilter.parameters`).
    static func filter(_ table: LuaTable) throws -> AgreementFilter {
        try AgreementFilter(values: LuaFieldValue.values(table, of: "a filter") { name in
            AgreementFilter.parameters.first { $0.name == name }?.type
        })
    }
}

/// `log.info/warn/error(...)`: messages to the session's log (standard error on the CLI).
enum LogModule {
    /// The most of one string a call logs (then `…`), and the length after which further
    /// arguments are left out: a script's string the cap allowed must not make the host build
    /// and print copies of it many times its size (escaped, it grows ×4). A table is rendered
    /// within the same length by `LuaPrinter`, which says where it cut.
    static let maximumMessageBytes = 1 << 20

    static func module(context: RunContext, state: LuaState) -> LuaValue {
        state.module(["info", "warn", "error"].map { level in
            (level, { call in
                var message = ""
                for index in 0..<call.argumentCount where message.utf8.count <= maximumMessageBytes {
                    let value = try call.value(index + 1)
                    if index > 0 { message += " " }
                    message += value.stringValue?.bounded(toBytes: maximumMessageBytes)
                        ?? LuaPrinter(maximumLength: maximumMessageBytes).render(value)
                }
                context.log(level, message)
                return 0
            })
        })
    }
}
