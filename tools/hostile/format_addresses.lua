print(string.format("%p %s", {}, print), tostring(coroutine.running()))
