import CLua
import CLuaShim
import Glibc

/// A Swift object that holds more than its own allocation (strings, arrays) and says how much,
/// so that a script keeping many of them pays for them against its memory cap.
public protocol LuaHostFootprint: AnyObject {
    /// Bytes held beyond the object's own allocation (an estimate is fine).
    var hostFootprint: Int { get }
}

/// Swift memory that a script drives counts against the run's cap, as Lua's own does.
///
/// Two kinds: objects Lua holds (boxed userdata, from push until `__gc`: `host_objects`), and
/// what a host call builds while it runs (a `gsub` result, a converted table: `host_transient`,
/// released when the call returns). Over the cap, the run is killed with `memory`; while Swift
/// runs nothing is refused mid-way, the stop comes at the next Lua instruction or as an error the
/// host call throws.
enum LuaHostMemory {
    /// What an object costs at least: its header, a few fields, malloc's rounding.
    static let objectSize = 64

    /// What boxing `object` costs: an object's size plus what it declares.
    static func footprint(of object: AnyObject) -> Int {
        objectSize + ((object as? LuaHostFootprint)?.hostFootprint ?? 0)
    }

    /// Lua now holds an object of `bytes`; past the cap the run is marked killed.
    static func retainObject(_ bytes: Int, on L: OpaquePointer) {
        guard let budget = sinergi_budget_slot(L).pointee else { return }
        budget.pointee.host_objects += bytes
        let total = sinergi_budget_total(budget)
        if total > budget.pointee.peak { budget.pointee.peak = total }
        if budget.pointee.limit != 0, total > budget.pointee.limit { sinergi_kill_memory(L) }
    }

    /// The object of `bytes` was collected.
    static func releaseObject(_ bytes: Int, on L: OpaquePointer) {
        guard let budget = sinergi_budget_slot(L).pointee else { return }
        budget.pointee.host_objects -= min(bytes, budget.pointee.host_objects)
    }

    /// The host call in progress holds `bytes` more; throws (and kills the run) past the cap.
    static func chargeTransient(_ bytes: Int, on L: OpaquePointer) throws {
        guard bytes > 0, let budget = sinergi_budget_slot(L).pointee else { return }
        budget.pointee.host_transient += bytes
        let total = sinergi_budget_total(budget)
        if total > budget.pointee.peak { budget.pointee.peak = total }
        if budget.pointee.limit != 0, total > budget.pointee.limit {
            sinergi_kill_memory(L)
            throw LuaError.runtime(message: "not enough memory", location: nil, traceback: "")
        }
    }

    /// The run's cap in bytes (0 without one).
    static func limit(on L: OpaquePointer) -> Int {
        sinergi_budget_slot(L).pointee.map { Int($0.pointee.limit) } ?? 0
    }

    /// Bytes still allowed before the cap (Int.max without one).
    static func remaining(on L: OpaquePointer) -> Int {
        guard let budget = sinergi_budget_slot(L).pointee, budget.pointee.limit != 0 else { return Int.max }
        return max(0, budget.pointee.limit - min(budget.pointee.limit, sinergi_budget_total(budget)))
    }
}

extension LuaCall {
    /// Counts `bytes` the host builds for this call against the run's cap until the call
    /// returns; throws past the cap (the run then fails with `memory`).
    public func chargeHostMemory(_ bytes: Int) throws { try LuaHostMemory.chargeTransient(bytes, on: L) }
}
