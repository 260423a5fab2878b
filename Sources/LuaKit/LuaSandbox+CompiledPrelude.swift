import CLua
import Foundation

extension LuaSandbox {
    /// Pushes the prelude's main function onto `state`'s stack, compiled.
    ///
    /// The prelude is some 250 lines of Lua, and every sandbox runs it: a cold `sinergi eval`
    /// makes two (one reads `sinergi.lua`, one runs the chunk), a workflow command more. Parsing
    /// it took about 1.6 million instructions each time — 4 % of a cold `eval` — so the first
    /// state parses the text and keeps its bytecode (`lua_dump`, debug information kept: the chunk
    /// name and lines locate errors as before), and later states load that. Only this bytecode,
    /// made in this process from our own source, is ever loaded as binary; scripts stay text-only.
    static func pushPrelude(onto state: LuaState) {
        let name = "=" + preludeChunk
        if let bytecode = CompiledPrelude.shared.bytecode {
            let status = bytecode.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(state.L, $0.baseAddress, $0.count, name, "b") }
            }
            guard status != LUA_OK else { return }
            lua_settop(state.L, -2)
        }
        let status = prelude.withCString { luaL_loadbufferx(state.L, $0, strlen($0), name, "t") }
        guard status == LUA_OK else { fatalError("the sandbox prelude does not compile: \(state.stringValue(at: -1) ?? "")") }
        CompiledPrelude.shared.keep(dumping: state)
    }
}

/// The prelude's bytecode, once one state has compiled it (shared by every thread's states).
final class CompiledPrelude: @unchecked Sendable {
    static let shared = CompiledPrelude()
    private let lock = NSLock()
    private var stored: [UInt8]?

    var bytecode: [UInt8]? { lock.withLock { stored } }

    /// Dumps the function on top of `state`'s stack (left there) and keeps it, unless kept already.
    func keep(dumping state: LuaState) {
        guard bytecode == nil else { return }
        var bytes: [UInt8] = []
        let status = withUnsafeMutablePointer(to: &bytes) { output in
            lua_dump(state.L, { _, chunk, size, data in
                guard let chunk, let data else { return 1 }
                data.assumingMemoryBound(to: [UInt8].self).pointee.append(contentsOf: UnsafeRawBufferPointer(start: chunk, count: size))
                return 0
            }, UnsafeMutableRawPointer(output), 0)
        }
        guard status == 0, !bytes.isEmpty else { return }
        lock.withLock { if stored == nil { stored = bytes } }
    }
}
