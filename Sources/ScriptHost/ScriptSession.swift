// ScriptHost: the Lua API of Sinergi. Binds the domain (Agreements) and the database (Store)
// into LuaKit modules and runs one script as one unit of work. May import: LuaKit, Agreements,
// Store, Foundation. Never imported by LuaKit, Agreements or Store.
import Foundation
import LuaKit

/// One script run (or one REPL session): a sandboxed Lua state with Sinergi's API.
///
/// A run is one unit of work: what the script writes is committed when it returns and rolled
/// back, all of it, when it fails (`runFile`, `eval`). Without a workspace the sandbox still
/// runs plain Lua, which is what `sinergi run` does outside a workspace.
public final class ScriptSession {
    public let sandbox: LuaSandbox
    public let limits: LuaLimits

    /// - Parameters:
    ///   - modulePaths: folders `require` searches (a workspace's `scripts/lib`, `workflows/lib`).
    ///   - output: where `print` writes (standard output by default).
    public init(limits: LuaLimits = .default, modulePaths: [URL] = [],
                output: @escaping (String) -> Void = { print($0) }) throws {
        self.limits = limits
        sandbox = try LuaSandbox(options: .init(modulePaths: modulePaths, output: output))
    }

    /// Runs a script file with `arguments` as `...` and in the global `arg` (`arg[0]` is the path).
    public func runFile(at path: String, arguments: [String]) throws -> [LuaValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptError.fileNotFound(path)
        }
        let argumentValues = arguments.map { LuaValue.text($0) }
        var argTable = LuaTable(pairs: [(key: .integer(0), value: .text(path))])
        for (index, value) in argumentValues.enumerated() { argTable[.integer(Int64(index + 1))] = value }
        let environment = try sandbox.newEnvironment(extra: [:])
        try setGlobal("arg", .table(argTable), in: environment)
        return try sandbox.run(source: String(decoding: data, as: UTF8.self), chunkName: path,
                               arguments: argumentValues, environment: environment, limits: limits)
    }

    /// Runs a chunk given on the command line; an expression is returned as if prefixed `return`.
    public func eval(_ chunk: String, chunkName: String = "eval") throws -> [LuaValue] {
        let environment = try sandbox.newEnvironment(extra: [:])
        do {
            return try sandbox.run(source: "return " + chunk, chunkName: chunkName,
                                   environment: environment, limits: limits, cycles: .mark)
        } catch LuaError.syntax {
            return try sandbox.run(source: chunk, chunkName: chunkName, environment: environment,
                                   limits: limits, cycles: .mark)
        }
    }

    /// Sets a global in `environment` (not a built-in: scripts may replace it).
    private func setGlobal(_ name: String, _ value: LuaValue, in environment: LuaReference) throws {
        _ = try sandbox.state.run("local name, value = ...; _ENV[name] = value", chunkName: "=[sinergi]",
                                  arguments: [.text(name), value], environment: environment,
                                  limits: LuaLimits(timeout: nil, memory: nil))
    }
}

/// Failures of the script host that are not Lua's.
public enum ScriptError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(String)

    public var description: String {
        switch self {
        case let .fileNotFound(path): return "cannot read script '\(path)': no such file"
        }
    }
}
