s = ("x"):rep(20 << 20) its = {} for i = 1, 60 do its[i] = s:gmatch("x") end print(its[60]())
