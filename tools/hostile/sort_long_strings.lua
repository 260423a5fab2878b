s = ("x"):rep(8 << 20) t = {} for i = 1, 20000 do t[i] = s end
table.sort(t)
