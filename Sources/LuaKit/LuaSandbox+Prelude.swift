import CLuaShim

extension LuaSandbox {
    /// The chunk name of the prelude; frames from it are skipped when locating errors.
    public static let preludeChunk = SINERGI_PRELUDE_CHUNK

    /// The sandbox prelude, run once per state with the real globals and the host functions.
    ///
    /// It returns `new_env(extra)`, which builds a fresh allow-listed environment per run. Reads
    /// of built-ins go straight to tables (no Lua function on the hot path); only writes, misses
    /// and withheld names reach Lua code. Functions that would run unbounded in C are replaced
    /// by budgeted versions: CLuaShim's `table.insert/remove/move/sort` (checking the budget as they
    /// loop) and `string.rep` (after a size check), the pattern functions on LuaKit's step-counting
    /// matcher, `xpcall` and `coroutine.wrap/close` so that handlers run with hooks on and a
    /// killed run cannot be resumed into close handlers. Where a replacement wraps a stock C
    /// function it is C too and calls stock's in its own frame, so errors name the function the
    /// script called and point at the script's line, as stock Lua's do.
    static let prelude = #"""
    local host = ...
    local forbid, check, write, find_module, syntax_error =
      host.forbid, host.check, host.write, host.find_module, host.syntax_error
    local tostring, run_serial = host.tostring, host.run_serial
    local type, pairs, next, select, rawget, rawset, error, pcall, load =
      type, pairs, next, select, rawget, rawset, error, pcall, load
    local setmetatable, getmetatable, collectgarbage = setmetatable, getmetatable, collectgarbage
    local pack, unpack, concat = table.pack, table.unpack, table.concat

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

    -- rep (a size check against the cap first) and format (no addresses through %p or %s) are
    -- CLuaShim's: C functions that end in stock's own in the same frame, so errors read as stock's.
    local string_lib = copy(string, { dump = true })
    string_lib.rep, string_lib.format = host.rep, host.format
    -- The pattern functions run on the budgeted matcher: a catastrophic pattern stops at the
    -- deadline (and on Ctrl-C) like any other code, instead of running on in C.
    string_lib.find, string_lib.match, string_lib.gmatch, string_lib.gsub = host.find, host.match, host.gmatch, host.gsub
    withhold(string_lib, "string.", { "dump" })
    local string_metatable = getmetatable("")
    string_metatable.__index = string_lib
    string_metatable.__metatable = false

    -- insert, remove and move loop in C, where no hook fires, over a length a __len that lies
    -- (math.maxinteger) would make endless: CLuaShim's versions check the budget as they go. Its
    -- sort, given no comparator, compares through one that checks it (strings compare in C).
    local table_lib = copy(table)
    table_lib.insert, table_lib.remove, table_lib.move, table_lib.sort = host.insert, host.remove, host.move, host.sort

    -- time and date are CLuaShim's gated stock functions: a workflow definition's top level
    -- may not read the clock.
    local os_lib = withhold({ time = host.os_time, date = host.os_date, clock = os.clock, difftime = os.difftime }, "os.",
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
      if type(handler) ~= "function" then
        local got = handler == nil and select("#", ...) == 0 and "no value" or type(handler)
        error("bad argument #2 to 'xpcall' (function expected, got " .. got .. ")", 2)
      end
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

    -- Stock's argument errors, raised here (level 2: the script's line) before stock's function
    -- is called: from this wrapper's frame, stock would name the prelude's line.
    local function argument_error(position, name, expected, ...)
      local got = select("#", ...) < position and "no value" or type((select(position, ...)))
      error("bad argument #" .. position .. " to '" .. name .. "' (" .. expected .. " expected, got " .. got .. ")", 3)
    end
    local gc_options = { collect = true, stop = true, restart = true, count = true, step = true, setpause = true,
                         setstepmul = true, isrunning = true, generational = true, incremental = true }

    function shared.collectgarbage(option, ...)
      if option == "count" then return collectgarbage("count") end
      if option ~= nil and not gc_options[option] then
        error("bad argument #1 to 'collectgarbage' (invalid option '" .. tostring(option) .. "')", 2)
      end
      forbid('collectgarbage("' .. tostring(option or "collect") .. '")')
    end

    function shared.rawset(...)
      local t, key, value = ...
      if type(t) ~= "table" then argument_error(1, "rawset", "table", ...) end
      if select("#", ...) < 3 then error("bad argument #" .. (select("#", ...) + 1) .. " to 'rawset' (value expected)", 2) end
      if protected[t] then forbid(protected[t], "readonly") end
      local names = envs[t]
      if names and names[key] then forbid(tostring(key), "readonly") end
      return rawset(t, key, value)
    end

    function shared.setmetatable(...)
      local t, metatable = ...
      if type(t) ~= "table" then argument_error(1, "setmetatable", "table", ...) end
      if metatable ~= nil and type(metatable) ~= "table" then argument_error(2, "setmetatable", "nil or table", ...) end
      if select("#", ...) < 2 then argument_error(2, "setmetatable", "nil or table", ...) end
      if protected[t] then forbid(protected[t], "readonly") end
      if envs[t] then forbid("the global environment", "readonly") end
      if type(metatable) == "table" and rawget(metatable, "__gc") ~= nil then forbid("__gc metamethods") end
      local ok, result = pcall(setmetatable, t, metatable)
      if ok then return result end
      -- "cannot change a protected metatable", located at the script's line instead of this one
      local at = "\#(preludeChunk):"
      if type(result) == "string" and result:sub(1, #at) == at then result = result:sub((result:find(": ", #at, true) or -1) + 2) end
      error(result, 2)
    end

    -- The real library tables (never reachable by scripts) hold the sandbox's C versions too, so
    -- an argument error names them as stock Lua does ("bad argument #2 to 'table.insert'").
    table.insert, table.remove, table.move, table.sort = host.insert, host.remove, host.move, host.sort
    string.rep, string.format = host.rep, host.format
    os.time, os.date = host.os_time, host.os_date
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
        if type(name) == "number" then name = tostring(name) end  -- as stock's luaL_checkstring
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
