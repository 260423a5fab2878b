import CLua
import CLuaShim
import Foundation

/// The allow-list sandbox of DESIGN.md: a fresh environment per run, withheld names that raise
/// `forbidden` errors naming them, read-only built-ins, and the time/memory budget.
///
/// ```swift
/// let sandbox = try LuaSandbox(options: .init(output: { print($0) }))
/// let results = try sandbox.run(source: "return 1 + 1", chunkName: "x.lua")
/// ```
public final class LuaSandbox {
    /// Where `require` looks and where `print` writes.
    public struct Options {
        /// Folders searched by `require("a.b")` for `a/b.lua` (Lua files only, never C modules).
        public var modulePaths: [URL]
        /// Receives each line `print` writes, without the newline.
        public var output: (String) -> Void

        public init(modulePaths: [URL] = [], output: @escaping (String) -> Void = { print($0) }) {
            self.modulePaths = modulePaths
            self.output = output
        }
    }

    public let state: LuaState
    private let options: Options
    /// Answers `require` before the module folders while set: a pinned workflow version's
    /// modules come from the sources stored with it, not from the files on disk.
    public let modules = ModuleSource()
    /// Whether scripts may read the clock now (`os.time`, `os.date`; the API's `today()` and
    /// `now()` ask the same): a workflow definition's top level may not.
    public let clock = ClockGate()
    /// `new_env(extra)` from the prelude.
    private let environmentFactory: LuaReference

    public init(state: LuaState? = nil, options: Options = Options()) throws {
        let lua = try state ?? LuaState()
        self.state = lua
        self.options = options
        try lua.ensureStack(3)
        LuaSandbox.pushPrelude(onto: lua)
        LuaSandbox.pushHostFunctions(state: lua, options: options, modules: modules, clock: clock)
        try lua.callOnStack(argumentCount: 1, resultCount: 1, limits: LuaLimits(timeout: nil, memory: nil))
        environmentFactory = lua.popReference()
    }

    /// A fresh environment with the allow-listed built-ins plus `extra` globals (tables become
    /// read-only module tables, e.g. `agreements`, `log`).
    public func newEnvironment(extra: [String: LuaValue] = [:]) throws -> LuaReference {
        try state.ensureStack(2)
        environmentFactory.push(onto: state.L)
        try state.push(.table(LuaTable(pairs: extra.map { (key: .text($0.key), value: $0.value) })))
        try state.callOnStack(argumentCount: 1, resultCount: 1, limits: LuaLimits(timeout: nil, memory: nil))
        return state.popReference()
    }

    /// Runs `source` in a fresh environment (or `environment`) within `limits`.
    public func run(source: String, chunkName: String, arguments: [LuaValue] = [],
                    extra: [String: LuaValue] = [:], environment: LuaReference? = nil,
                    limits: LuaLimits = .default, cycles: LuaCyclePolicy = .fail,
                    keepingResults: Bool = true) throws -> [LuaValue] {
        try run(bytes: Array(source.utf8), chunkName: chunkName, arguments: arguments, extra: extra,
                environment: environment, limits: limits, cycles: cycles, keepingResults: keepingResults)
    }

    /// Runs source given as bytes (a script file's, unchanged) like `run(source:)`.
    public func run(bytes source: [UInt8], chunkName: String, arguments: [LuaValue] = [],
                    extra: [String: LuaValue] = [:], environment: LuaReference? = nil,
                    limits: LuaLimits = .default, cycles: LuaCyclePolicy = .fail,
                    keepingResults: Bool = true) throws -> [LuaValue] {
        let environment = try environment ?? newEnvironment(extra: extra)
        return try state.run(bytes: source, chunkName: chunkName, arguments: arguments, environment: environment,
                             limits: limits, cycles: cycles, keepingResults: keepingResults)
    }

    /// Pushes the table of host functions the prelude receives (1 slot).
    private static func pushHostFunctions(state: LuaState, options: Options, modules: ModuleSource, clock: ClockGate) {
            sinergi_newtable(state.L)
            let functions: [(String, LuaHostBody)] = [
                ("forbid", { call in
                    let what = try call.string(1)
                    let kind = try call.optionalString(2)
                    let message = kind == "readonly"
                        ? "\(what) is read-only in Sinergi scripts"
                        : "\(what) is not available in Sinergi scripts"
                    throw LuaError.forbidden(message: message, location: nil)
                }),
                ("write", { call in
                    options.output(try call.string(1))
                    return 0
                }),
                ("require", { call in
                    if let resolve = modules.resolve, case let name = try call.string(1), isValidModuleName(name),
                       let module = try resolve(name) {
                        call.stack.pushBytes(LuaSandbox.fileChunk(module.source))
                        call.push(string: module.path)
                        return 2
                    }
                    return try findModule(call, paths: options.modulePaths)
                }),
                ("syntax_error", { call in
                    // A module's syntax error is the contract's `syntax`, at the module's full path.
                    let (location, message) = LuaLocation.split(try call.string(1))
                    let error = LuaError.syntax(message: message, location: location, incompleteInput: false)
                    throw try call.optionalString(2).map(error.restoringChunkName) ?? error
                }),
                ("find", { call in try LuaPatternFunctions.find(call, find: true) }),
                ("match", { call in try LuaPatternFunctions.find(call, find: false) }),
                ("gmatch", { call in try LuaPatternFunctions.gmatch(call) }),
                ("gsub", { call in try LuaPatternFunctions.gsub(call) }),
            ]
            for (name, body) in functions {
                state.pushFunction(name: name, body)
                let key = ["require": "find_module"][name] ?? name
                lua_setfield(state.L, -2, key)
            }
            // What must run without a Swift frame under it (see CLuaShim.h).
            let cFunctions: [(String, lua_CFunction)] = [
                ("resume", sinergi_co_resume), ("wrap", sinergi_co_wrap), ("close", sinergi_co_close),
                ("check", sinergi_co_check), ("tostring", sinergi_safe_tostring),
                ("insert", sinergi_table_insert), ("remove", sinergi_table_remove), ("run_serial", sinergi_run_serial),
            ]
            for (name, function) in cFunctions {
                lua_pushcclosure(state.L, function, 0)
                lua_setfield(state.L, -2, name)
            }
            // Wrappers that end in stock's C function, kept as their upvalue (see string.c).
            let overStock: [(library: String, name: String, lua_CFunction)] = [
                ("string", "rep", sinergi_string_rep), ("string", "format", sinergi_string_format),
                ("table", "move", sinergi_table_move), ("table", "sort", sinergi_table_sort),
            ]
            for (library, name, wrapper) in overStock {
                sinergi_push_over_stock(state.L, library, name, wrapper)
                lua_setfield(state.L, -2, name)
            }
            for name in ["time", "date"] {
                state.pushFunction(name: "os." + name) { _ in
                    try clock.check?()
                    return 0
                }
                sinergi_push_gated_stock(state.L, "os", name)
                lua_setfield(state.L, -2, "os_" + name)
            }
    }

    /// The largest Lua source Sinergi reads: a module `require` loads, a script `run` or the
    /// scheduler runs, a workflow definition, the workspace's `sinergi.lua`, one REPL input.
    /// What the host holds and copies to load source lies outside the script's memory cap, so a
    /// file of hundreds of megabytes would make the process hold several times that.
    public static let maximumSourceBytes = 1 << 20

    /// A module name: ASCII identifiers joined by dots (`report.format`). Checked on bytes, so no
    /// Unicode character can combine with a `/` or `.` into something else.
    static func isValidModuleName(_ name: String) -> Bool {
        let segments = name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return !name.isEmpty && segments.allSatisfy { segment in
            guard let first = segment.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
            return segment.allSatisfy { byte in
                byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            }
        }
    }

    /// `require`'s search: `a.b` → `a/b.lua` under each module path, only files that really lie
    /// inside it (symlinks resolved); returns source and path.
    private static func findModule(_ call: LuaCall, paths: [URL]) throws -> Int32 {
        let name = try call.string(1)
        guard isValidModuleName(name) else {
            throw LuaError.runtime(message: "module name '\(TerminalText.line(name))' is not valid (ASCII letters, digits and '_', joined by '.')",
                                   location: nil, traceback: "")
        }
        let relative = name.replacingOccurrences(of: ".", with: "/") + ".lua"
        var tried: [String] = []
        for folder in paths {
            let file = folder.appendingPathComponent(relative)
            tried.append(file.path)
            do {
                let source = try ConfinedFile.read(file.path, inside: folder.path, limit: maximumSourceBytes)
                call.stack.pushBytes(LuaSandbox.fileChunk(source))
                call.push(string: file.path)
                return 2
            } catch ConfinedFile.Failure.missing {
                continue
            } catch ConfinedFile.Failure.tooLarge(let limit) {
                throw LuaError.forbidden(message: "module '\(name)' is larger than \(LuaLimits.formatSize(limit))", location: nil)
            } catch {
                throw LuaError.forbidden(message: "module '\(name)' is not a regular file inside \(folder.path) (links out of it are refused)",
                                         location: nil)
            }
        }
        let list = tried.isEmpty ? "no module folders are configured" : "tried " + tried.joined(separator: ", ")
        throw LuaError.runtime(message: "module '\(name)' not found: \(list)", location: nil, traceback: "")
    }
}

extension LuaSandbox {
    /// A Lua file's bytes as stock Lua's `luaL_loadfilex` reads them: a UTF-8 byte-order mark
    /// dropped, and a first line starting with `#` (`#!/usr/bin/env sinergi run`) emptied, its
    /// newline kept so that lines count as in the file. For files only: a chunk given as text
    /// (`eval`, `load`) is read as it is, as stock's `luaL_loadbuffer` reads it.
    public static func fileChunk(_ bytes: [UInt8]) -> [UInt8] {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard start < bytes.count, bytes[start] == UInt8(ascii: "#") else { return start == 0 ? bytes : Array(bytes[start...]) }
        start = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        return Array(bytes[start...])
    }
}

/// Whether the clock may be read now (see `LuaSandbox.clock`): `check` raises when it may not.
public final class ClockGate {
    public var check: (() throws -> Void)?

    init() {}
}

/// Where `require` finds a module before the sandbox's folders (see `LuaSandbox.modules`).
public final class ModuleSource {
    /// A module's source and the path its errors name.
    public typealias Module = (source: [UInt8], path: String)
    /// Returns the module named, or nil to search the folders; throwing refuses the `require`.
    public var resolve: ((String) throws -> Module?)?

    init() {}

    /// Runs `body` with `resolve` answering `require`, then restores what was there.
    public func answering<T>(with resolve: @escaping (String) throws -> Module?, _ body: () throws -> T) rethrows -> T {
        let previous = self.resolve
        self.resolve = resolve
        defer { self.resolve = previous }
        return try body()
    }
}
