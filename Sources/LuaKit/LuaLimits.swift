import CLuaShim

/// The time and memory budget of one run.
///
/// Defaults follow DESIGN.md (5 s, 64 MB). Durations and sizes parse from the contract's forms:
/// `500ms`, `2s`, `5m`, `1h`; `64KB`, `64MB`, `1GB`.
public struct LuaLimits: Sendable, Equatable {
    /// Wall-clock seconds a run may take; nil for no limit (the REPL between inputs).
    public var timeout: Double?
    /// Bytes the state may hold; nil for no cap.
    public var memory: Int?

    public static let `default` = LuaLimits(timeout: 5, memory: 64 << 20)

    public init(timeout: Double?, memory: Int?) {
        self.timeout = timeout
        self.memory = memory
    }

    /// The durations `parseDuration` accepts: from 1 ms to 7 days.
    ///
    /// A deadline is kept in nanoseconds as an `Int64`: `--timeout 1e300h` (or `limits.timeout`
    /// in `sinergi.lua`) trapped converting it and took every run down with SIGILL, and
    /// `1e-300s` printed as a budget of `0ms`. No run, lease or delivery Sinergi times needs more
    /// than a week.
    public static let durations: ClosedRange<Double> = 0.001...(7 * 24 * 3600)

    /// The sizes `parseSize` accepts: from 1 KB to 1 TB.
    ///
    /// A cap of 0 bytes means "no cap" to the allocator, so `0.5b` (which rounded to 0) switched
    /// the memory limit off; and no Lua state starts in under a kilobyte.
    public static let sizes: ClosedRange<Int> = 1024...(1 << 40)

    /// Parses `500ms`, `2s`, `5m`, `1h` (a bare number means seconds), within `durations`.
    public static func parseDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let trimmed = trimmingBlanks(text).lowercased()
        var seconds: Double?
        if let (suffix, scale) = units.first(where: { trimmed.hasSuffix($0.0) }) {
            seconds = Double(trimmed.dropLast(suffix.count)).map { $0 * scale }
        } else {
            seconds = Double(trimmed)
        }
        guard let seconds, durations.contains(seconds) else { return nil }
        return seconds
    }

    /// Parses `64KB`, `64MB`, `1GB` (a bare number means bytes; powers of 1024), within `sizes`.
    public static func parseSize(_ text: String) -> Int? {
        let units: [(String, Double)] = [("kb", 1024), ("mb", 1024 * 1024), ("gb", 1024 * 1024 * 1024), ("b", 1)]
        let trimmed = trimmingBlanks(text).lowercased()
        var bytes: Double?
        if let (suffix, scale) = units.first(where: { trimmed.hasSuffix($0.0) }) {
            bytes = Double(trimmed.dropLast(suffix.count)).map { $0 * scale }
        } else {
            bytes = Int(trimmed).map(Double.init)
        }
        // Compared as a Double first: converting 1e300 to Int would trap.
        guard let bytes, bytes >= Double(sizes.lowerBound), bytes <= Double(sizes.upperBound) else { return nil }
        return Int(bytes)
    }

    /// `text` without leading and trailing spaces and tabs (what `CharacterSet.whitespaces`
    /// holds: category Zs and U+0009), without Foundation: `sinergi.lua`'s limits are parsed on
    /// every cold start, and building that CharacterSet was 2 % of a cold `eval`'s instructions.
    static func trimmingBlanks(_ text: String) -> String {
        func blank(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }), let last = scalars.lastIndex(where: { !blank($0) }) else { return "" }
        return String(scalars[first...last])
    }

    public static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return "\(seconds)s"
    }

    public static func formatSize(_ bytes: Int) -> String {
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30)GB" }
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)MB" }
        if bytes % (1 << 10) == 0 { return "\(bytes >> 10)KB" }
        return "\(bytes)B"
    }
}

import Foundation

/// The counting allocator behind every state (lua_Alloc).
///
/// It tracks bytes in use against the cap, together with what the host holds for the script
/// (`host_objects`, `host_transient`). While Lua code runs (`strict`), growth past the cap fails:
/// the first time, Lua collects all garbage (its emergency collection) and asks again, so garbage
/// never costs a run its life; if the retry is over the cap too — or the refusal is never asked
/// again — the run is killed, and every further growth fails, so a script that catches the
/// error cannot keep allocating. While Swift code runs, growth is allowed but marks the kill, so
/// no Swift frame sees a Lua memory error.
let budgetAllocator: lua_Alloc = { userData, pointer, oldSize, newSize in
    guard let budget = userData?.assumingMemoryBound(to: sinergi_budget.self) else { return nil }
    let previous = pointer == nil ? 0 : oldSize
    if newSize == 0 {
        free(pointer)
        budget.pointee.used -= previous
        return nil
    }
    if budget.pointee.refused_size != 0, budget.pointee.strict != 0, budget.pointee.kill == Int32(SINERGI_KILL_NONE),
       budget.pointee.refused_block != pointer || budget.pointee.refused_size != newSize {
        // The refusal was not asked again: no emergency collection followed it. lauxlib's buffers
        // (table.concat, string.format) answer one with "not enough memory" at once, and Lua
        // does not collect inside a collection step, so the script met it as an error it could
        // catch. It ends the run as a refused retry does.
        budget.pointee.kill = Int32(SINERGI_KILL_MEMORY)
        sinergi_note_where_running(budget)
        sinergi_arm(budget)
    }
    if newSize > previous, budget.pointee.limit != 0 {
        let wanted = sinergi_budget_total(budget) + (newSize - previous)
        if wanted > budget.pointee.limit || budget.pointee.kill == Int32(SINERGI_KILL_MEMORY) {
            let retry = budget.pointee.refused_block == pointer && budget.pointee.refused_size == newSize
            if budget.pointee.strict != 0 && !retry && budget.pointee.kill == Int32(SINERGI_KILL_NONE) {
                // Lua answers a refusal with a full collection and the same request again.
                budget.pointee.refused_block = pointer
                budget.pointee.refused_size = newSize
                return nil
            }
            if budget.pointee.kill == Int32(SINERGI_KILL_NONE) {
                budget.pointee.kill = Int32(SINERGI_KILL_MEMORY)
                sinergi_note_where_running(budget)   // the refusal below carries no line of its own
                sinergi_arm(budget)   // we are on the VM's thread: arm the stopping hook now
            }
            if budget.pointee.strict != 0 { return nil }
        }
    }
    budget.pointee.refused_size = 0
    var allocated = realloc(pointer, newSize)
    if allocated == nil, budget.pointee.strict == 0, let reserve = budget.pointee.reserve {
        // The machine itself is out of memory while Swift code runs: a Lua error now would
        // unwind Swift frames. Give back the reserve so this push succeeds; the run is stopped.
        free(reserve)
        budget.pointee.reserve = nil
        budget.pointee.kill = Int32(SINERGI_KILL_MEMORY)
        sinergi_arm(budget)
        allocated = realloc(pointer, newSize)
    }
    guard let result = allocated else { return nil }
    budget.pointee.used = budget.pointee.used - previous + newSize
    let total = sinergi_budget_total(budget)
    if total > budget.pointee.peak { budget.pointee.peak = total }
    return result
}
