d = today() + math.maxinteger
