import Testing
@testable import LuaKit

/// The prelude is compiled once per process: later sandboxes load its bytecode and behave as
/// the first — errors still point past the prelude at the script's own line.
@Suite struct LuaCompiledPreludeTests {
    @Test func laterSandboxesLoadTheKeptBytecodeAndBehaveAlike() throws {
        let sandboxes = try (0..<3).map { _ in try LuaSandbox(options: .init(output: { _ in })) }
        #expect(CompiledPrelude.shared.bytecode?.starts(with: [0x1B, 0x4C, 0x75, 0x61]) == true)  // "\x1bLua"
        for sandbox in sandboxes {
            #expect(try sandbox.run(source: "return string.rep('ab', 2), #table.pack(1, 2)", chunkName: "ok.lua") == [.text("abab"), .integer(2)])
            #expect {
                _ = try sandbox.run(source: "local x = 1\nreturn io", chunkName: "probe.lua")
            } throws: { error in
                guard case let .forbidden(message, location)? = error as? LuaError else { return false }
                return message == "io is not available in Sinergi scripts" && location == LuaLocation(chunk: "probe.lua", line: 2)
            }
            #expect(throws: LuaError.self) { _ = try sandbox.run(source: "return load('\\27Lua')", chunkName: "binary.lua") }
        }
    }
}
