-- SPDX-License-Identifier: MIT
-- device_work.lua DEVICE FILE: one small figure on DEVICE into FILE, the first thing the script does
-- (so that the device's driver is loaded here, not by an earlier figure), for memory_ladder.sh.
local gd = require "gdlab"
local device, file = assert(arg[1], "usage: device_work.lua DEVICE FILE"), assert(arg[2], "usage: device_work.lua DEVICE FILE")
local fig = gd.figure{device = device, file = file, size = {320, 240}, title = "memory ladder: " .. device}
fig:contour{surface = gd.surface("rosenbrock")}
fig:close()
print("done")
