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
        var output = ChargedBuffer(call: call)
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
                    try output.append(subject[source])
                    source += 1
                } else {
                    break
                }
                if anchored { break }
            }
        } catch let error as LuaPatternMatcher.Failure {
            throw fail(error)
        }
        if changed {
            try output.append(contentsOf: subject[source...])
            call.stack.pushBytes(output.bytes)
        } else {
            lua_pushvalue(L, 1)   // nothing replaced: the subject itself, as stock Lua 5.4 returns it
        }
        call.push(integer: count)
        return 2
    }

    /// Appends the replacement for the match `s ..< e`; false when the match was kept as it was
    /// (a table or function gave nil or false).
    @discardableResult
    static func addValue(_ output: inout ChargedBuffer, _ matcher: LuaPatternMatcher, _ s: Int, _ e: Int,
                         _ type: Int32, _ call: LuaCall) throws -> Bool {
        let L = call.L
        if type == LUA_TSTRING || type == LUA_TNUMBER {
            let replacement = try bytes(call, 3)
            var index = 0
            while index < replacement.count {
                // The text up to the next '%', in one piece.
                var end = index
                while end < replacement.count, replacement[end] != UInt8(ascii: "%") { end += 1 }
                if end > index {
                    try output.append(contentsOf: replacement[index..<end])
                    index = end
                    continue
                }
                index += 1
                guard index < replacement.count else {
                    throw LuaError.runtime(message: "invalid use of '%' in replacement string", location: nil, traceback: "")
                }
                let next = replacement[index]
                index += 1
                if next == UInt8(ascii: "%") {
                    try output.append(next)
                } else if next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
                    let value: LuaCaptureValue = next == UInt8(ascii: "0")
                        ? .text(s, e - s) : try matcher.capture(Int(next) - Int(UInt8(ascii: "1")), s, e)
                    switch value {
                    case let .text(start, length): try output.append(contentsOf: matcher.subject[start..<(start + length)])
                    case let .position(position): try output.append(contentsOf: Array(String(position).utf8))
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
            try output.append(contentsOf: matcher.subject[s..<e])
            return false
        case LUA_TSTRING:
            var length = 0
            let pointer = lua_tolstring(L, -1, &length)
            try output.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
        case LUA_TNUMBER:
            try output.append(contentsOf: Array((call.stack.stringValue(at: -1) ?? "").utf8))
        default:
            let name = String(cString: lua_typename(L, lua_type(L, -1)))
            throw LuaError.runtime(message: "invalid replacement value (a \(name))", location: nil, traceback: "")
        }
        return true
    }
}

/// The result `gsub` builds in Swift memory, which counts against the run's cap: each growth of
/// its buffer is charged before the buffer grows, and near the cap it grows only to one byte past
/// what is left, so the charge stops the run before anything over the cap is allocated. (Charged
/// after the fact, a doubling held up to twice what the cap allowed: 68 MB under a 40 MB cap.)
struct ChargedBuffer {
    private(set) var bytes: [UInt8] = []
    private var charged = 0
    let call: LuaCall

    init(call: LuaCall) { self.call = call }

    @inline(__always)
    mutating func append(_ byte: UInt8) throws {
        if bytes.count == bytes.capacity { try reserve(1) }
        bytes.append(byte)
    }

    @inline(__always)
    mutating func append<Bytes: Collection>(contentsOf more: Bytes) throws where Bytes.Element == UInt8 {
        if more.count > bytes.capacity - bytes.count { try reserve(more.count) }
        bytes.append(contentsOf: more)
    }

    /// Room for `extra` more bytes, charged first: the usual doubling, cut to what the cap leaves.
    private mutating func reserve(_ extra: Int) throws {
        let needed = bytes.count + extra
        var target = max(needed, 2 * bytes.capacity, 64)
        let room = LuaHostMemory.remaining(on: call.L)
        if target - charged > room { target = max(needed, charged + room + 1) }
        try call.chargeHostMemory(target - charged)
        charged = target
        bytes.reserveCapacity(target)
        // malloc may round the block up: what it holds is what counts.
        if bytes.capacity > charged {
            try call.chargeHostMemory(bytes.capacity - charged)
            charged = bytes.capacity
        }
    }
}
