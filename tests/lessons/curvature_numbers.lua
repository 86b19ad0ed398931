-- SPDX-License-Identifier: MIT
-- The curvature lesson's numbers: the recorded λmax is the Hessian's, and the stability edge sits
-- where the lesson says. Rosenbrock's Hessian is [[1200x² − 400y + 2, −400x], [−400x, 200]]; at the
-- start (−1.5, 2) that is [[1902, 600], [600, 200]], λ = 1051 ± √(851² + 600²).
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local banana = gd.surface("rosenbrock")
local function run(lr)
  return gd.run{surface = banana, optimizer = gd.optimizer("gd", {lr = lr}), start = {-1.5, 2},
                steps = 3000, tol = 1e-8, curvature = true}
end
local fast, slow = run(0.0015), run(0.0005)
local root = math.sqrt(851 ^ 2 + 600 ^ 2)
check.within(fast.lambda_max[1], 1051 + root, 1e-9, "λmax at the start")
check.within(fast.lambda_min[1], 1051 - root, 1e-9, "λmin at the start")
local above = 0
for k = 1, #fast.lambda_max do
  if 0.0015 * fast.lambda_max[k] > 2 then above = above + 1 end
  local h = banana:hessian(fast.x[k], fast.y[k]) -- spot-check against the surface's own Hessian
  local tr, det = h[1] + h[4], h[1] * h[4] - h[2] * h[3]
  check.near(fast.lambda_max[k] + fast.lambda_min[k], tr, 1e-9, "trace at " .. k)
  check.within(fast.lambda_max[k] * fast.lambda_min[k], det, 1e-7 * (1 + math.abs(det)), "det at " .. k)
end
assert(above > 0 and 0.0015 * fast.lambda_max[1] > 2, "lr 0.0015 starts beyond the edge")
assert(0.0015 * fast.lambda_max[#fast.lambda_max] < 2, "and ends inside it")
for k = 1, #slow.lambda_max do assert(0.0005 * slow.lambda_max[k] < 2, "lr 0.0005 is stable everywhere") end
assert(fast.loss[#fast.loss] < slow.loss[#slow.loss], "the larger rate still gets further")
print(string.format("curvature_numbers: λmax(start) = %.6f, %d points beyond the edge", fast.lambda_max[1], above))
