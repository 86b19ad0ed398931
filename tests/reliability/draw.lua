-- SPDX-License-Identifier: MIT
-- draw.lua FILE DEVICE TITLE [HOLD [READY]]: one figure (a contour of Rosenbrock with a run on it) into
-- FILE. HOLD says where the script stops and waits to be killed, with the file being written:
--   figure     after drawing, before closing the figure
--   sweep      inside a long gd.sweep (C threads), the figure open
--   animation  after three frames of an open animation FILE, drawing more
--   compile    inside a formula's compile (GDLAB_CC is a compiler that waits), the figure open
-- READY is a file written when the moment has come (compile: the fake compiler writes its own).
-- Used by output_faults.sh; it must never get past HOLD.
local gd = require "gdlab"
local file, device, title, hold, ready = arg[1], arg[2], arg[3] or "title", arg[4], arg[5]

local function signal_ready()
  if not ready then return end
  local f = assert(io.open(ready, "w"))
  f:write("ready\n")
  f:close()
end

local function wait_to_be_killed(what)
  local deadline = os.time() + 60
  while os.time() < deadline do end
  error("draw.lua: still alive 60 s after " .. what .. ": the signal did not stop gdlab")
end

local s = gd.surface("rosenbrock")
local run = gd.run{surface = s, optimizer = gd.optimizer("gd", {lr = 1e-3}), start = {-1.5, 2}, steps = 200}

if hold == "animation" then
  local anim = gd.animation{file = file, size = {320, 240}}
  for i = 1, 3 do anim:frame{title = title .. " " .. i}:contour{surface = s, runs = {run}} end
  signal_ready()
  for i = 4, 1e9 do anim:frame{title = title .. " " .. i}:contour{surface = s, runs = {run}} end
  error("draw.lua: the animation loop ended")
end

local fig = gd.figure{file = file, device = device, size = {400, 300}, title = title}
fig:contour{surface = s, runs = {run}}
if hold == "figure" then
  signal_ready()
  wait_to_be_killed("drawing")
elseif hold == "sweep" then
  local lrs = {}
  for i = 1, 64 do lrs[i] = 1e-4 * i end
  signal_ready()
  for _ = 1, 1000 do
    gd.sweep{surface = s, optimizer = gd.optimizer("gd", {lr = 1e-3}), start = {-1.5, 2}, steps = 200000,
             tol = 0, over = {lr = lrs}}
  end
  error("draw.lua: the sweeps ended")
elseif hold == "compile" then
  gd.surface{expr = "(1 - x)^2 + 100*(y - x^2)^2 + " .. title:len() .. "*0"}
  error("draw.lua: the compile ended")
end
print(fig:close())
