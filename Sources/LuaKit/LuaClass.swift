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
    private var fields: [(String, (Object, LuaCall) throws -> Void)] = []
    private var methods: [(String, (Object, LuaCall) throws -> Int32)] = []
    private var metamethods: [(LuaMetamethod, LuaHostBody)] = []

    /// The registry key of the metatable (computed once: it is used on every access).
    let metatableName: String
    /// The state the class was registered in (its budget identifies it from any thread) and a
    /// registry reference to the metatable there: pushing and checking objects then costs an
    /// integer lookup instead of hashing the metatable's name.
    private var home: UnsafeMutablePointer<sinergi_budget>?
    private var metatableRef: Int32 = 0
    /// What an object declares it holds (`LuaHostFootprint`), nil when `Object` declares nothing;
    /// decided once, so that a push costs no dynamic cast — and at the first push, not when the
    /// class is made: a cast that fails scans every conformance record in the binary, and a cold
    /// `eval` made four such classes and pushed none of their objects (2.5 % of its instructions).
    private lazy var declaredFootprint: ((Object) -> Int)? = (Object.self as? any LuaHostFootprint.Type).map { footprintReader($0) }
    /// How many live states this class is registered in.
    private var registrations = 0

    public init(name: String, readOnlyMessage: String? = nil) {
        self.name = name
        metatableName = "sinergi.class." + name
        self.readOnlyMessage = readOnlyMessage ?? "fields of a \(name) are read-only"
    }

    /// The names of the fields, sorted (for completion and help).
    public var fieldNames: [String] { fields.map(\.0).sorted() }
    /// The names of the methods, in declaration order.
    public var methodNames: [String] { methods.map(\.0) }

    /// Declares a field; `get` pushes exactly one value.
    public func field(_ name: String, _ get: @escaping (Object, LuaCall) throws -> Void) {
        fields.append((name, get))
    }

    /// Declares a method; `body` receives the object (argument 1 is self) and returns its result count.
    public func method(_ name: String, _ body: @escaping (Object, LuaCall) throws -> Int32) {
        methods.append((name, body))
    }

    /// Declares a metamethod. Operands arrive as given: for binary operators either may be the
    /// object. The ones the class must own (`__gc`, `__metatable`, `__name`, `__newindex`,
    /// `__tostring`) are not in `LuaMetamethod`, so they cannot be overwritten by mistake.
    public func metamethod(_ metamethod: LuaMetamethod, _ body: @escaping LuaHostBody) {
        metamethods.append((metamethod, body))
    }

    /// The object at `position` if it is one of this class, else nil (no error).
    public func object(at position: Int32, in call: LuaCall) -> Object? {
        boxedObject(at: position, on: call.L) as? Object
    }

    /// Charges the object at `position` (of this class) at what it declares it holds now
    /// (`LuaHostFootprint`): one that loaded more since it was pushed — a record's details, a
    /// page of a list — pays for it against the run's cap, and one that let go gets it back. Past
    /// the cap the run is killed at its next instruction, as a push would be. Only this userdata's
    /// charge moves: another box of the same object keeps its own.
    public func recharge(at position: Int32, in call: LuaCall) {
        let L = call.L
        guard let declaredFootprint, let object = boxedObject(at: position, on: L),
              let box = lua_touserdata(L, position)?.assumingMemoryBound(to: BoxedObject.self) else { return }
        let footprint = LuaHostMemory.objectSize + declaredFootprint(unsafeDowncast(object, to: Object.self))
        let charged = box.pointee.footprint
        box.pointee.footprint = footprint
        if footprint > charged {
            LuaHostMemory.retainObject(footprint - charged, on: L)
        } else {
            LuaHostMemory.releaseObject(charged - footprint, on: L)
        }
    }

    /// The boxed object at `index` if its metatable is this class's (1 transient slot).
    func boxedObject(at index: Int32, on L: OpaquePointer) -> AnyObject? {
        guard let home, sinergi_budget_slot(L).pointee == home else {
            return LuaStack.boxedObject(at: index, metatable: metatableName, on: L)
        }
        guard let raw = lua_touserdata(L, index), lua_getmetatable(L, index) != 0 else { return nil }
        lua_rawgeti(L, sinergi_registryindex(), lua_Integer(metatableRef))
        let same = lua_rawequal(L, -1, -2) != 0
        sinergi_pop(L, 2)
        guard same, let pointer = raw.assumingMemoryBound(to: BoxedObject.self).pointee.object else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Pushes `object` as userdata of this class (1 slot, 1 transient).
    func push(_ object: Object, on L: OpaquePointer) {
        guard let home, sinergi_budget_slot(L).pointee == home else {
            LuaStack.pushBoxed(object, metatable: metatableName, on: L)
            return
        }
        let footprint = LuaHostMemory.objectSize + (declaredFootprint?(object) ?? 0)
        LuaStack.newBox(object, footprint: footprint, on: L)
        lua_rawgeti(L, sinergi_registryindex(), lua_Integer(metatableRef))
        lua_setmetatable(L, -2)
    }

    /// Creates the metatable in `state`.
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

        // One table of members, name -> field number or method function, so that `obj.name`
        // costs one raw table lookup (interned key, no Swift string) before the getter runs.
        // Erased to AnyObject here, once: reading an element of an array of closures over the
        // generic `Object` goes through value witnesses and type metadata on every field access.
        let getters: [(AnyObject, LuaCall) throws -> Void] = fields.map { _, get in
            { object, call in try get(unsafeDowncast(object, to: Object.self), call) }
        }
        sinergi_newtable(L)
        for (number, (fieldName, _)) in fields.enumerated() {
            lua_pushinteger(L, lua_Integer(number))
            lua_setfield(L, -2, fieldName)
        }
        for (methodName, body) in methods {
            state.pushFunction(name: methodName) { [unowned self] call in
                try body(try call.object(1, of: self), call)
            }
            lua_setfield(L, -2, methodName)
        }
        let members = luaL_ref(L, sinergi_registryindex())

        if !metamethods.contains(where: { $0.0 == .index }) {
            // Unowned without a check (every field access runs this): the state retains the
            // class (`register`) and runs the closure only while it is open.
            state.pushFunction(name: "__index") { [unowned(unsafe) self] call in
                let object: AnyObject = try call.object(1, of: self)
                let L = call.L
                lua_settop(L, 2)
                lua_rawgeti(L, sinergi_registryindex(), lua_Integer(members))
                lua_pushvalue(L, 2)
                if lua_rawget(L, -2) == LUA_TNUMBER {
                    let number = Int(lua_tointegerx(L, -1, nil))
                    lua_settop(L, 2)
                    try getters[number](object, call)
                }
                return 1
            }
            lua_setfield(L, table, "__index")
        }

        state.pushFunction(name: "__newindex") { [unowned self] _ in
            throw LuaError.runtime(message: self.readOnlyMessage, location: nil, traceback: "")
        }
        lua_setfield(L, table, "__newindex")

        for (metamethod, body) in metamethods {
            state.pushFunction(name: metamethod.rawValue, body)
            lua_setfield(L, table, metamethod.rawValue)
        }

        state.pushFunction(name: "__tostring") { [unowned self] call in
            let object = try call.object(1, of: self)
            call.push(string: self.describe?(object) ?? self.name)
            return 1
        }
        lua_setfield(L, table, "__tostring")
        // The latest state registered gets the fast path; objects in any other state still work
        // through the metatable's name. (Never keep an older state here: its budget's address
        // may be reused by a later state.)
        home = state.budget
        registrations += 1
        lua_pushvalue(L, table)
        metatableRef = luaL_ref(L, sinergi_registryindex())
        lua_settop(L, table - 1)
    }
}

/// Reads the footprint of objects of a class known to declare one (`Declaring` is the class's
/// `Object`: the downcast cannot fail).
private func footprintReader<Object: AnyObject, Declaring: LuaHostFootprint>(_ type: Declaring.Type) -> (Object) -> Int {
    { unsafeDowncast($0, to: Declaring.self).hostFootprint }
}

/// What a state tells the classes registered in it when it closes.
protocol LuaClassRegistration: AnyObject {
    func stateClosed()
}

extension LuaClass: LuaClassRegistration {
    /// The last state using this class closed: drop the closures (they may hold the class and
    /// the host's context in a cycle).
    func stateClosed() {
        registrations -= 1
        guard registrations == 0 else { return }
        fields.removeAll()
        methods.removeAll()
        metamethods.removeAll()
        describe = nil
        home = nil
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
        luaClass.push(object, on: L)
    }

    /// `object` as a userdata value of a registered class, for arguments built in Swift.
    public func value<Object: AnyObject>(of object: Object, as luaClass: LuaClass<Object>) throws -> LuaValue {
        try ensureStack(1)
        luaClass.push(object, on: L)
        return .userdata(LuaReference(popping: self, thread: L, summary: luaClass.name, object: object, className: luaClass.name))
    }
}

/// The metamethods a `LuaClass` may declare (Lua 5.4 manual §2.4).
public enum LuaMetamethod: String, CaseIterable, Sendable {
    case add = "__add", sub = "__sub", mul = "__mul", div = "__div", mod = "__mod", pow = "__pow"
    case unm = "__unm", idiv = "__idiv", band = "__band", bor = "__bor", bxor = "__bxor"
    case shl = "__shl", shr = "__shr", bnot = "__bnot", concat = "__concat", len = "__len"
    case eq = "__eq", lt = "__lt", le = "__le", index = "__index", call = "__call"
}
