-- SPDX-License-Identifier: MIT
-- mpi_grid.lua — Adam's final loss on Rosenbrock over a grid of (lr, beta1): the example of docs/mpi.md.
--   gdlab docs/examples/mpi_grid.lua [N_LR [N_BETA]] -o figs/                 one process
--   mpirun --hostfile hosts -np 64 gdlab docs/examples/mpi_grid.lua -o figs/   the same, on a cluster
-- The script knows nothing of MPI: every rank runs it, every rank gets the whole sweep, and only rank 0
-- prints and keeps the figure.
local gd = require "gdlab"
local n_lr, n_beta = tonumber(arg[1]) or 200, tonumber(arg[2]) or 100
local lrs, betas = {}, {}
for i = 1, n_lr do lrs[i] = 0.2 * i / n_lr end
for j = 1, n_beta do betas[j] = 0.5 + 0.49 * (j - 1) / (n_beta - 1) end

local r = gd.sweep{surface = gd.surface("rosenbrock"), optimizer = gd.optimizer("adam"),
                   over = {{"lr", lrs}, {"beta1", betas}}, steps = 20000, tol = 1e-6}

local converged, fastest, best = 0, math.huge, nil
for i = 1, n_lr do
    for j = 1, n_beta do
        if r.status[i][j] == "converged" then
            converged = converged + 1
            if r.stop_step[i][j] < fastest then fastest, best = r.stop_step[i][j], {lrs[i], betas[j]} end
        end
    end
end
print(string.format("%d of %d runs converged on %d rank(s)", converged, r.runs, gd.ranks))
if best then print(string.format("fastest: lr = %.4f, beta1 = %.3f, %d steps", best[1], best[2], fastest)) end

local fig = gd.figure{name = "adam_grid", size = {900, 600}}
fig:heatmap{x = betas, y = lrs, z = r.final_loss, log = true, colorbar_label = "final loss",
            title = "Adam on Rosenbrock: final loss after at most 20,000 steps", xlabel = "beta1",
            ylabel = "lr"}
print("wrote " .. fig:close())
