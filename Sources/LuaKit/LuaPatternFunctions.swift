import CLua
import CLuaShim

/// `string.find`, `string.match`, `string.gmatch` and `string.gsub` over the budgeted matcher,
/// with Lua 5.4's arguments, results and error messages.
enum LuaPatternFunctions {
    static let specials: Set<UInt8> = Set("^$*+?.([%-".utf8)

    /// The string argument at `position` as bytes that stay valid while it is on the stack.
    static func bytes(_ call: LuaCall, _ position: Int32) throws -> UnsafeBufferPointer<UInt8> {
        let type = lua_type(call.L, position)
        guard type == LUA_TSTRING || type == LUA_TNUMBER else { throw call.badArgument(position, expected: "string") }
        var length = 0
        let pointer = lua_tolstring(call.L, position, &length)
        return UnsafeBufferPointer(start: UnsafeRawPointer(pointer)?.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Lua 5.4's `posrelatI`: a 1-based start position, negative counting from the end.
    static func start(_ call: LuaCall, _ position: Int32, length: Int) throws -> Int {
        let value = try call.optionalInteger(position) ?? 1
        if value > 0 { return Int(min(value, Int64(Int.max / 2))) }
        if value == 0 { return 1 }
        if value < -Int64(length) { return 1 }
        return length + Int(value) + 1
    }

    static func fail(_ error: LuaPatternMatcher.Failure) -> any Error {
        switch error {
        case let .malformed(message): return LuaError.runtime(message: message, location: nil, traceback: "")
        case .budget: return LuaError.runtime(message: "script stopped", location: nil, traceback: "")
        }
    }

    /// Pushes the captures of a match (or the whole match) and returns how many.
    static func pushCaptures(_ matcher: LuaPatternMatcher, _ s: Int, _ e: Int, wholeIfNone: Bool, _ call: LuaCall) throws -> Int32 {
        let count = matcher.resultCount(wholeIfNone: wholeIfNone)
        try call.stack.ensureStack(Int32(count) + 2)
        for index in 0..<count { push(try matcher.capture(index, s, e), matcher, call) }
        return Int32(count)
    }

    static func push(_ value: LuaCaptureValue, _ matcher: LuaPatternMatcher, _ call: LuaCall) {
        switch value {
        case let .position(position): call.push(integer: Int64(position))
        case let .text(start, length):
            matcher.subject.baseAddress.map { base in
                (base + start).withMemoryRebound(to: CChar.self, capacity: length) { _ = lua_pushlstring(call.L, $0, length) }
            } ?? { _ = lua_pushlstring(call.L, "", 0) }()
        }
    }

    // MARK: - find / match

    static func find(_ call: LuaCall, find: Bool) throws -> Int32 {
        let subject = try bytes(call, 1), pattern = try bytes(call, 2)
        let initial = try start(call, 3, length: subject.count)
        if initial > subject.count + 1 { call.pushNil(); return 1 }
        var matcher = LuaPatternMatcher(subject: subject, pattern: pattern, thread: call.L)
        do {
            if find && (call.truthy(4) || !pattern.contains(where: specials.contains)) {
                if let at = try plainFind(subject, pattern, from: initial - 1, matcher: &matcher) {
                    call.push(integer: Int64(at + 1))
                    call.push(integer: Int64(at + pattern.count))
                    return 2
                }
                call.pushNil()
                return 1
            }
            let anchored = pattern.first == UInt8(ascii: "^")
            var s = initial - 1
            repeat {
                matcher.reset()
                if let e = try matcher.match(s, anchored ? 1 : 0) {
                    if find {
                        call.push(integer: Int64(s + 1))
                        call.push(integer: Int64(e))
                        return try 2 + pushCaptures(matcher, s, e, wholeIfNone: false, call)
                    }
                    return try pushCaptures(matcher, s, e, wholeIfNone: true, call)
                }
                s += 1
            } while s <= subject.count && !anchored
        } catch let error as LuaPatternMatcher.Failure {
            throw fail(error)
        }
        call.pushNil()
        return 1
    }

    /// A plain substring search, counted against the budget like pattern steps.
    static func plainFind(_ subject: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, from: Int,
                          matcher: inout LuaPatternMatcher) throws -> Int? {
        if needle.isEmpty { return from }
        guard needle.count <= subject.count - from else { return nil }
        let first = needle[0]
        var index = from
        let last = subject.count - needle.count
        while index <= last {
            try matcher.step()
            if subject[index] == first {
                var offset = 1
                while offset < needle.count, subject[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
                for _ in 0..<(offset / 64) { try matcher.step() }
            }
            index += 1
        }
        return nil
    }

    // MARK: - gmatch

    /// Where a `gmatch` iterator stands. The subject and pattern stay Lua strings, upvalues of
    /// the iterator: nothing is copied into Swift, however many iterators a script makes.
    final class GmatchState {
        var source: Int
        var lastMatch: Int?

        init(source: Int) { self.source = source }
    }

    static func gmatch(_ call: LuaCall) throws -> Int32 {
        let subject = try bytes(call, 1)
        _ = try bytes(call, 2)
        let initial = try start(call, 3, length: subject.count)
        // Lua 5.4.4 (lstrlib.c gmatch): an init past the end leaves nothing to match.
        let state = GmatchState(source: initial > subject.count + 1 ? subject.count + 1 : initial - 1)
        let exhausted = initial > subject.count + 1
        try call.stack.ensureStack(4)
        lua_pushvalue(call.L, 1)
        lua_pushvalue(call.L, 2)
        if lua_type(call.L, 1) == LUA_TNUMBER { lua_tolstring(call.L, -2, nil) }
        if lua_type(call.L, 2) == LUA_TNUMBER { lua_tolstring(call.L, -1, nil) }
        call.stack.pushFunction(name: "gmatch iterator", owner: call.state, upvalues: 2) { call in
            let subject = call.upvalueBytes(1), pattern = call.upvalueBytes(2)
            if exhausted { return 0 }
            var matcher = LuaPatternMatcher(subject: subject, pattern: pattern, thread: call.L)
            do {
                var s = state.source
                while s <= subject.count {
                    matcher.reset()
                    if let e = try matcher.match(s, 0), e != state.lastMatch {
                        state.source = e
                        state.lastMatch = e
                        return try pushCaptures(matcher, s, e, wholeIfNone: true, call)
                    }
                    s += 1
                }
                state.source = subject.count + 1
                return 0
            } catch let error as LuaPatternMatcher.Failure {
                throw fail(error)
            }
        }
        return 1
    }
}
