-- SPDX-License-Identifier: MIT
-- save_runs.lua DIR — writes runs and sweeps with gd.save into DIR for check_saved.py, which reads them
-- with Python's csv and json and with pandas; here: the Lua side (errors, round trips through gd.load_result).
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local dir = assert(arg[1], "usage: gdlab save_runs.lua DIR")


-- GD on a·x² + b·y² from (1, 1): x_k = (1 − 2a·lr)^k, y_k = (1 − 2b·lr)^k (check_saved.py checks this)
local bowl = gd.surface("quadratic", {a = 1, b = 10})
local run = gd.run{surface = bowl, optimizer = gd.optimizer("gd", {lr = 0.01}), start = {1, 1}, steps = 40,
                   schedule = {"step", step_size = 10, gamma = 0.5}, label = "gd on a bowl"}
assert(gd.save(run, dir .. "/bowl.csv") == dir .. "/bowl.csv")
gd.save(run, dir .. "/bowl.json")

-- non-finite values: loss +inf (quadratic blown up), loss -inf (saddle), lr[1] NaN in both
local blown = gd.run{surface = bowl, optimizer = gd.optimizer("gd", {lr = 1}), start = {1, 1}, steps = 1000,
                     bound = math.huge, blowup = math.huge}
assert(blown.status == "diverged" and blown.loss[#blown.loss] == math.huge)
gd.save(blown, dir .. "/blown.csv")
gd.save(blown, dir .. "/blown.json")
local saddle = gd.run{surface = gd.surface("saddle"), optimizer = gd.optimizer("gd", {lr = 2}), start = {1, 1},
                      steps = 2000, bound = math.huge, blowup = math.huge}
assert(saddle.loss[#saddle.loss] == -math.huge, "the saddle run should end at loss -inf")
gd.save(saddle, dir .. "/saddle.csv")

-- a sweep over two axes: rows in run order, the last axis fastest
local sweep = gd.sweep{surface = bowl, optimizer = gd.optimizer("momentum"), start = {1, 1}, steps = 200, tol = 1e-8,
                       over = {{"lr", {0.001, 0.01, 0.2}}, {"beta", {0, 0.5, 0.9}}}}
gd.save(sweep, dir .. "/sweep.csv")
gd.save(sweep, dir .. "/sweep.json")

-- 3-D runs keep every coordinate
local sphere = gd.surface{expr = "x^2 + 2*y^2 + 3*z^2", vars = {"x", "y", "z"}}
local r3 = gd.run{surface = sphere, optimizer = gd.optimizer("gd", {lr = 0.1}), start = {1, 1, 1}, steps = 5}
gd.save(r3, dir .. "/sphere.csv")

-- round trips: what gd.load_result reads back is what was saved
for _, name in ipairs{"bowl.json", "bowl.csv"} do
  local back = gd.load_result(dir .. "/" .. name)
  assert(#back.x == #run.x and back.dim == 2)
  for k = 1, #run.x do
    assert(back.x[k] == run.x[k] and back.y[k] == run.y[k] and back.loss[k] == run.loss[k], name .. " row " .. k)
    assert(back.points[k][2] == run.y[k])
  end
  assert(back.lr[1] ~= back.lr[1] and back.lr[12] == 0.005, name .. ": lr")
end
local back = gd.load_result(dir .. "/bowl.json")
assert(back.status == run.status and back.label == "gd on a bowl" and back.surface == "quadratic")
assert(back.setup.schedule.kind == "step" and back.setup.optimizer.params.lr == 0.01)
gd.save(back, dir .. "/bowl_again.json") -- check_saved.py: identical to bowl.json
local sback = gd.load_result(dir .. "/sweep.json")
for i = 1, 3 do
  for j = 1, 3 do
    assert(sback.status[i][j] == sweep.status[i][j] and sback.final_loss[i][j] == sweep.final_loss[i][j])
  end
end
assert(gd.load_result(dir .. "/blown.json").loss[#blown.loss] ~= gd.load_result(dir .. "/blown.json").loss[#blown.loss],
       "JSON null (a non-finite loss) reads back as NaN")
assert(gd.load_result(dir .. "/blown.csv").loss[#blown.loss] == math.huge, "CSV keeps inf")

-- bad input: clear errors naming the culprit, nothing left behind
check.fails(function() gd.save(run, dir .. "/run.xlsx") end, "unknown format '.xlsx'; available: csv, json")
check.fails(function() gd.save(run, dir .. "/run") end, "unknown format '(no extension)'")
check.fails(function() gd.save(run, dir .. "/no/such/dir/run.csv") end,
            "cannot write run '" .. dir .. "/no/such/dir/run.csv': its folder '" .. dir .. "/no/such/dir' does not exist")
check.fails(function() gd.save({x = {1, 2}, y = {3, 4}}, dir .. "/hand.csv") end, "the run has no 'status'")
check.fails(function() gd.save({x = {1, 2}, y = {3, 4}, loss = {1}, status = "converged"}, dir .. "/hand.csv") end,
            "'loss' has 1 values, the run has 2 points")
check.fails(function() gd.save({x = {1}, y = {2}, status = "fine"}, dir .. "/hand.csv") end, "unknown status 'fine'")
check.fails(function() gd.save(42, dir .. "/x.csv") end, "(a run or a sweep expected")
check.fails(function() gd.load_result(dir .. "/missing.json") end, "cannot read '" .. dir .. "/missing.json'")
check.fails(function() gd.load_result(dir .. "/x.txt") end,
            "unknown format; available: json (runs and sweeps), csv (runs)")
local f = assert(io.open(dir .. "/broken.json", "w"))
f:write('{"format": "gdlab-run",\n "dim": 2,\n "columns": {"x1": [1, 2,]}}')
f:close()
check.fails(function() gd.load_result(dir .. "/broken.json") end,
            "gd.load_result: '" .. dir .. "/broken.json' line 3: expected a value")
f = assert(io.open(dir .. "/other.json", "w"))
f:write('{"format": "something"}')
f:close()
check.fails(function() gd.load_result(dir .. "/other.json") end, "is not a gdlab result: its \"format\" is something")
f = assert(io.open(dir .. "/short.json", "w"))
f:write('{"format": "gdlab-run", "dim": 1, "columns": {"x1": [1, 2, 3], "loss": [1, 2]}}')
f:close()
check.fails(function() gd.load_result(dir .. "/short.json") end, "column 'loss' is not a list of 3 numbers, as x1 is")
local bad_sweep = gd.load_result(dir .. "/sweep.json")
bad_sweep.final_loss[2][3] = "lots"
check.fails(function() gd.save(bad_sweep, dir .. "/bad.csv") end,
            "the sweep's value for run 6 is a string, not a number")
os.remove(dir .. "/short.json")
os.remove(dir .. "/broken.json")
os.remove(dir .. "/other.json")
-- every truncation of a saved file is an error for JSON (never a crash), and for CSV an error or fewer rows
for _, name in ipairs{"bowl.json", "sweep.json", "bowl.csv"} do
  local whole = assert(io.open(dir .. "/" .. name, "rb")):read("a")
  local cut = dir .. "/cut_" .. name
  for n = 0, #whole - 2, 13 do -- (the last byte is a newline: without it the file is whole)
    local out = assert(io.open(cut, "wb"))
    out:write(whole:sub(1, n))
    out:close()
    local ok, got = pcall(gd.load_result, cut)
    if name:find("json") then
      assert(not ok and got:find("cut_" .. name, 1, true), name .. " cut at " .. n .. ": " .. tostring(got))
    else
      assert(not ok or #got.x < #run.x, name .. " cut at " .. n)
    end
  end
  os.remove(cut)
end
print("save_runs.lua: ok")
