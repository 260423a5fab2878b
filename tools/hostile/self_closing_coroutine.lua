for round = 1, 500 do co = coroutine.create(function() pcall(coroutine.close, co) coroutine.yield() end) coroutine.resume(co) end
fill = {} for i = 1, 50000 do fill[i] = ("%p"):rep(4) .. i end
while true do end
