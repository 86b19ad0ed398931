-- SPDX-License-Identifier: MIT
-- Sweeps whose every number tests/mpi/run_sweeps.sh compares, bit for bit, between a plain gdlab run
-- and mpirun with 1 to 4 ranks. Every rank writes what its gd.sweep returned to OUT/digest-rankN.txt
-- (numbers in %a: exact), so the comparison also shows that every rank got the whole result; rank 0
-- also streams one sweep to OUT/grid.gdsweep and reads that file back against the one in memory.
--   gdlab tests/mpi/sweeps.lua OUT
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local out = assert(arg[1], "usage: sweeps.lua OUT")

local lines = {}
local function flatten(name, t, prefix)
    for i, v in ipairs(t) do
        local key = prefix .. "." .. i
        if type(v) == "table" then
            flatten(name, v, key)
        else
            lines[#lines + 1] = string.format("%s%s %s", name, key,
                                              math.type(v) == "float" and string.format("%a", v) or tostring(v))
        end
    end
end

local seen = {}
local function record(name, r, expect_runs)
    assert(r.runs == expect_runs, name .. ": " .. r.runs .. " runs, expected " .. expect_runs)
    for _, field in ipairs{"status", "stop_step", "final_loss", "min_loss", "evals"} do
        flatten(name .. "." .. field, r[field], "")
    end
    local function count(t)
        for _, v in ipairs(t) do
            if type(v) == "table" then count(v) else seen[v] = (seen[v] or 0) + 1 end
        end
    end
    count(r.status)
end

local function range(n, lo, hi)
    local t = {}
    for i = 1, n do t[i] = lo + (hi - lo) * (i - 1) / (n - 1) end
    return t
end

-- batched (momentum): converges, runs out of steps and diverges (lr·20 > 2(1 + β))
local ravine = gd.surface("quadratic", {a = 1, b = 10})
local grid = {surface = ravine, optimizer = gd.optimizer("momentum"),
              over = {{"lr", range(37, 0.001, 0.2)}, {"beta", {0, 0.3, 0.6, 0.9}}},
              start = {-4, 1.5}, steps = 400, tol = 1e-8}
record("momentum", gd.sweep(grid), 148)
-- the same sweep streamed to a file on rank 0
grid.to = out .. "/grid.gdsweep"
local streamed = gd.sweep(grid)
assert(streamed.file == grid.to and streamed.runs == 148 and streamed.final_loss == nil)
-- and as the sweep CSV of docs/data.md, which must be byte for byte what gd.save writes of the sweep
-- held in memory (rank 0 alone writes either)
grid.to = out .. "/grid.csv"
assert(gd.sweep(grid).file == grid.to)
grid.to = nil
gd.save(gd.sweep(grid), out .. "/saved.csv")
-- formats that cannot stream, and a folder that does not exist, are errors on every rank
for _, case in ipairs{{"/grid.json", "JSON is written whole, not streamed; stream to .csv or .gdsweep"},
                      {"/grid.txt", "unknown format '.txt'; available: csv (docs/data.md), gdsweep"},
                      {"/missing/grid.csv", "missing/grid.csv"}} do
    grid.to = out .. case[1]
    check.fails(function() gd.sweep(grid) end, case[2])
end
grid.to = nil

-- three axes, batched (adam) on Rosenbrock
record("adam", gd.sweep{surface = gd.surface("rosenbrock"), optimizer = gd.optimizer("adam"),
                        over = {{"lr", range(9, 0.002, 0.5)}, {"beta1", {0.5, 0.9, 0.99}},
                                {"beta2", {0.9, 0.999}}}, steps = 300, tol = 1e-6}, 54)
-- one gdlab_run per run (rmsprop has no batched step)
record("rmsprop", gd.sweep{surface = gd.surface("himmelblau"), optimizer = gd.optimizer("rmsprop"),
                           over = {lr = range(25, 0.001, 3)}, steps = 250, tol = 1e-7}, 25)
-- a Lua-function surface (serial: one thread on each rank)
local bowl = gd.surface{f = function(x, y) return x * x + 3 * y * y end, domain = {{-3, 3}, {-3, 3}}}
record("lua_surface", gd.sweep{surface = bowl, optimizer = gd.optimizer("gd"),
                               over = {lr = range(12, 0.01, 0.4)}, start = {2, 1}, steps = 200, tol = 1e-9}, 12)
-- long enough (60 runs of 5,000 Lua calls) that, in parts of 3 runs, every rank gets some
record("balance", gd.sweep{surface = bowl, optimizer = gd.optimizer("gd"),
                           over = {lr = range(60, 1e-5, 1e-4)}, start = {2, 1}, steps = 5000}, 60)
-- stochastic mini-batches, drawn by seed
record("sgd", gd.sweep{surface = gd.surface("linreg"), optimizer = gd.optimizer("sgd"),
                       over = {{"lr", range(10, 0.005, 0.3)}, {"momentum", {0, 0.9}}}, steps = 150,
                       seed = 7}, 20)
assert(seen.converged and seen.diverged and seen.max_steps,
       "the sweeps must include runs that converge, diverge and run out of steps")

local f = assert(io.open(string.format("%s/digest-rank%d.txt", out, gd.rank), "w"))
f:write(table.concat(lines, "\n"), "\n")
f:close()

-- The sweep file read back (docs/mpi.md, "The sweep file") against the sweep in memory. Every rank
-- makes every sweep (docs/mpi.md), this one too; only rank 0 reads the file, which it alone wrote.
local r = gd.sweep(grid)
if gd.rank == 0 then
    local data = check.read(out .. "/grid.gdsweep")
    local magic, order, columns, n, n_axes, pos = string.unpack("<c8I4I4I8I4", data)
    assert(magic == "GDSWEEP1" and order == 0x01020304 and n == 148 and n_axes == 2, "header")
    local name
    name, pos = string.unpack("<s4", data, pos)
    assert(name == "momentum", name)
    for k = 1, n_axes do
        local axis, count
        axis, count, pos = string.unpack("<s4I8", data, pos)
        assert(axis == grid.over[k][1] and count == #grid.over[k][2], axis)
        for i = 1, count do
            local v
            v, pos = string.unpack("<d", data, pos)
            assert(v == grid.over[k][2][i])
        end
    end
    assert(columns % 8 == 0 and columns >= pos - 1 and #data == columns + n * 33, "layout")
    local names = {converged = 0, diverged = 1, max_steps = 2, failed = 3}
    for run = 0, n - 1 do
        local i, j = run // 4 + 1, run % 4 + 1
        local at = columns + 1 + 8 * run
        local step = string.unpack("<I8", data, at)
        local final = string.unpack("<d", data, at + 8 * n)
        local lowest = string.unpack("<d", data, at + 16 * n)
        local evals = string.unpack("<I8", data, at + 24 * n)
        local status = string.unpack("<B", data, columns + 1 + 32 * n + run)
        assert(step == r.stop_step[i][j] and evals == r.evals[i][j] and status == names[r.status[i][j]],
               "run " .. run)
        assert(string.pack("<d", final) == string.pack("<d", r.final_loss[i][j]) and
               string.pack("<d", lowest) == string.pack("<d", r.min_loss[i][j]), "run " .. run)
    end
    print("sweeps.lua: " .. #lines .. " numbers; the sweep file matches")
end
