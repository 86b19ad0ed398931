-- SPDX-License-Identifier: MIT
-- Lesson: basins of attraction — where gradient descent ends depends on where it starts.
--
-- Seed 003 shows one run settling in a local minimum of its multimodal surface (lesson landscapes);
-- this lesson asks the question for every start at once. On a grid of starts over the surface's box,
-- plain gradient descent runs until its gradient is below 10⁻⁶ (at most 3000 steps); each cell is
-- coloured by the minimum the run ends at (the surface's landmarks, within 0.05) and paler the more
-- steps it took (log scale, from the fewest to the most on that surface); grey cells ended at no
-- minimum (diverged, or still on their way after 3000 steps). The key gives each minimum and the
-- number of starts that end there, and is placed where it hides the least.
--   basins.png  Himmelblau (four global minima), the six-hump camel (two global, four local minima)
--               and the multimodal surface of seed 003 (one global, two local minima in the box).
-- What to see: the basins are the regions that drain to each minimum; their borders run along the
-- ridges through the saddles, and starts near a border need many steps (pale) because the gradient
-- there is small. Himmelblau's four equally deep minima split the box about evenly (952, 967, 885,
-- 917 of 3721 starts). On the camel and the multimodal surface the global minima have the largest
-- basins, but the local ones still catch 41 % and 40 % of the starts (1528 and 1480): a run started
-- at random ends in a local minimum about two times in five (tests/lessons/basins_numbers.lua).
--   gdlab scripts/lessons/basins.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local palette = {"#E05C4B", "#3A7CA5", "#F4A536", "#2A9D5C", "#8E6BBF", "#D17A9C"}
local cases = {
  {name = "himmelblau", title = "Himmelblau", lr = 0.01, box = {{-5, 5}, {-5, 5}}, legend = "upper center"},
  {name = "six_hump_camel", title = "Six-hump camel", lr = 0.02, box = {{-2, 2}, {-1.2, 1.2}}, legend = "lower center"},
  {name = "multimodal", title = "Multimodal (seed 003)", lr = 0.1, box = {{-3, 3}, {-3, 3}}, legend = "lower left"},
}
local n, max_steps, radius = 61, 3000, 0.05

local function basins(case)
  local s = gd.surface(case.name)
  local minima = {}
  for _, l in ipairs(s:landmarks()) do
    if l.kind == "global_min" or l.kind == "local_min" then minima[#minima + 1] = l end
  end
  local xs, ys, z, shade, count, unassigned = {}, {}, {}, {}, {}, 0
  for i = 1, n do xs[i] = case.box[1][1] + (case.box[1][2] - case.box[1][1]) * (i - 1) / (n - 1) end
  for j = 1, n do ys[j] = case.box[2][1] + (case.box[2][2] - case.box[2][1]) * (j - 1) / (n - 1) end
  for m = 1, #minima do count[m] = 0 end
  local optimizer = gd.optimizer("gd", {lr = case.lr})
  for j = 1, n do
    z[j], shade[j] = {}, {}
    for i = 1, n do
      local r = gd.run{surface = s, optimizer = optimizer, start = {xs[i], ys[j]}, steps = max_steps, tol = 1e-6}
      local last = #r.x
      local found
      for m, l in ipairs(minima) do
        if r.status ~= "diverged" and math.abs(r.x[last] - l.x[1]) < radius and math.abs(r.y[last] - l.x[2]) < radius then
          found = m
        end
      end
      if found then
        z[j][i], shade[j][i] = found - 1, math.log(1 + r.steps) -- scaled to 0..1 below
        count[found] = count[found] + 1
      else
        z[j][i], shade[j][i] = 0 / 0, 0 / 0
        unassigned = unassigned + 1
      end
    end
  end
  local lo, hi = math.huge, -math.huge -- the fewest and most steps, log scale: palest = most steps
  for j = 1, n do for i = 1, n do
    if shade[j][i] == shade[j][i] then lo, hi = math.min(lo, shade[j][i]), math.max(hi, shade[j][i]) end
  end end
  for j = 1, n do for i = 1, n do shade[j][i] = (shade[j][i] - lo) / math.max(hi - lo, 1e-12) end end
  local categories = {}
  for m, l in ipairs(minima) do
    categories[m] = {color = palette[m], label = ("(%.2f, %.2f) %s: %d"):format(l.x[1], l.x[2],
      l.kind == "global_min" and "global" or "local", count[m])}
    print(("%-16s %-10s minimum at (%7.4f, %7.4f), f = %8.4f: basin of %4d of %d starts"):format(case.name, l.kind,
          l.x[1], l.x[2], l.value, count[m], n * n))
  end
  print(("%-16s no minimum from %d starts"):format(case.name, unassigned))
  return xs, ys, z, shade, categories
end

local fig = gd.figure{name = "basins", size = {1500, 600}, layout = {rows = 1, cols = 3},
                      title = ("Basins of attraction of gradient descent: %d × %d starts, paler = more steps"):format(n, n)}
for k, case in ipairs(cases) do
  local xs, ys, z, shade, categories = basins(case)
  fig:heatmap{panel = k, x = xs, y = ys, z = z, shade = shade, categories = categories, legend = case.legend,
              title = ("%s\nGD, lr = %g"):format(case.title, case.lr), xlabel = "x", ylabel = "y"}
end
print("wrote " .. fig:close())
