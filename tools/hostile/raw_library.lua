f, raw = pairs(string) raw.upper = function() return "pwned" end
