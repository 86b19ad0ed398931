-- SPDX-License-Identifier: MIT
-- lua_hold_first.lua — a call holds the object it uses (a surface, an optimizer, a figure) before it
-- reads anything from it (core/lua/lhold.c; docs/reliability.md, "Scripts cannot crash gdlab"). Any
-- allocation may run a step of the collector, and with it a pending __gc metamethod that closes that
-- very object. Here such a finalizer closes the object at the k-th collection after the call starts,
-- for every k the call reaches: the call either does its work (the object held, the close refused)
-- or says the object is closed (it was, before the call held it). Each case read a freed surface,
-- optimizer or figure before (a crash, or an AddressSanitizer report).
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local dir = check.folder()

-- A finalizer pending at the end of every collection cycle (each run makes its successor); while a
-- target is set, its `countdown`-th run closes it (a refused close raises: pcall).
local target, countdown, runs, armed = nil, 0, 0, true
local closer = {}
closer.__gc = function()
  if not armed then return end
  runs = runs + 1
  if target then
    countdown = countdown - 1
    if countdown == 0 then pcall(getmetatable(target).__close, target) end
  end
  setmetatable({}, closer)
end
setmetatable({}, closer)
-- A whole cycle at every allocation: no pause between cycles, and a step as big as the heap.
collectgarbage("incremental", 1, 1000, 30)
while runs == 0 do local _ = {} end -- the first cycle ends: the closer runs from now on

-- For k = 1, 2, ...: obj, extra = make(); call(obj, extra) with the k-th collection from its start
-- closing obj, until a call ends before its k-th collection. want(result, extra) checks a call that
-- succeeded. Returns how many collections the call saw (the allocations it makes). Only the cases
-- whose name contains the script's argument run, when one is given (a replay).
local only = arg[1]
local function close_during(what, make, call, want)
  if only and not what:find(only, 1, true) then return end
  for k = 1, 2000 do
    local obj, extra = make()
    target, countdown = obj, k
    local ok, result = pcall(call, obj, extra)
    local reached = countdown <= 0
    target = nil
    if ok then
      want(result, extra)
    elseif not tostring(result):find("closed", 1, true) then
      error(("%s, closed at collection %d: %s"):format(what, k, tostring(result)), 2)
    end
    if not reached then
      assert(k > 2, what .. ": the call saw fewer than 2 collections; the test tests nothing")
      return k - 1
    end
  end
  error(what .. ": the call never ended")
end

local function equal(want, what)
  return function(got) check.equal(got, want, what) end
end

-- Surface methods: s:value, s:gradient, s:hessian, s:domain, s:start, s:landmarks.
local quadratic = gd.surface("quadratic")
local value = quadratic:value(0.5, -0.25)
close_during("s:value", function() return gd.surface("quadratic") end,
             function(s) return s:value(0.5, -0.25) end, equal(value, "s:value"))
local gradient = quadratic:gradient(0.5, -0.25)
close_during("s:gradient", function() return gd.surface("quadratic") end,
             function(s) return s:gradient(0.5, -0.25)[2] end, equal(gradient[2], "s:gradient"))
local hessian = quadratic:hessian(0.5, -0.25)
close_during("s:hessian", function() return gd.surface("quadratic") end,
             function(s) return s:hessian(0.5, -0.25)[4] end, equal(hessian[4], "s:hessian"))
local domain = quadratic:domain()
close_during("s:domain", function() return gd.surface("quadratic") end,
             function(s) return s:domain().hi[2] end, equal(domain.hi[2], "s:domain"))
local start = quadratic:start()
close_during("s:start", function() return gd.surface("quadratic") end,
             function(s) return s:start()[1] end, equal(start[1], "s:start"))
local landmarks = gd.surface("himmelblau"):landmarks()
close_during("s:landmarks", function() return gd.surface("himmelblau") end,
             function(s) return #s:landmarks() end, equal(#landmarks, "s:landmarks"))

-- gd.run reads its surface and optimizer at the start; the result table holds them once the runner
-- lets them go (runner:result as well).
local function run_on(s, o)
  return gd.run{surface = s, optimizer = o, start = {1, 1}, steps = 5}
end
local loss = run_on(quadratic, gd.optimizer("gd", {lr = 0.1})).final_loss
close_during("gd.run (its surface)", function() return gd.surface("quadratic"), gd.optimizer("gd", {lr = 0.1}) end,
             function(s, o) return run_on(s, o).final_loss end, equal(loss, "gd.run"))
close_during("gd.run (its optimizer)", function() return gd.optimizer("gd", {lr = 0.1}), gd.surface("quadratic") end,
             function(o, s) return run_on(s, o).final_loss end, equal(loss, "gd.run"))
close_during("runner:result (its optimizer)",
             function()
               local o = gd.optimizer("gd", {lr = 0.1})
               return o, gd.runner{surface = gd.surface("quadratic"), optimizer = o, start = {1, 1}, steps = 5}
             end,
             function(_, runner) runner:step(5) return runner:result().final_loss end, equal(loss, "runner:result"))

-- A result's grad_norm, derived from its surface on first use.
local norm = run_on(quadratic, gd.optimizer("gd", {lr = 0.1})).grad_norm[3]
close_during("r.grad_norm", function()
               local s = gd.surface("quadratic")
               return s, run_on(s, gd.optimizer("gd", {lr = 0.1}))
             end,
             function(_, r) return r.grad_norm[3] end, equal(norm, "r.grad_norm"))

-- An optimizer's tostring and fields ("gdlab.optimizer(closed)" and nil once closed).
local adam = gd.optimizer("adam", {lr = 0.01})
local name = tostring(adam)
close_during("tostring(optimizer)", function() return gd.optimizer("adam", {lr = 0.01}) end,
             function(o) return tostring(o) end,
             function(got) assert(got == name or got == "gdlab.optimizer(closed)", got) end)
close_during("optimizer.params", function() return gd.optimizer("adam", {lr = 0.01}) end,
             function(o) local p = o.params return p and p.lr end,
             function(got) assert(got == 0.01 or got == nil, tostring(got)) end)

-- A figure's method (every one holds its figure through lfig_use).
local figures = 0
close_during("fig:text", function()
               figures = figures + 1
               return gd.figure{file = ("%s/f%d.svg"):format(dir, figures), device = "svgcairo", size = {120, 90}}
             end,
             function(fig) fig:text{text = "held"} return true end, equal(true, "fig:text"))

armed = false
collectgarbage("incremental", 200, 100, 13) -- Lua's defaults
collectgarbage()
print("lua_hold_first: all checks passed")
