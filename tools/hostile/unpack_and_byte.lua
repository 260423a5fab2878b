print(pcall(table.unpack, {}, 1, 1e8)) s = ("x"):rep(20 << 20) print(pcall(string.byte, s, 1, -1))
t = {} for i = 1, 1e6 do t[i] = 65 end print(pcall(utf8.char, table.unpack(t)))
