-- SPDX-License-Identifier: MIT
-- The basins lesson's numbers, on seed 003's multimodal surface: of the 61 x 61 starts on [−3, 3]²,
-- GD (lr 0.1, at most 3000 steps, tol 1e-6) ends at the global minimum (−1.3064, 0) from 2120, at
-- each of the two local minima (1.2655, ±2.5720) from 740 — the surface is symmetric in y, and so
-- are the basins, start for start — and at no minimum from 121.
local gd = require "gdlab"
local s = gd.surface("multimodal")
local minima = {}
for _, l in ipairs(s:landmarks()) do
  if l.kind == "global_min" or l.kind == "local_min" then minima[#minima + 1] = l end
end
assert(#minima == 3, "three minima in the box")
local n, count, none, at = 61, {0, 0, 0}, 0, {}
local optimizer = gd.optimizer("gd", {lr = 0.1})
for j = 1, n do
  at[j] = {}
  for i = 1, n do
    local x, y = -3 + 6 * (i - 1) / (n - 1), -3 + 6 * (j - 1) / (n - 1)
    local r = gd.run{surface = s, optimizer = optimizer, start = {x, y}, steps = 3000, tol = 1e-6}
    local last, found = #r.x, 0
    for m, l in ipairs(minima) do
      if r.status ~= "diverged" and math.abs(r.x[last] - l.x[1]) < 0.05 and math.abs(r.y[last] - l.x[2]) < 0.05 then found = m end
    end
    at[j][i] = found
    if found > 0 then count[found] = count[found] + 1 else none = none + 1 end
  end
end
assert(count[1] == 2120 and count[2] == 740 and count[3] == 740 and none == 121,
       ("basins %d, %d, %d; none %d"):format(count[1], count[2], count[3], none))
for j = 1, n do
  for i = 1, n do -- mirrored start (y → −y): the global basin maps to itself, the local ones swap
    local a, b = at[j][i], at[n + 1 - j][i]
    local mirror = {[0] = 0, [1] = 1, [2] = 3, [3] = 2}
    assert(b == mirror[a], ("start (%d, %d) ends in %d, its mirror in %d"):format(i, j, a, b))
  end
end
print(("basins_numbers: %d, %d, %d starts per basin, %d at no minimum, mirror-symmetric"):format(count[1], count[2], count[3], none))
