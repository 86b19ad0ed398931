-- SPDX-License-Identifier: MIT
-- work.lua SIZE — work for progress_test.sh: "long" is a sweep of a few seconds, "short" one of a few
-- milliseconds; "off" is the long one after gd.progress(false).
local gd = require "gdlab"
local size = arg[1] or "long"
if size == "off" then assert(gd.progress(false) == true, "progress is on by default") end
local lrs = {}
for i = 1, size == "short" and 4 or 600 do lrs[i] = 3e-7 * i end -- all stable: a few ms a run (nadam has no batched step, so the time does not hang on sweep_batch.c)
local r = gd.sweep{surface = gd.surface("rosenbrock"), optimizer = gd.optimizer("nadam"), over = {lr = lrs},
                   start = {-1.5, 2}, steps = 20000, bound = math.huge, blowup = math.huge, threads = 1}
print("runs", r.runs)
