r = ("x"):rep(1 << 20):gsub("x", ("y"):rep(97))
