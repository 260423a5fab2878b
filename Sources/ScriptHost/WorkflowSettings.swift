import Agreements
import LuaKit

/// `workflows = { auto_start =, limits = { timeout =, memory = }, … }` of `sinergi.lua`.
public struct WorkflowSettings: Sendable, Equatable {
    /// Start the matching track when an agreement is created (where it stands, never reset).
    public var autoStart = false
    /// Each transition's budget when the engine runs it itself (a CLI fire, a tick); a fire from
    /// a script runs within the script's budget.
    public var limits = LuaLimits(timeout: 1, memory: 64 << 20)
    /// The other scalar settings, as text, for definitions (`ctx.settings`): `dprd_days`
    /// (`days` | `workdays`), `dprd_first_day` (`after_receipt` | `receipt`), or a workspace's own.
    public var values: [String: String] = [:]

    public init() {}

    init(_ table: LuaTable, file: String) throws {
        func invalid(_ message: String) -> DomainError { .validation("\(file): workflows.\(message)") }
        for (key, value) in table.pairs {
            guard let name = key.stringValue else { throw invalid("keys are names (auto_start, limits, dprd_days, …)") }
            switch (name, value) {
            case ("auto_start", .boolean(let flag)): autoStart = flag
            case ("auto_start", _): throw invalid("auto_start is true or false")
            case ("limits", .table(let limits)):
                if let text = limits["timeout"].stringValue {
                    guard let seconds = LuaLimits.parseDuration(text) else { throw invalid("limits.timeout '\(text)' is not a duration from 1ms to 7 days (500ms, 2s)") }
                    self.limits.timeout = seconds
                }
                if let text = limits["memory"].stringValue {
                    guard let bytes = LuaLimits.parseSize(text) else { throw invalid("limits.memory '\(text)' is not a size from 1KB to 1024GB (64MB)") }
                    self.limits.memory = bytes
                }
            case (_, .string), (_, .integer), (_, .number), (_, .boolean):
                values[name] = value.stringValue ?? {
                    switch value {
                    case .integer(let number): return String(number)
                    case .number(let number): return String(number)
                    case .boolean(let flag): return String(flag)
                    default: return ""
                    }
                }()
            default: throw invalid("\(name) must be text, a number or a boolean")
            }
        }
        for (name, allowed) in [("dprd_days", ["days", "workdays"]), ("dprd_first_day", ["after_receipt", "receipt"])] {
            if let value = values[name], !allowed.contains(value) {
                throw invalid("\(name) is \(allowed.map { "\"\($0)\"" }.joined(separator: " or ")), not \"\(value)\"")
            }
        }
    }
}
