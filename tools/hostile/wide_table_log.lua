s = ("x"):rep(1 << 20) wide = {} for i = 1, 400000 do wide[i] = s end
log.info(#wide, wide[1]:sub(1, 3))
big = {} for i = 1, 200000 do big[i] = i end
log.info(big)
