a = agreements.find{}[1] a:attach{ kind = "kak", file = "/etc/shadow" }
