co = coroutine.create(function() local x <close> = setmetatable({}, { __close = function() while true do end end }) coroutine.yield() end)
coroutine.resume(co) t0 = os.clock() while os.clock() - t0 < 5 do end
coroutine.close(co)
