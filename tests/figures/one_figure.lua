-- SPDX-License-Identifier: MIT
-- One small figure on whatever device the gdlab command was given (-dev), for cli_devices.sh.
local gd = require "gdlab"
local f = gd.surface("quadratic")
local r = gd.run{surface = f, optimizer = gd.optimizer("gd", {lr = 0.05}), steps = 50}
local fig = gd.figure{name = "one_figure", size = {600, 400}}
fig:contour{surface = f, runs = {r}}
print(fig:close())
