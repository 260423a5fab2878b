import CLuaShim
import Glibc

/// Lua 5.4 pattern matching with a step budget.
///
/// The standard `string.find/match/gmatch/gsub` run in C, where the count hook never fires, so a
/// pattern such as `.-.-.-.-b` over a long subject could run for hours and no deadline or Ctrl-C
/// could stop it. This matcher implements the same pattern language (Lua 5.4 manual §6.4.1) and
/// checks the run's budget every `checkInterval` steps, so patterns stop at the deadline like any
/// other code. Semantics follow the manual; the differential tests compare it with Lua's own.
struct LuaPatternMatcher {
    static let maximumCaptures = 32
    static let maximumDepth = 200
    static let checkInterval = 4096

    enum Failure: Error {
        /// The pattern is malformed; the message is Lua's wording.
        case malformed(String)
        /// The run's budget ran out while matching.
        case budget
    }

    /// A capture: `length` is the captured length, or `unfinished` / `position`.
    struct Capture {
        var start: Int
        var length: Int
    }

    static let unfinished = -1
    static let position = -2

    let subject: UnsafeBufferPointer<UInt8>
    let pattern: UnsafeBufferPointer<UInt8>
    let thread: OpaquePointer
    var captures: [Capture] = []
    var depth = 0
    var steps = 0

    init(subject: UnsafeBufferPointer<UInt8>, pattern: UnsafeBufferPointer<UInt8>, thread: OpaquePointer) {
        self.subject = subject
        self.pattern = pattern
        self.thread = thread
        captures.reserveCapacity(4)
    }

    /// Counts a step; every `checkInterval` steps asks the budget whether the run may go on.
    @inline(__always)
    mutating func step() throws {
        steps &+= 1
        if steps & (LuaPatternMatcher.checkInterval - 1) == 0, sinergi_budget_check(thread) != 0 {
            throw Failure.budget
        }
    }

    mutating func reset() {
        captures.removeAll(keepingCapacity: true)
        depth = 0
    }

    // MARK: - Single characters and classes

    /// The index just after the single-character class starting at `p`.
    func classEnd(_ p: Int) throws -> Int {
        var p = p
        let c = pattern[p]
        p += 1
        if c == UInt8(ascii: "%") {
            guard p < pattern.count else { throw Failure.malformed("malformed pattern (ends with '%')") }
            return p + 1
        }
        if c == UInt8(ascii: "[") {
            if p < pattern.count, pattern[p] == UInt8(ascii: "^") { p += 1 }
            repeat {
                guard p < pattern.count else { throw Failure.malformed("malformed pattern (missing ']')") }
                let current = pattern[p]
                p += 1
                if current == UInt8(ascii: "%") {
                    guard p < pattern.count else { throw Failure.malformed("malformed pattern (missing ']')") }
                    p += 1
                }
            } while p >= pattern.count || pattern[p] != UInt8(ascii: "]")
            return p + 1
        }
        return p
    }

    /// Whether byte `c` is in class `%cl` (letter `cl`; upper case complements).
    static func inClass(_ c: UInt8, _ cl: UInt8) -> Bool {
        let value = Int32(c)
        let result: Bool
        switch cl | 0x20 {
        case UInt8(ascii: "a"): result = isalpha(value) != 0
        case UInt8(ascii: "c"): result = iscntrl(value) != 0
        case UInt8(ascii: "d"): result = isdigit(value) != 0
        case UInt8(ascii: "g"): result = isgraph(value) != 0
        case UInt8(ascii: "l"): result = islower(value) != 0
        case UInt8(ascii: "p"): result = ispunct(value) != 0
        case UInt8(ascii: "s"): result = isspace(value) != 0
        case UInt8(ascii: "u"): result = isupper(value) != 0
        case UInt8(ascii: "w"): result = isalnum(value) != 0
        case UInt8(ascii: "x"): result = isxdigit(value) != 0
        case UInt8(ascii: "z"): result = c == 0   // deprecated in 5.2, still accepted by 5.4
        default: return cl == c
        }
        return (cl >= UInt8(ascii: "A") && cl <= UInt8(ascii: "Z")) ? !result : result
    }

    /// Whether `c` is in the set `[...]` spanning `p ... end` (p at '[', end at ']').
    func inSet(_ c: UInt8, _ p: Int, _ end: Int) -> Bool {
        var p = p + 1
        var matches = true
        if pattern[p] == UInt8(ascii: "^") {
            matches = false
            p += 1
        }
        while p < end {
            if pattern[p] == UInt8(ascii: "%") {
                p += 1
                if LuaPatternMatcher.inClass(c, pattern[p]) { return matches }
                p += 1
            } else if p + 2 < end, pattern[p + 1] == UInt8(ascii: "-") {
                if pattern[p] <= c && c <= pattern[p + 2] { return matches }
                p += 3
            } else {
                if pattern[p] == c { return matches }
                p += 1
            }
        }
        return !matches
    }

    /// Whether subject byte at `s` matches the single-character class at `p ..< ep`.
    func singleMatch(_ s: Int, _ p: Int, _ ep: Int) -> Bool {
        guard s < subject.count else { return false }
        let c = subject[s]
        switch pattern[p] {
        case UInt8(ascii: "."): return true
        case UInt8(ascii: "%"): return LuaPatternMatcher.inClass(c, pattern[p + 1])
        case UInt8(ascii: "["): return inSet(c, p, ep - 1)
        default: return pattern[p] == c
        }
    }
}

extension LuaPatternMatcher {
    // MARK: - Matching

    /// Matches the pattern from `pStart` against the subject from `sStart`; returns the index just
    /// after the match, or nil.
    mutating func match(_ sStart: Int, _ pStart: Int) throws -> Int? {
        depth += 1
        guard depth <= LuaPatternMatcher.maximumDepth else { throw Failure.malformed("pattern too complex") }
        defer { depth -= 1 }
        var s = sStart, p = pStart
        while true {
            try step()
            if p == pattern.count { return s }
            let c = pattern[p]
            if c == UInt8(ascii: "(") {
                if p + 1 < pattern.count, pattern[p + 1] == UInt8(ascii: ")") {
                    return try startCapture(s, p + 2, LuaPatternMatcher.position)
                }
                return try startCapture(s, p + 1, LuaPatternMatcher.unfinished)
            }
            if c == UInt8(ascii: ")") { return try endCapture(s, p + 1) }
            if c == UInt8(ascii: "$"), p + 1 == pattern.count { return s == subject.count ? s : nil }
            if c == UInt8(ascii: "%"), p + 1 < pattern.count {
                let next = pattern[p + 1]
                if next == UInt8(ascii: "b") {
                    guard let end = try matchBalance(s, p + 2) else { return nil }
                    s = end
                    p += 4
                    continue
                }
                if next == UInt8(ascii: "f") {
                    p += 2
                    guard p < pattern.count, pattern[p] == UInt8(ascii: "[") else {
                        throw Failure.malformed("missing '[' after '%f' in pattern")
                    }
                    let end = try classEnd(p)
                    let previous: UInt8 = s == 0 ? 0 : subject[s - 1]
                    let current: UInt8 = s < subject.count ? subject[s] : 0
                    guard !inSet(previous, p, end - 1), inSet(current, p, end - 1) else { return nil }
                    p = end
                    continue
                }
                if next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
                    guard let end = try matchCapture(s, next) else { return nil }
                    s = end
                    p += 2
                    continue
                }
            }
            let end = try classEnd(p)
            let suffix: UInt8 = end < pattern.count ? pattern[end] : 0
            if !singleMatch(s, p, end) {
                if suffix == UInt8(ascii: "*") || suffix == UInt8(ascii: "?") || suffix == UInt8(ascii: "-") {
                    p = end + 1
                    continue
                }
                return nil
            }
            switch suffix {
            case UInt8(ascii: "?"):
                if let result = try match(s + 1, end + 1) { return result }
                p = end + 1
            case UInt8(ascii: "+"): return try maxExpand(s + 1, p, end)
            case UInt8(ascii: "*"): return try maxExpand(s, p, end)
            case UInt8(ascii: "-"): return try minExpand(s, p, end)
            default:
                s += 1
                p = end
            }
        }
    }

    /// Greedy repetition: the longest run first, backing off one at a time.
    mutating func maxExpand(_ s: Int, _ p: Int, _ end: Int) throws -> Int? {
        var count = 0
        while singleMatch(s + count, p, end) {
            count += 1
            try step()
        }
        while count >= 0 {
            if let result = try match(s + count, end + 1) { return result }
            count -= 1
        }
        return nil
    }

    /// Lazy repetition: the shortest run first, growing one at a time.
    mutating func minExpand(_ s: Int, _ p: Int, _ end: Int) throws -> Int? {
        var s = s
        while true {
            if let result = try match(s, end + 1) { return result }
            guard singleMatch(s, p, end) else { return nil }
            s += 1
        }
    }

    mutating func startCapture(_ s: Int, _ p: Int, _ what: Int) throws -> Int? {
        guard captures.count < LuaPatternMatcher.maximumCaptures else { throw Failure.malformed("too many captures") }
        captures.append(Capture(start: s, length: what))
        if let result = try match(s, p) { return result }
        captures.removeLast()
        return nil
    }

    mutating func endCapture(_ s: Int, _ p: Int) throws -> Int? {
        guard let open = captures.lastIndex(where: { $0.length == LuaPatternMatcher.unfinished }) else {
            throw Failure.malformed("invalid pattern capture")
        }
        captures[open].length = s - captures[open].start
        if let result = try match(s, p) { return result }
        captures[open].length = LuaPatternMatcher.unfinished
        return nil
    }

    /// `%bxy`: a balanced run from x to y.
    mutating func matchBalance(_ s: Int, _ p: Int) throws -> Int? {
        guard p + 1 < pattern.count else { throw Failure.malformed("malformed pattern (missing arguments to '%b')") }
        guard s < subject.count, subject[s] == pattern[p] else { return nil }
        let open = pattern[p], close = pattern[p + 1]
        var level = 1
        var index = s + 1
        while index < subject.count {
            try step()
            let c = subject[index]
            if c == close {
                level -= 1
                if level == 0 { return index + 1 }
            } else if c == open {
                level += 1
            }
            index += 1
        }
        return nil
    }

    /// `%1`…`%9`: the text of an earlier capture again.
    mutating func matchCapture(_ s: Int, _ digit: UInt8) throws -> Int? {
        let index = Int(digit) - Int(UInt8(ascii: "1"))
        guard index >= 0, index < captures.count, captures[index].length != LuaPatternMatcher.unfinished else {
            throw Failure.malformed("invalid capture index %\(index + 1)")
        }
        let capture = captures[index]
        guard capture.length >= 0, subject.count - s >= capture.length else { return nil }
        for offset in 0..<capture.length where subject[capture.start + offset] != subject[s + offset] { return nil }
        return s + capture.length
    }

    // MARK: - Results

    /// Capture `index` (0-based) of a match `s ..< e` as a Lua value: text, or a position.
    func capture(_ index: Int, _ s: Int, _ e: Int) throws -> LuaCaptureValue {
        if index >= captures.count {
            guard index == 0 else { throw Failure.malformed("invalid capture index %\(index + 1)") }
            return .text(s, e - s)
        }
        let capture = captures[index]
        if capture.length == LuaPatternMatcher.unfinished { throw Failure.malformed("unfinished capture") }
        if capture.length == LuaPatternMatcher.position { return .position(capture.start + 1) }
        return .text(capture.start, capture.length)
    }

    /// How many values a match yields: its captures, or the whole match when there are none.
    func resultCount(wholeIfNone: Bool) -> Int {
        captures.isEmpty && wholeIfNone ? 1 : captures.count
    }
}

/// A capture's value: a slice of the subject, or a 1-based position (`()`).
enum LuaCaptureValue {
    case text(Int, Int)
    case position(Int)
}
