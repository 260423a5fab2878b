import CLua
import CLuaShim

/// A Swift class exposed to Lua as userdata with fields and methods.
///
/// Objects are retained while Lua holds them and released by `__gc`. Fields are read through
/// `__index` (`obj.title`); methods are ordinary functions found through it (`obj:update{…}`).
/// Assigning a field is an error whose message the class chooses.
///
/// ```swift
/// let people = LuaClass<Person>(name: "person")
/// people.field("name") { person, call in call.push(string: person.name) }
/// people.method("greet") { person, call in call.push(string: "hi " + person.name); return 1 }
/// state.register(people)
/// ```
public final class LuaClass<Object: AnyObject> {
    /// The type name shown to scripts (`bad argument #1 to 'x' (agreement expected, got nil)`).
    public let name: String
    /// What assigning a field says.
    public var readOnlyMessage: String
    /// A short description for `tostring` and for printing.
    public var describe: ((Object) -> String)?
    private var fields: [String: (Object, LuaCall) throws -> Void] = [:]
    private var methods: [(String, (Object, LuaCall) throws -> Int32)] = []
    private var metamethods: [(String, LuaHostBody)] = []

    var metatableName: String { "sinergi.class." + name }

    public init(name: String, readOnlyMessage: String? = nil) {
        self.name = name
        self.readOnlyMessage = readOnlyMessage ?? "fields of a \(name) are read-only"
    }

    /// The names of the fields, sorted (for completion and help).
    public var fieldNames: [String] { fields.keys.sorted() }
    /// The names of the methods, in declaration order.
    public var methodNames: [String] { methods.map(\.0) }

    /// Declares a field; `get` pushes exactly one value.
    public func field(_ name: String, _ get: @escaping (Object, LuaCall) throws -> Void) {
        fields[name] = get
    }

    /// Declares a method; `body` receives the object (argument 1 is self) and returns its result count.
    public func method(_ name: String, _ body: @escaping (Object, LuaCall) throws -> Int32) {
        methods.append((name, body))
    }

    /// Declares a metamethod (`__add`, `__sub`, `__eq`, `__lt`, `__le`, `__len`, `__call`, …).
    /// Operands arrive as given: for binary operators either may be the object.
    public func metamethod(_ name: String, _ body: @escaping LuaHostBody) {
        metamethods.append((name, body))
    }

    /// The object at `position` if it is one of this class, else nil (no error).
    public func object(at position: Int32, in call: LuaCall) -> Object? {
        call.stack.boxedObject(at: position, metatable: metatableName) as? Object
    }

    /// Creates the metatable in `state` (once; later calls replace it).
    func install(in state: LuaState) {
        let L = state.L
        luaL_newmetatable(L, metatableName)
        let table = lua_gettop(L)
        state.pushString(name)
        lua_setfield(L, table, "__name")
        state.pushString(name)
        lua_setfield(L, table, LuaKitMetatable.classMarker)
        state.pushString("locked")
        lua_setfield(L, table, "__metatable")
        lua_pushcclosure(L, releaseBoxedObject, 0)
        lua_setfield(L, table, "__gc")

        sinergi_newtable(L)
        for (methodName, body) in methods {
            state.pushFunction(name: methodName) { [unowned self] call in
                try body(try call.object(1, of: self), call)
            }
            lua_setfield(L, -2, methodName)
        }
        lua_setfield(L, table, "__methods")

        let customIndex = metamethods.contains { $0.0 == "__index" }
        if !customIndex {
        state.pushFunction(name: "__index") { [unowned self] call in
            let object = try call.object(1, of: self)
            guard let key = call.stack.stringValue(at: 2), lua_type(call.L, 2) == LUA_TSTRING else {
                call.pushNil()
                return 1
            }
            if let get = self.fields[key] {
                try get(object, call)
                return 1
            }
            _ = lua_getmetatable(call.L, 1)
            call.push(string: "__methods")
            lua_rawget(call.L, -2)
            call.push(string: key)
            lua_rawget(call.L, -2)
            return 1
        }
        lua_setfield(L, table, "__index")
        }

        state.pushFunction(name: "__newindex") { [unowned self] _ in
            throw LuaError.runtime(message: self.readOnlyMessage, location: nil, traceback: "")
        }
        lua_setfield(L, table, "__newindex")

        for (name, body) in metamethods {
            state.pushFunction(name: name, body)
            lua_setfield(L, table, name)
        }

        state.pushFunction(name: "__tostring") { [unowned self] call in
            let object = try call.object(1, of: self)
            call.push(string: self.describe?(object) ?? self.name)
            return 1
        }
        lua_setfield(L, table, "__tostring")
        lua_settop(L, table - 1)
    }
}

extension LuaState {
    /// Makes `luaClass` usable in this state (its metatable is created here). Classes must be
    /// registered before objects of them are pushed; the class must outlive the state.
    public func register<Object: AnyObject>(_ luaClass: LuaClass<Object>) {
        luaClass.install(in: self)
        retainedClasses.append(luaClass)
    }

    /// Pushes `object` as userdata of a registered class (1 slot).
    public func push<Object: AnyObject>(_ object: Object, as luaClass: LuaClass<Object>) {
        stack.pushBoxed(object, metatable: luaClass.metatableName)
    }
}
