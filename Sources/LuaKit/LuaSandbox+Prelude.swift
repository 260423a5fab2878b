extension LuaSandbox {
    /// The chunk name of the prelude; frames from it are skipped when locating errors.
    public static let preludeChunk = "[sinergi]"

    /// The sandbox prelude, run once per state with the real globals and the host functions.
    ///
    /// It returns `new_env(extra)`, which builds a fresh allow-listed environment per run. Reads
    /// of built-ins go straight to tables (no Lua function on the hot path); only writes, misses
    /// and withheld names reach Lua code. Functions that would run unbounded in C are replaced
    /// by budgeted versions: `table.move` in Lua (so the count hook sees it), `string.rep` after a
    /// size check, the pattern functions on LuaKit's step-counting matcher, `xpcall` and `coroutine.wrap/close` so that handlers run with hooks on and a
    /// killed run cannot be resumed into close handlers. Captured originals keep their public
    /// names so Lua's argument errors name the function scripts called.
    static let prelude = #"""
    local host = ...
    local forbid, check, rep_size, write, find_module, enter, leave =
      host.forbid, host.check, host.rep_size, host.write, host.find_module, host.enter, host.leave
    local type, pairs, next, select, rawget, rawset, tostring, error, pcall, load =
      type, pairs, next, select, rawget, rawset, tostring, error, pcall, load
    local setmetatable, getmetatable, collectgarbage, tointeger = setmetatable, getmetatable, collectgarbage, math.tointeger
    local pack, unpack, concat = table.pack, table.unpack, table.concat
    local create, resume, status, close = coroutine.create, coroutine.resume, coroutine.status, coroutine.close
    local rep = string.rep

    local protected = setmetatable({}, { __mode = "k" })   -- library proxy -> its name
    local envs = setmetatable({}, { __mode = "k" })        -- environment -> set of built-in names

    local function copy(source, except)
      local result = {}
      for key, value in pairs(source) do
        if not (except and except[key]) then result[key] = value end
      end
      return result
    end

    -- Missing names of a library that are withheld raise `forbidden`, naming them.
    local function withhold(library, prefix, names)
      local set = {}
      for _, name in ipairs(names) do set[name] = true end
      return setmetatable(library, { __index = function(_, key)
        if set[key] then forbid(prefix .. key) end
      end })
    end

    -- A read-only view: reads go to `source` in C; writes, rawset and setmetatable are forbidden.
    local function readonly(name, source)
      local proxy = setmetatable({}, {
        __index = source,
        __newindex = function() forbid(name, "readonly") end,
        __pairs = function() return next, source, nil end,
        __len = function() return #source end,
        __metatable = false,
      })
      protected[proxy] = name
      return proxy
    end

    local string_lib = copy(string, { dump = true, rep = true })
    function string_lib.rep(s, n, sep)
      if rep_size(s, n, sep) == 0 then return "" end
      return rep(s, n, sep)
    end
    -- The pattern functions run on the budgeted matcher: a catastrophic pattern stops at the
    -- deadline (and on Ctrl-C) like any other code, instead of running on in C.
    string_lib.find, string_lib.match, string_lib.gmatch, string_lib.gsub = host.find, host.match, host.gmatch, host.gsub
    withhold(string_lib, "string.", { "dump" })
    local string_metatable = getmetatable("")
    string_metatable.__index = string_lib
    string_metatable.__metatable = false

    local table_lib = copy(table, { move = true })
    function table_lib.move(a1, f, e, t, a2)
      if a2 == nil then a2 = a1 end
      if type(a1) ~= "table" then error("bad argument #1 to 'move' (table expected, got " .. type(a1) .. ")", 2) end
      f, e, t = tointeger(f), tointeger(e), tointeger(t)
      if not (f and e and t) then error("bad argument to 'move' (integer expected)", 2) end
      if type(a2) ~= "table" then error("bad argument #5 to 'move' (table expected, got " .. type(a2) .. ")", 2) end
      if e >= f then
        if t > e or t <= f or a1 ~= a2 then
          for i = 0, e - f do a2[t + i] = a1[f + i] end
        else
          for i = e - f, 0, -1 do a2[t + i] = a1[f + i] end
        end
      end
      return a2
    end

    local os_lib = withhold({ time = os.time, date = os.date, clock = os.clock, difftime = os.difftime }, "os.",
      { "execute", "exit", "getenv", "remove", "rename", "tmpname", "setlocale" })

    -- Resumes are tracked (enter/leave) so that a stop can arm the hook on the coroutine that is
    -- running, and the deadline is checked on every resume.
    local coroutine_lib = copy(coroutine)
    local function left(co, ...)
      leave(co)
      return ...
    end
    function coroutine_lib.resume(co, ...)
      check()
      enter(co)
      return left(co, resume(co, ...))
    end
    function coroutine_lib.wrap(f)
      local co = create(f)
      return function(...)
        check()
        enter(co)
        local results = pack(resume(co, ...))
        leave(co)
        if results[1] then return unpack(results, 2, results.n) end
        check()          -- a killed run must not run close handlers with hooks off
        enter(co)
        close(co)
        leave(co)
        local err = results[2]
        if type(err) == "string" then error(err, 2) end
        error(err, 0)
      end
    end
    function coroutine_lib.close(co)
      check()
      enter(co)
      return left(co, close(co))
    end

    local shared = {
      assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
      rawequal = rawequal, rawlen = rawlen, rawget = rawget, select = select, tonumber = tonumber,
      tostring = tostring, type = type, getmetatable = getmetatable, _VERSION = _VERSION,
      string = readonly("string", string_lib), table = readonly("table", table_lib),
      math = readonly("math", copy(math)), utf8 = readonly("utf8", copy(utf8)),
      coroutine = readonly("coroutine", coroutine_lib), os = readonly("os", os_lib),
    }
    local withheld = { io = true, debug = true, package = true, dofile = true, loadfile = true, warn = true }

    function shared.xpcall(f, handler, ...)
      local results = pack(pcall(f, ...))
      if results[1] then return unpack(results, 1, results.n) end
      check()
      local _, handled = pcall(handler, results[2])
      check()
      return false, handled
    end

    function shared.print(...)
      local parts = pack(...)
      for i = 1, parts.n do parts[i] = tostring(parts[i]) end
      write(concat(parts, "\t", 1, parts.n))
    end

    function shared.collectgarbage(option, ...)
      if option == "count" then return collectgarbage("count") end
      forbid('collectgarbage("' .. tostring(option or "collect") .. '")')
    end

    function shared.rawset(t, key, value)
      if protected[t] then forbid(protected[t], "readonly") end
      local names = envs[t]
      if names and names[key] then forbid(tostring(key), "readonly") end
      return rawset(t, key, value)
    end

    function shared.setmetatable(t, metatable)
      if protected[t] then forbid(protected[t], "readonly") end
      if envs[t] then forbid("the global environment", "readonly") end
      if type(metatable) == "table" and rawget(metatable, "__gc") ~= nil then forbid("__gc metamethods") end
      return setmetatable(t, metatable)
    end

    return function(extra)
      local env, loaded = {}, {}
      local builtins = copy(shared)
      for name, value in pairs(extra or {}) do
        if type(value) == "table" then value = readonly(name, value) end
        builtins[name] = value
      end
      builtins._G = env
      builtins.load = function(chunk, name, mode, _)
        if mode ~= nil and mode ~= "t" then forbid("binary chunks") end
        if type(chunk) == "string" and chunk:byte(1) == 27 then forbid("binary chunks") end
        return load(chunk, name, "t", env)
      end
      builtins.require = function(name)
        if type(name) ~= "string" then
          error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
        end
        local cached = loaded[name]
        if cached ~= nil then return cached end
        local source, path = find_module(name)
        local chunk, message = load(source, "@" .. path, "t", env)
        if not chunk then error(message, 0) end
        local result = chunk(name, path)
        if result == nil then result = true end
        loaded[name] = result
        return result
      end
      local names = {}
      for name in pairs(builtins) do names[name] = true end
      for name in pairs(withheld) do names[name] = true end
      setmetatable(builtins, { __index = function(_, key)
        if withheld[key] then forbid(key) end
      end })
      setmetatable(env, {
        __index = builtins,
        __newindex = function(t, key, value)
          if names[key] then forbid(tostring(key), "readonly") end
          rawset(t, key, value)
        end,
        __metatable = false,
      })
      envs[env] = names
      return env
    end
    """#
}
