import Testing
@testable import LuaKit

/// What a class's objects declare they hold (`LuaHostFootprint`) counts against a run's cap from
/// the first object pushed (the class looks the declaration up then, not when it is made).
@Suite struct LuaClassFootprintTests {
    final class Heavy: LuaHostFootprint {
        var hostFootprint: Int { 64 << 10 }
    }

    final class Light {}

    /// Holds `count` objects made by `make` in one run capped at 16 MB.
    func hold<Object: AnyObject>(_ count: Int, of luaClass: LuaClass<Object>, _ make: @escaping () -> Object) throws -> [LuaValue] {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        sandbox.state.register(luaClass)
        let function = sandbox.state.functionValue(name: "hold") { call in call.push(make(), as: luaClass); return 1 }
        return try sandbox.run(source: "local t = {} for i = 1, \(count) do t[i] = hold() end return #t", chunkName: "hold.lua",
                               extra: ["hold": function], limits: LuaLimits(timeout: 5, memory: 16 << 20))
    }

    @Test func declaredFootprintsCountAndUndeclaredOnesDoNot() throws {
        #expect(try hold(300, of: LuaClass<Light>(name: "light"), Light.init) == [.integer(300)])
        #expect(try hold(100, of: LuaClass<Heavy>(name: "heavy"), Heavy.init) == [.integer(100)])
        #expect {
            _ = try hold(300, of: LuaClass<Heavy>(name: "heavy"), Heavy.init)  // 300 × 64 KiB > 16 MB
        } throws: { error in
            if case .memory? = error as? LuaError { return true }
            return false
        }
    }
}
