parts = {} for i = 1, 1e8 do parts[i] = ("x"):rep(64) .. i end print(#table.concat(parts))
