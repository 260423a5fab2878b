-- A script that never ends: the sandbox stops it at its time budget (error[timeout], exit 4).
local n = 0
while true do n = n + 1 end
