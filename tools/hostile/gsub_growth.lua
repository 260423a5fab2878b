r = ("x"):rep(1 << 16):gsub("x", ("y"):rep(1601))
