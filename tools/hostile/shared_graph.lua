g = {} for i = 1, 60 do g = { g, g } end
log.info(g)
