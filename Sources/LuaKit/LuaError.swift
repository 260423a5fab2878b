// LuaKit: the binding layer between Swift and an embedded Lua 5.4. It knows nothing of
// agreements, SQL or the CLI. May import: CLua, CLuaShim, Foundation.

/// Where in a chunk something happened: `file.lua:12`.
public struct LuaLocation: Equatable, Sendable, CustomStringConvertible {
    public var chunk: String
    public var line: Int

    public init(chunk: String, line: Int) {
        self.chunk = chunk
        self.line = line
    }

    public var description: String { "\(chunk):\(line)" }

    /// Splits Lua's `chunk:line: message` form into a location and the rest.
    ///
    /// Lua prefixes error messages with the position (`x.lua:3: boom`); the host reports that
    /// position separately, so it is taken off the message here.
    public static func split(_ message: String) -> (LuaLocation?, String) {
        var rest = Substring(message)
        // A chunk name may itself contain ':' (e.g. "[string "a:b"]"), so look for ":<digits>: ".
        var searchStart = rest.startIndex
        while let colon = rest[searchStart...].firstIndex(of: ":") {
            let afterColon = rest.index(after: colon)
            let digits = rest[afterColon...].prefix(while: { $0.isASCII && $0.isNumber })
            let afterDigits = digits.endIndex
            if !digits.isEmpty, afterDigits < rest.endIndex, rest[afterDigits] == ":",
               let line = Int(digits) {
                let chunk = String(rest[..<colon])
                var text = rest[rest.index(after: afterDigits)...]
                if text.first == " " { text = text.dropFirst() }
                rest = text
                return (LuaLocation(chunk: chunk, line: line), String(rest))
            }
            searchStart = afterColon
        }
        return (nil, message)
    }
}

/// Every way running Lua can fail, with what the caller needs to act on.
///
/// One enum for the layer (STYLE.md habit 5): the REPL reads `incompleteInput`, the CLI maps each
/// case to an error class and exit code, and host functions throw `badArgument` or their own
/// errors (carried in `callback`).
public enum LuaError: Error, Sendable, Equatable {
    /// The chunk does not parse. `incompleteInput` is true when Lua stopped at `<eof>`, i.e. more
    /// lines could complete it (the REPL continues on a `>>` prompt).
    case syntax(message: String, location: LuaLocation?, incompleteInput: Bool)
    /// A script raised an error or misused the API.
    case runtime(message: String, location: LuaLocation?, traceback: String)
    /// The run passed its memory cap.
    case memory(location: LuaLocation?, limit: Int)
    /// The run passed its wall-clock budget.
    case timeout(location: LuaLocation?, seconds: Double)
    /// The host asked the run to stop (Ctrl-C in the REPL).
    case interrupted(location: LuaLocation?)
    /// The script reached for something the sandbox withholds; `message` names it.
    case forbidden(message: String, location: LuaLocation?)
    /// A host function got an argument of the wrong type.
    case badArgument(function: String, position: Int, expected: String, got: String)
    /// A Swift host function threw an error of its own (validation, permission, …).
    case callback(HostError, location: LuaLocation?)

    /// The position the error is attributed to, if known.
    public var location: LuaLocation? {
        switch self {
        case let .syntax(_, location, _), let .runtime(_, location, _), let .memory(location, _),
             let .timeout(location, _), let .interrupted(location), let .forbidden(_, location),
             let .callback(_, location):
            return location
        case .badArgument:
            return nil
        }
    }

    /// The message without position, one line, lower case where it is ours.
    public var message: String {
        switch self {
        case let .syntax(message, _, _), let .runtime(message, _, _), let .forbidden(message, _):
            return message
        case let .memory(_, limit):
            return "script passed its memory cap of \(LuaLimits.formatSize(limit))"
        case let .timeout(_, seconds):
            return "script ran past its time budget of \(LuaLimits.formatDuration(seconds))"
        case .interrupted:
            return "interrupted"
        case let .badArgument(function, position, expected, got):
            return "bad argument #\(position) to '\(function)' (\(expected) expected, got \(got))"
        case let .callback(error, _):
            return error.message
        }
    }
}

/// A Swift error carried through Lua, compared by what it says.
///
/// Host functions may throw any `Error`; LuaKit keeps the original (for the caller to classify)
/// and a one-line message for Lua's `tostring`.
public struct HostError: Sendable, Equatable {
    public let error: any Error & Sendable
    public let message: String

    public init(_ error: any Error & Sendable, message: String) {
        self.error = error
        self.message = message
    }

    public static func == (lhs: HostError, rhs: HostError) -> Bool { lhs.message == rhs.message }
}

extension LuaError {
    /// Errors are equal when they say the same thing at the same place; tracebacks are detail.
    public static func == (lhs: LuaError, rhs: LuaError) -> Bool {
        switch (lhs, rhs) {
        case let (.runtime(m1, l1, _), .runtime(m2, l2, _)): return m1 == m2 && l1 == l2
        case let (.syntax(m1, l1, i1), .syntax(m2, l2, i2)): return m1 == m2 && l1 == l2 && i1 == i2
        case let (.memory(l1, c1), .memory(l2, c2)): return l1 == l2 && c1 == c2
        case let (.timeout(l1, s1), .timeout(l2, s2)): return l1 == l2 && s1 == s2
        case let (.interrupted(l1), .interrupted(l2)): return l1 == l2
        case let (.forbidden(m1, l1), .forbidden(m2, l2)): return m1 == m2 && l1 == l2
        case let (.badArgument(f1, p1, e1, g1), .badArgument(f2, p2, e2, g2)):
            return f1 == f2 && p1 == p2 && e1 == e2 && g1 == g2
        case let (.callback(h1, l1), .callback(h2, l2)): return h1 == h2 && l1 == l2
        default: return false
        }
    }
}

extension LuaError {
    /// Lua shortens long chunk names to `...tail` (LUA_IDSIZE); put the full name back when the
    /// error belongs to the chunk named `chunkName`.
    func restoringChunkName(_ chunkName: String) -> LuaError {
        guard let location, location.chunk.hasPrefix("..."), chunkName.hasSuffix(location.chunk.dropFirst(3)) else {
            return self
        }
        let full = LuaLocation(chunk: chunkName, line: location.line)
        switch self {
        case let .syntax(message, _, incomplete): return .syntax(message: message, location: full, incompleteInput: incomplete)
        case let .runtime(message, _, traceback): return .runtime(message: message, location: full, traceback: traceback)
        case let .memory(_, limit): return .memory(location: full, limit: limit)
        case let .timeout(_, seconds): return .timeout(location: full, seconds: seconds)
        case .interrupted: return .interrupted(location: full)
        case let .forbidden(message, _): return .forbidden(message: message, location: full)
        case let .callback(host, _): return .callback(host, location: full)
        case .badArgument: return self
        }
    }
}

extension LuaError: CustomStringConvertible {
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
