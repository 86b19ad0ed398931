-- SPDX-License-Identifier: MIT
-- make_videos.lua DIR — the same 30-frame animation (a point moving across a map, 12 frames a second, 321 x 241
-- pixels: odd on purpose) as race.mp4, race.webm and race.gif in DIR, for video_test.sh to check with ffprobe,
-- ffmpeg and PIL; and the errors a script gets.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local dir = assert(arg[1], "usage: gdlab make_videos.lua DIR")

local s = gd.surface("rosenbrock")
local run = gd.run{surface = s, optimizer = gd.optimizer("adam", {lr = 0.1}), start = {-1.5, 2}, steps = 60}
for _, ext in ipairs{"mp4", "webm", "gif"} do
  local anim = gd.animation{file = dir .. "/race." .. ext, size = {321, 241}, fps = 12}
  for k = 1, 30 do
    anim:frame{title = "step " .. 2 * k}:contour{surface = s, runs = {{run, steps = 2 * k}}, levels = "log",
                                                filled = true, colorbar = false, resolution = 60}
  end
  assert(anim:close() == dir .. "/race." .. ext)
end

check.fails(function() gd.animation{file = dir .. "/race.avi"} end,
            "animation '" .. dir .. "/race.avi': unknown format '.avi'; available: gif, mp4, webm")
check.fails(function() gd.animation{file = dir .. "/missing/race.mp4"} end, "cannot write video '" .. dir .. "/missing/race.mp4'")
local empty = gd.animation{file = dir .. "/empty.webm"}
check.fails(function() empty:close() end, "has no frames")
assert(not io.open(dir .. "/empty.webm"), "an animation without frames leaves no file")
print("make_videos.lua: ok")
