function nest(d) if d == 0 then while true do end end local co = coroutine.wrap(nest) co(d - 1) end
nest(150)
