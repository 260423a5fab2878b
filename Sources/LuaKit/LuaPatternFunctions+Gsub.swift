import CLua
import CLuaShim

extension LuaPatternFunctions {
    static func gsub(_ call: LuaCall) throws -> Int32 {
        let L = call.L
        let subject = try bytes(call, 1), pattern = try bytes(call, 2)
        let replacementType = lua_type(L, 3)
        guard [LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_TFUNCTION].contains(replacementType) else {
            throw call.badArgument(3, expected: "string/function/table")
        }
        let maximum = try call.optionalInteger(4) ?? Int64(subject.count + 1)
        let anchored = pattern.first == UInt8(ascii: "^")
        var matcher = LuaPatternMatcher(subject: subject, pattern: pattern, thread: L)
        var output: [UInt8] = []
        var charged = 0
        var count: Int64 = 0
        var changed = false
        var source = 0
        var lastMatch: Int?
        do {
            while count < maximum {
                matcher.reset()
                if let end = try matcher.match(source, anchored ? 1 : 0), end != lastMatch {
                    count += 1
                    changed = try addValue(&output, matcher, source, end, replacementType, call) || changed
                    source = end
                    lastMatch = end
                } else if source < subject.count {
                    output.append(subject[source])
                    source += 1
                } else {
                    break
                }
                if anchored { break }
                try charge(output, &charged, call)
            }
        } catch let error as LuaPatternMatcher.Failure {
            throw fail(error)
        }
        if changed {
            output.append(contentsOf: subject[source...])
            try charge(output, &charged, call)
            call.stack.pushBytes(output)
        } else {
            lua_pushvalue(L, 1)   // nothing replaced: the subject itself, as stock Lua 5.4 returns it
        }
        call.push(integer: count)
        return 2
    }

    /// The result the host builds in Swift memory counts against the run's cap: every growth of
    /// its buffer is charged when it happens (the buffer's capacity, what malloc really holds).
    @inline(__always)
    static func charge(_ output: [UInt8], _ charged: inout Int, _ call: LuaCall) throws {
        let capacity = output.capacity
        guard capacity > charged else { return }
        try call.chargeHostMemory(capacity - charged)
        charged = capacity
    }

    /// Appends the replacement for the match `s ..< e`; false when the match was kept as it was
    /// (a table or function gave nil or false).
    @discardableResult
    static func addValue(_ output: inout [UInt8], _ matcher: LuaPatternMatcher, _ s: Int, _ e: Int,
                         _ type: Int32, _ call: LuaCall) throws -> Bool {
        let L = call.L
        if type == LUA_TSTRING || type == LUA_TNUMBER {
            let replacement = try bytes(call, 3)
            var index = 0
            while index < replacement.count {
                let byte = replacement[index]
                index += 1
                guard byte == UInt8(ascii: "%") else { output.append(byte); continue }
                guard index < replacement.count else {
                    throw LuaError.runtime(message: "invalid use of '%' in replacement string", location: nil, traceback: "")
                }
                let next = replacement[index]
                index += 1
                if next == UInt8(ascii: "%") {
                    output.append(next)
                } else if next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
                    let value: LuaCaptureValue = next == UInt8(ascii: "0")
                        ? .text(s, e - s) : try matcher.capture(Int(next) - Int(UInt8(ascii: "1")), s, e)
                    switch value {
                    case let .text(start, length): output.append(contentsOf: matcher.subject[start..<(start + length)])
                    case let .position(position): output.append(contentsOf: Array(String(position).utf8))
                    }
                } else {
                    throw LuaError.runtime(message: "invalid use of '%' in replacement string", location: nil, traceback: "")
                }
            }
            return true
        }
        try call.stack.ensureStack(Int32(LuaPatternMatcher.maximumCaptures + 4))
        let top = lua_gettop(L)
        if type == LUA_TTABLE {
            try call.stack.pushIndexer()
            lua_pushvalue(L, 3)
            push(try matcher.capture(0, s, e), matcher, call)
            try call.stack.protectedCall(arguments: 2, results: 1)
        } else {
            lua_pushvalue(L, 3)
            let count = try pushCaptures(matcher, s, e, wholeIfNone: true, call)
            try call.stack.protectedCall(arguments: count, results: 1)
        }
        defer { lua_settop(L, top) }
        switch lua_type(L, -1) {
        case _ where lua_toboolean(L, -1) == 0:   // nil or false: keep the match as it was
            output.append(contentsOf: matcher.subject[s..<e])
            return false
        case LUA_TSTRING:
            var length = 0
            let pointer = lua_tolstring(L, -1, &length)
            output.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
        case LUA_TNUMBER:
            output.append(contentsOf: Array((call.stack.stringValue(at: -1) ?? "").utf8))
        default:
            let name = String(cString: lua_typename(L, lua_type(L, -1)))
            throw LuaError.runtime(message: "invalid replacement value (a \(name))", location: nil, traceback: "")
        }
        return true
    }
}
