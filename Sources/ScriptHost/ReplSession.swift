import Agreements
import Foundation
import LuaKit
import Store

/// The REPL's engine, without the terminal: lua.c's input rules, a persistent environment, one
/// transaction per input (or a group between `begin()` and `commit()`), output formats, help and
/// completion. The terminal front end (line editing, history, Ctrl-C) lives in the CLI.
public final class ReplSession {
    public typealias Format = ScriptSession.OutputFormat

    /// What an input line led to.
    public enum Reply {
        /// The input is incomplete (Lua stopped at `<eof>`): show the `>>` prompt.
        case more
        /// Text to print (may be empty when a statement returned nothing).
        case output(String)
        /// The input failed; nothing it wrote is kept.
        case failure(any Error)
        /// `:quit`.
        case quit
    }

    public let session: ScriptSession
    public let write: Bool
    public var format: Format = .table
    /// Terminal width for tables.
    public var width: Int = 100 {
        didSet { session.tableWidth = width }
    }
    private var environment: LuaReference?

    /// The session's one environment: globals typed at the prompt persist in it.
    func currentEnvironment() throws -> LuaReference {
        if let environment { return environment }
        let made = try makeEnvironment()
        environment = made
        return made
    }
    /// The lines of an unfinished input so far, joined by line ends (nil when none is pending):
    /// bytes, as Lua reads a file, so a string literal holds the bytes typed, UTF-8 or not.
    private var pending: [UInt8]?
    /// The time spent reading the input in progress as Lua, line after line (nanoseconds).
    private var parseNanoseconds: UInt64 = 0

    /// The longest input the REPL takes: a line, or the lines of an unfinished statement. What
    /// the host holds and copies to parse an input lies outside the script's memory cap, so it
    /// is bounded as a module `require` reads is (1 MB); a front end reading lines may stop
    /// reading one past this length (`sinergi repl` does: piped input is never held whole).
    public static let maximumInputBytes = LuaSandbox.maximumSourceBytes
    /// The store's session, held while the loop runs (`withConnection`); nil without a workspace.
    private var store: StoreSession?
    /// The group `begin()` opened and no input has ended yet.
    private var group: StoreGroup?
    /// What the input in progress asked for: `begin()`, `commit()` or `rollback()`.
    private var groupRequested = false
    private var groupEnd: GroupEnd?
    private enum GroupEnd { case commit, rollback }

    public init(workspace: Workspace?, actor: User?, clock: any Clock, write: Bool, limits: LuaLimits? = nil,
                output: @escaping (String) -> Void) throws {
        self.write = write
        session = try ScriptSession(workspace: workspace, actor: actor, clock: clock, readOnly: !write,
                                    limits: limits, output: output)
    }

    public var prompt: String { pending == nil ? "> " : ">> " }

    /// Lets another thread stop the input in progress (Ctrl-C).
    public var interruptHandle: LuaInterruptHandle { session.sandbox.state.interruptHandle }

    /// Runs the whole REPL loop `body` in one store session (units are per input); a group still
    /// open when it ends is rolled back — and the refusals of `a:fire` made in it, which wait for
    /// their group to end (`inInputUnit`), are recorded then, in a unit of their own.
    public func withConnection<T>(_ body: () throws -> T) throws -> T {
        guard let workspace = session.context.workspace else { return try body() }
        return try workspace.database.session { store in
            self.store = store
            defer {
                if let open = group {
                    group = nil
                    try? open.rollback()
                    session.context.workflows?.unitEnded { body in try store.write(body) }
                }
                self.store = nil
            }
            return try body()
        }
    }

    /// The line the REPL opens with: workspace, user, mode and agreement count.
    public func banner(version: String) -> String {
        let mode = write ? "write mode: each input is its own transaction; begin() groups" : "read-only (sinergi repl --write to make changes)"
        guard let workspace = session.context.workspace else {
            return "Sinergi \(version) — Lua 5.4 with no workspace (\(mode)). help() lists the API; Ctrl-D leaves."
        }
        let count = try? store?.read { try workspace.agreements.count(.init(), in: $0) }
        return "Sinergi \(version) — workspace \(workspace.root.path), user \(session.context.actor?.id ?? "?"), \(mode), "
            + "\(count.map(String.init) ?? "?") agreements. help() lists the API; Ctrl-D leaves."
    }

    // MARK: - Input

    /// Takes one line of input (lua.c's rules: an expression prints its value, `=expr` works,
    /// incomplete input asks for more).
    public func submit(_ line: String) -> Reply { submit(bytes: Array(line.utf8)) }

    /// `submit` for a line as read: its bytes, which Lua loads as they are (a terminal in a
    /// Latin-1 locale types `é` as one byte 0xE9, which a `String` would have made U+FFFD).
    public func submit(bytes line: [UInt8]) -> Reply {
        if pending == nil, line.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) == UInt8(ascii: ":") {
            return command(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces))
        }
        let begun = DispatchTime.now().uptimeNanoseconds
        guard (pending?.count ?? 0) + line.count < ReplSession.maximumInputBytes else {
            cancelInput()
            return .failure(DomainError.validation("an input is at most \(LuaLimits.formatSize(ReplSession.maximumInputBytes)) "
                                                   + "(a line, or the lines of an unfinished statement); this one was dropped"))
        }
        pending = pending.map { $0 + [UInt8(ascii: "\n")] + line } ?? line
        var source = pending ?? line
        if source.first == UInt8(ascii: "=") { source = Array("return ".utf8) + source.dropFirst() }
        let state = session.sandbox.state
        do {
            do {
                try state.load(Array("return ".utf8) + source, chunkName: "stdin")
            } catch LuaError.syntax {
                try state.load(source, chunkName: "stdin")
            }
        } catch let LuaError.syntax(_, _, incomplete) where incomplete {
            // Each line parses the whole input again (as lua.c does): an unfinished statement
            // fed line after line costs its time budget, not the square of its length.
            parseNanoseconds += DispatchTime.now().uptimeNanoseconds - begun
            if let timeout = session.limits.timeout, Double(parseNanoseconds) > timeout * 1e9 {
                cancelInput()
                return .failure(LuaError.timeout(location: nil, seconds: timeout))
            }
            return .more
        } catch {
            cancelInput()
            return .failure(error)
        }
        cancelInput()
        return run()
    }

    /// Discards a partly typed multi-line input (Ctrl-C at a `>>` prompt).
    public func cancelInput() {
        pending = nil
        parseNanoseconds = 0
    }

    /// Runs the function `submit` loaded (on the stack) as one input, in its own unit of work.
    private func run() -> Reply {
        let state = session.sandbox.state
        do {
            let environment = try currentEnvironment()
            try state.setEnvironment(environment, ofFunctionAt: -1)
        } catch {
            state.stack.pop(1)
            return .failure(error)
        }
        groupRequested = false
        groupEnd = nil
        var called = false
        do {
            // The watchdog watches the input and the printing of its values (both run inside the
            // input's unit); it is disarmed before any COMMIT.
            return .output(try inInputUnit {
                try session.gatedByWatchdog {
                    called = true
                    return try render(state.call(argumentCount: 0, limits: session.limits, cycles: .mark))
                }
            })
        } catch {
            if !called { state.stack.pop(1) }
            return .failure(error)
        }
    }

    private func command(_ text: String) -> Reply {
        let words = text.split(separator: " ").map(String.init)
        switch words.first {
        case ":q", ":quit", ":exit": return .quit
        case ":help": return .output(ApiDocs.overview)
        case ":format":
            guard words.count == 2, let format = Format(rawValue: words[1]) else {
                return .failure(DomainError.validation(":format takes table, json or csv"))
            }
            self.format = format
            return .output("output format: \(format.rawValue)")
        default:
            return .failure(DomainError.validation("unknown command \(words.first ?? text) (:format table|json|csv, :help, :quit)"))
        }
    }

    // MARK: - Transactions

    /// Runs one input as a unit of work. A read-only session reads in a snapshot that never
    /// takes the write lock. A writing one runs the input as a unit of the open group, or of a
    /// group begun for it and committed when it ends — unless it called `begin()`, which leaves
    /// the group open for the inputs that follow. A failed input keeps nothing it did, whatever it
    /// called: its unit rolls back alone, its begin()/commit()/rollback() requests are void, and
    /// a group opened before it stays open.
    private func inInputUnit(_ body: () throws -> String) throws -> String {
        guard let store else { return try body() }
        let run = { (unit: StoreUnit) in try self.session.context.within(unit, body) }
        guard write else { return try store.read(run) }
        let ownGroup = group == nil
        let current = try group ?? store.beginGroup()
        // Refusals of a:fire are recorded once no group is open, whatever became of the input.
        defer { if group == nil { session.context.workflows?.unitEnded { body in try store.write(body) } } }
        let text: String
        do {
            text = try current.unit(run)
        } catch {
            if ownGroup { try? current.rollback() }
            // SQLite rolled the whole group back under this input (the error says so): the
            // inputs after it run on their own, as after rollback().
            if !current.isOpen { group = nil }
            throw error
        }
        switch groupEnd {
        case .commit?:
            group = nil
            try current.commit()
        case .rollback?:
            group = nil
            try current.rollback()
        case nil:
            if ownGroup && !groupRequested { try current.commit() } else { group = current }
        }
        return text
    }

    /// The REPL's own globals: help, fmt, begin/commit/rollback.
    private func makeEnvironment() throws -> LuaReference {
        let state = session.sandbox.state
        var extra = session.globals
        extra["fmt"] = state.functionValue(name: "fmt") { [unowned self] call in
            let name = try call.string(1)
            guard let format = Format(rawValue: name) else { throw DomainError.validation("fmt: '\(name)' is not table, json or csv") }
            self.format = format
            return 0
        }
        extra["begin"] = state.functionValue(name: "begin") { [unowned self] _ in
            guard write else { throw DomainError.permission("begin(): this session is read-only (start it with sinergi repl --write)") }
            guard group == nil else { throw DomainError.validation("begin(): a group is already open; commit() or rollback() first") }
            groupRequested = true
            return 0
        }
        for (name, end) in [("commit", GroupEnd.commit), ("rollback", GroupEnd.rollback)] {
            extra[name] = state.functionValue(name: name) { [unowned self] _ in
                guard group != nil || groupRequested else {
                    throw DomainError.validation("\(name)(): no group is open; each input is its own transaction (begin() groups inputs)")
                }
                groupEnd = end
                return 0
            }
        }
        extra["help_text"] = state.functionValue(name: "help") { call in
            let name = try call.optionalString(1)
            let text = name.map { ApiDocs.entry(named: $0) ?? "no help for \($0); help() lists the API" } ?? ApiDocs.overview
            call.push(string: text)
            return 1
        }
        let environment = try session.sandbox.newEnvironment(extra: extra)
        _ = try state.run(ReplSession.helpSource, chunkName: "=" + LuaSandbox.preludeChunk, arguments: [.table(LuaTable(sequence: ApiDocs.entries.map { .text($0.name) }))],
                          environment: environment, limits: LuaLimits(timeout: 1, memory: nil))
        return environment
    }

    /// `help(f)`: finds the name of a function by identity, then prints its entry.
    static let helpSource = """
        local names = ...
        local by_function = {}
        for _, name in ipairs(names) do
          local value = _ENV
          for part in name:gmatch("[^.]+") do value = type(value) == "table" and value[part] or nil end
          if type(value) == "function" then by_function[value] = name end
        end
        local text = help_text
        _ENV.help = function(thing)
          if thing == nil then return print(text()) end
          local name = type(thing) == "string" and thing or by_function[thing]
          print(text(name or tostring(thing)))
        end
        """
}
