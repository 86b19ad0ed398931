-- SPDX-License-Identifier: MIT
-- Lesson: the playground. Click anywhere on Himmelblau's surface (four equal minima) and watch
-- gradient descent, momentum and Adam race from that point, live, with their loss curves beside.
-- Every click adds a start; c clears the map, space pauses and resumes, n steps while paused, q (or
-- the window's close button) ends the lesson.
--
-- Where they end says which basin the start lies in for each method: plain GD follows the steepest
-- way down into the nearest minimum; momentum carries its speed and may coast past a ridge into
-- another basin; Adam's steps have nearly the same length in every direction (about lr), so it walks
-- diagonally at first, whatever the slope.
--
--   gdlab scripts/lessons/playground.lua -dev xcairo      (or -dev xwin; it needs a window)
-- It prints each start ("start (x, y) at pixel (px, py)": the first point of the paths, mapped back
-- to the window) and where each method ended, so a run can be checked from outside
-- (tests/windows/playground.sh).
local gd = require "gdlab"

local surface = gd.surface("himmelblau")
local xlim, ylim = {-5, 5}, {-5, 5}
local steps, per_frame = 300, 4
local racers = {
  {label = "GD (lr = 0.005)", color = "#e41a1c", optimizer = gd.optimizer("gd", {lr = 0.005})},
  {label = "Momentum (lr = 0.002, β = 0.9)", color = "#377eb8",
   optimizer = gd.optimizer("momentum", {lr = 0.002, beta = 0.9})},
  {label = "Adam (lr = 0.1)", color = "#4daf4a", optimizer = gd.optimizer("adam", {lr = 0.1})},
}

local fig = gd.figure{name = "playground", size = {1200, 560}, layout = {rows = 1, cols = 2},
                      title = "Playground: click on the map to start GD, momentum and Adam there"}
if not fig:show() then
  error("the playground needs a window: run it with -dev xcairo or -dev xwin (device '" .. fig.device ..
        "' writes a file)", 0)
end

local function draw_map()
  fig:contour{panel = 1, surface = surface, x = xlim, y = ylim, levels = "log1p", nlevels = 25, filled = true,
              colormap = "viridis", title = "Himmelblau: click to start (c clears)", xlabel = "θ₁", ylabel = "θ₂"}
end

local function draw_losses(starts)
  fig:clear(2)
  local series = {}
  for _, s in ipairs(starts) do
    for _, p in ipairs(s.paths) do
      series[#series + 1] = {x = p.steps, y = p.loss, color = p.racer.color, width = 1.6,
                             label = #series < #racers and p.racer.label or nil}
    end
  end
  if #series == 0 then
    fig:text{panel = 2, text = "Loss curves appear here.\n\nClick a point on the map to start\n" ..
             "GD, momentum and Adam from it.\n\nspace pauses, n steps, c clears, q quits"}
    return
  end
  fig:lines{panel = 2, series = series, ylog = true, xlim = {0, steps}, grid = true, legend = "upper right",
            title = "Loss along each path", xlabel = "step", ylabel = "loss f(θ)"}
end

local starts, active = {}, 0
local function start_at(x, y)
  local s = {paths = {}, x = x, y = y}
  for _, racer in ipairs(racers) do
    local r = gd.runner{surface = surface, optimizer = racer.optimizer, start = {x, y}, steps = steps, tol = 1e-8}
    local st = r:state()
    s.paths[#s.paths + 1] = {racer = racer, runner = r, x = st.x[1], y = st.x[2], steps = {0}, loss = {st.loss}}
    active = active + 1
  end
  local p = s.paths[1]
  local px, py = fig:to_pixel(1, p.x, p.y)
  print(("start (%.4f, %.4f) at pixel (%.1f, %.1f)"):format(p.x, p.y, px, py))
  fig:overlay{panel = 1, series = {{x = {x}, y = {y}, color = "white", width = 0, marker = "o", marker_size = 11}}}
  starts[#starts + 1] = s
end

-- Advance every running path by a few steps and draw the new pieces.
local function advance()
  local pieces = {}
  for _, s in ipairs(starts) do
    for _, p in ipairs(s.paths) do
      if p.runner then
        local done = p.runner:step(per_frame)
        local st = p.runner:state()
        pieces[#pieces + 1] = {x = {p.x, st.x[1]}, y = {p.y, st.x[2]}, color = p.racer.color, width = 2}
        p.x, p.y = st.x[1], st.x[2]
        p.steps[#p.steps + 1], p.loss[#p.loss + 1] = st.step, math.max(st.loss, 1e-12)
        if done then
          print(("%-32s from (%.4f, %.4f): %s after %d steps at (%.4f, %.4f), loss %.3g"):format(
            (p.racer.label:gsub("β", "beta")), s.x, s.y, st.status, st.step, p.x, p.y, st.loss))
          p.runner = nil
          active = active - 1
        end
      end
    end
  end
  if #pieces > 0 then fig:overlay{panel = 1, series = pieces} end
  draw_losses(starts)
end

draw_map()
draw_losses(starts)
local paused = false
while true do
  local ev = fig:event((active > 0 and not paused) and 1 / 30 or nil)
  if ev and ev.type == "close" then break end
  if ev and ev.type == "click" and ev.button == 1 and ev.panel == 1 then start_at(ev.x, ev.y) end
  if ev and ev.type == "clear" then
    starts, active = {}, 0
    draw_map()
    draw_losses(starts)
  end
  if ev and ev.type == "pause" then paused = not paused end
  if active > 0 and (not paused or (ev and ev.type == "step")) then advance() end
end
print("wrote " .. fig:close())
