import CLuaShim

extension LuaSandbox {
    /// The chunk name of the prelude; frames from it are skipped when locating errors.
    public static let preludeChunk = SINERGI_PRELUDE_CHUNK

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
    local forbid, check, rep_size, write, find_module, syntax_error =
      host.forbid, host.check, host.rep_size, host.write, host.find_module, host.syntax_error
    local tostring, opaque, run_serial = host.tostring, host.opaque, host.run_serial
    local type, pairs, next, select, rawget, rawset, error, pcall, load =
      type, pairs, next, select, rawget, rawset, error, pcall, load
    local setmetatable, getmetatable, collectgarbage, tointeger = setmetatable, getmetatable, collectgarbage, math.tointeger
    local pack, unpack, concat = table.pack, table.unpack, table.concat
    local rep, c_format, c_find, sub = string.rep, string.format, string.find, string.sub
    local c_sort = table.sort

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
    -- Nothing a script can call returns `source` itself: `pairs` iterates through a closure.
    local function readonly(name, source)
      local function iterate(_, key) return next(source, key) end
      local proxy
      proxy = setmetatable({}, {
        __index = source,
        __newindex = function() forbid(name, "readonly") end,
        __pairs = function() return iterate, proxy, nil end,
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
    -- Addresses never reach scripts: `%p`, and `%s` of a value without `__tostring`, print the
    -- same opaque number as `tostring`.
    local references = { table = true, ["function"] = true, thread = true, userdata = true }
    local function format_opaque(fmt, n, ...)
      if type(fmt) ~= "string" then return c_format(fmt, ...) end
      local args, index, position = pack(...), 0, 1
      while true do
        local s, e, flags, conversion = c_find(fmt, "%%([-+ #0]*%d*%.?%d*)(.?)", position)
        if not s then break end
        if conversion == "%" and flags == "" then
          position = e + 1
        else
          index = index + 1
          local value = args[index]
          if conversion == "p" and c_find(flags, "^%-?%d*$") then
            args[index] = opaque(value)
            fmt = sub(fmt, 1, e - 1) .. "s" .. sub(fmt, e + 1)
          elseif conversion == "s" and references[type(value)] then
            args[index] = tostring(value)
          end
          position = e + 1
        end
      end
      return c_format(fmt, unpack(args, 1, n))
    end
    function string_lib.format(fmt, ...)
      local n = select("#", ...)
      if type(fmt) == "string" and c_find(fmt, "p", 1, true) then return format_opaque(fmt, n, ...) end
      for i = 1, n do
        if references[type((select(i, ...)))] then return format_opaque(fmt, n, ...) end
      end
      return c_format(fmt, ...)
    end
    withhold(string_lib, "string.", { "dump" })
    local string_metatable = getmetatable("")
    string_metatable.__index = string_lib
    string_metatable.__metatable = false

    local table_lib = copy(table, { move = true, sort = true, insert = true, remove = true })

    -- insert and remove shift elements up to #t in C, where no hook fires; a __len that lies
    -- (math.maxinteger) would make that endless. CLuaShim's versions check the budget as they go.
    table_lib.insert, table_lib.remove = host.insert, host.remove

    function table_lib.move(a1, f, e, t, a2)
      if a2 == nil then a2 = a1 end
      if type(a1) ~= "table" then error("bad argument #1 to 'move' (table expected, got " .. type(a1) .. ")", 2) end
      f, e, t = tointeger(f), tointeger(e), tointeger(t)
      if not (f and e and t) then error("bad argument to 'move' (integer expected)", 2) end
      if type(a2) ~= "table" then error("bad argument #5 to 'move' (table expected, got " .. type(a2) .. ")", 2) end
      if e >= f then
        if not (f > 0 or e < math.maxinteger + f) then error("bad argument #3 to 'move' (too many elements to move)", 2) end
        if t > math.maxinteger - (e - f + 1) + 1 then error("bad argument #4 to 'move' (destination wrap around)", 2) end
        if t > e or t <= f or a1 ~= a2 then
          for i = 0, e - f do a2[t + i] = a1[f + i] end
        else
          for i = e - f, 0, -1 do a2[t + i] = a1[f + i] end
        end
      end
      return a2
    end

    -- Strings compare in C (strcoll), where no hook fires: sorting many long strings could run
    -- for minutes past the deadline. With a Lua comparator each comparison is a call the hook
    -- sees; other sorts stay entirely in C.
    local function less(a, b) return a < b end
    function table_lib.sort(list, comparator)
      if comparator == nil and type(list) == "table" and type(rawget(list, 1)) == "string" then comparator = less end
      return c_sort(list, comparator)
    end

    local os_lib = withhold({ time = os.time, date = os.date, clock = os.clock, difftime = os.difftime }, "os.",
      { "execute", "exit", "getenv", "remove", "rename", "tmpname", "setlocale" })

    -- resume, wrap and close run in C (CLuaShim): the deadline is checked on every resume, and a
    -- coroutine is on the running list exactly while it runs, so a stop reaches it.
    local coroutine_lib = copy(coroutine)
    coroutine_lib.resume, coroutine_lib.wrap, coroutine_lib.close = host.resume, host.wrap, host.close

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

    -- The real library tables (never reachable by scripts) hold the sandbox's C versions too, so
    -- an argument error names them as stock Lua does ("bad argument #2 to 'table.insert'").
    table.insert, table.remove = host.insert, host.remove
    coroutine.resume, coroutine.wrap, coroutine.close = host.resume, host.wrap, host.close

    return function(extra)
      local env = {}
      local builtins = copy(shared)
      -- `require` of a standard library answers it, as package.loaded does in stock Lua.
      local loaded = { _G = env, string = shared.string, table = shared.table, math = shared.math,
                       utf8 = shared.utf8, coroutine = shared.coroutine, os = shared.os }
      -- The modules whose top level is running, outermost first, in run `chain.run`.
      local loading, chain = {}, {}
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
        if withheld[name] then forbid(name) end
        -- A module that requires itself, directly or through others, recursed until the stack
        -- or the memory cap gave out, reading and compiling its file again at every level (stock
        -- Lua's C require stops at its C-stack limit at once): a cycle is named instead. Marks
        -- left by an earlier run are dropped: one that was killed could not clear its own.
        local run = run_serial()
        if chain.run ~= run then loading, chain = {}, { run = run } end
        if loading[name] then
          local first, cycle = #chain, {}
          while first > 1 and chain[first] ~= name do first = first - 1 end
          for i = first, #chain do cycle[#cycle + 1] = chain[i] end
          error("module '" .. name .. "' is required while it is still loading (a cycle of require: "
                .. concat(cycle, " -> ") .. " -> " .. name .. ")", 0)
        end
        local source, path = find_module(name)
        local chunk, message = load(source, "@" .. path, "t", env)
        if not chunk then syntax_error(message, path) end
        loading[name] = true
        chain[#chain + 1] = name
        local _ <close> = setmetatable({}, { __close = function()
          loading[name] = nil
          chain[#chain] = nil
        end })
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
      -- pairs(_G) lists the built-ins too, as in stock Lua (they live behind __index here).
      local function globals(t)
        local key, in_builtins = nil, true
        return function()
          local value
          if in_builtins then
            key, value = next(builtins, key)
            if key ~= nil then return key, value end
            in_builtins = false
          end
          key, value = next(t, key)
          return key, value
        end, t, nil
      end
      setmetatable(env, {
        __index = builtins,
        __newindex = function(t, key, value)
          if names[key] then forbid(tostring(key), "readonly") end
          rawset(t, key, value)
        end,
        __pairs = globals,
        __metatable = false,
      })
      envs[env] = names
      return env
    end
    """#
}
