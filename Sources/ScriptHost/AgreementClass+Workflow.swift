import Agreements
import LuaKit
import Store

/// The workflow methods of an agreement (`a:fire`, `a:workflow`, `a:events`, `a:history`) and the
/// `tasks` and `workflows` modules, served by the session's `WorkflowService`.
enum WorkflowAPI {
    static func addMethods(to agreements: LuaClass<AgreementHandle>, context: RunContext) {
        func service(_ what: String) throws -> any WorkflowService {
            guard let service = context.workflows else { throw WorkflowUnavailable.error(what) }
            return service
        }
        agreements.method("fire") { handle, call in
            let event = try call.string(2)
            var note: String?
            if !call.isNil(3) {
                guard case let .table(options) = try call.value(3) else { throw call.badArgument(3, expected: "table { note = … }") }
                // A misspelt key (`notes = …`) would otherwise fire without the note meant for the history.
                if let unknown = options.pairs.first(where: { $0.key.stringValue != "note" }) {
                    throw DomainError.validation("a:fire: \(LuaFieldValue.describe(unknown.key).bounded(toBytes: 80)) is not an option "
                                                 + "(it takes note=)")
                }
                switch options["note"] {
                case .nil: break
                case let .string(bytes): note = try LuaFieldValue.text(bytes, field: "a:fire: note")
                default: throw DomainError.validation("a:fire: note is text, not a \(options["note"].typeName)")
                }
            }
            let (store, unit, actor) = try context.writableStore()
            let state = try service("a:fire").fire(agreementId: handle.id, event: event, note: note, actor: actor, in: unit)
            if let refreshed = try store.agreement(id: handle.id, in: unit) { handle.replace(with: refreshed, context) }
            call.push(string: state)
            return 1
        }
        agreements.method("workflow") { handle, call in
            try call.push(try service("a:workflow").status(agreementId: handle.id, in: try context.unit()))
            return 1
        }
        agreements.method("events") { handle, call in
            try call.push(try service("a:events").events(agreementId: handle.id, actor: context.actor, in: try context.unit()))
            return 1
        }
        agreements.method("history") { handle, call in
            try call.push(try service("a:history").history(agreementId: handle.id, in: try context.unit(), charge: call.chargeHostMemory))
            return 1
        }
    }

    /// `tasks.pending{ role=, user= }`, `workflows.get(name)` and `workflows.settings()`.
    static func modules(context: RunContext, state: LuaState) -> [String: LuaValue] {
        func service(_ what: String) throws -> any WorkflowService {
            guard let service = context.workflows else { throw WorkflowUnavailable.error(what) }
            return service
        }
        let tasks = state.module([
            ("pending", { call in
                let filter = try call.optionalTable(1)
                // A misspelt key would otherwise list every open task.
                if let unknown = filter.pairs.first(where: { $0.key.stringValue != "role" && $0.key.stringValue != "user" }) {
                    throw DomainError.validation("tasks.pending: \(LuaFieldValue.describe(unknown.key).bounded(toBytes: 80)) is not a filter "
                                                 + "(it takes role= and user=)")
                }
                for key in ["role", "user"] where filter[key] != .nil && filter[key].stringValue == nil {
                    throw DomainError.validation("tasks.pending: \(key) is text, not a \(filter[key].typeName)")
                }
                try call.push(try service("tasks.pending").pendingTasks(role: filter["role"].stringValue, user: filter["user"].stringValue,
                                                                       in: try context.unit(), charge: call.chargeHostMemory))
                return 1
            }),
        ])
        let workflows = state.module([
            ("get", { call in
                try call.push(try service("workflows.get").definition(named: try call.string(1)))
                return 1
            }),
            ("settings", { call in
                // sinergi.lua's `workflows = { dprd_days = …, … }` as definitions see it (ctx.settings),
                // so a script counts a period as the workflows do without repeating the choice.
                var table = LuaTable()
                for (name, value) in context.workspace?.configuration.workflows.values ?? [:] { table[.text(name)] = .text(value) }
                try call.push(.table(table))
                return 1
            }),
        ])
        return ["tasks": tasks, "workflows": workflows]
    }
}
