s = ("a"):rep(40000) print(s:find(".-.-.-.-.-b"))
