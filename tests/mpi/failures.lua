-- SPDX-License-Identifier: MIT
-- What tests/mpi/run_failures.sh does to a distributed sweep:
--   gdlab tests/mpi/failures.lua OUT MODE
-- long:    every rank writes its process id to OUT/pid-rankN, then one long sweep (the shell script
--          kills or stops a rank in the middle of it)
-- differ:  rank 1 sweeps other values than the rest
-- raise:   rank 1 fails before the sweep the others wait in
-- print:   every rank prints one line (only rank 0's reaches standard output)
local gd = require "gdlab"
local out, mode = assert(arg[1]), assert(arg[2])

local bowl = gd.surface{f = function(x, y) return x * x + 3 * y * y end, domain = {{-3, 3}, {-3, 3}}}
local lrs = {}
for i = 1, 400 do lrs[i] = 1e-6 * i end

if mode == "long" then
    local pid = assert(io.open("/proc/self/stat")):read("n")
    local f = assert(io.open(string.format("%s/pid-rank%d", out, gd.rank), "w"))
    f:write(pid, "\n")
    f:close()
    gd.sweep{surface = bowl, optimizer = gd.optimizer("gd"), over = {lr = lrs}, start = {2, 1}, steps = 50000}
    print("the long sweep ended") -- never: a rank is killed first
elseif mode == "differ" then
    if gd.rank == 1 then lrs[400] = 0.5 end
    gd.sweep{surface = bowl, optimizer = gd.optimizer("gd"), over = {lr = lrs}, steps = 10}
elseif mode == "raise" then
    if gd.rank == 1 then error("rank 1 gives up before its sweep") end
    gd.sweep{surface = bowl, optimizer = gd.optimizer("gd"), over = {lr = lrs}, steps = 10}
elseif mode == "print" then
    print("printed by rank " .. gd.rank .. " of " .. gd.ranks)
else
    error("unknown mode " .. mode)
end
