-- SPDX-License-Identifier: MIT
-- gd.animation end to end: a 5-frame race of two optimizers (a map and the loss, side by side) is a
-- looping GIF of the right size, frame count and delay, even with -dev svg; frames are figures with
-- every figure method; the errors a script gets. The GIF's blocks are walked here from the format's
-- description; pixel-exact decoding is test_gif.c's job.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")

local dir = os.tmpname()
os.remove(dir)
gd.output.dir = dir
if arg and arg[1] then gd.output.dir = arg[1] end -- keep the files to look at them

-- The blocks of a GIF: size, frames, their delays and rectangles, the loop extension, the trailer.
local function gif_info(data)
  assert(data:sub(1, 6) == "GIF89a", "not a GIF89a file")
  local w, h, packed = string.unpack("<I2I2B", data, 7)
  local p = 14
  if packed & 0x80 ~= 0 then p = p + 3 * (2 << (packed & 7)) end
  local info = {w = w, h = h, frames = 0, delays = {}, rects = {}, loop = false, trailer = false}
  local function skip_sub_blocks()
    while data:byte(p) ~= 0 do p = p + data:byte(p) + 1 end
    p = p + 1
  end
  while p <= #data do
    local b = data:byte(p)
    if b == 0x3B then
      info.trailer = p == #data
      break
    elseif b == 0x21 then
      local label = data:byte(p + 1)
      p = p + 2
      if label == 0xF9 then info.delays[#info.delays + 1] = string.unpack("<I2", data, p + 2) end
      if label == 0xFF and data:sub(p + 1, p + 11) == "NETSCAPE2.0" then
        info.loop = true
        info.loop_count = string.unpack("<I2", data, p + 14)
      end
      skip_sub_blocks()
    elseif b == 0x2C then
      local x, y, rw, rh, pk = string.unpack("<I2I2I2I2B", data, p + 1)
      info.rects[#info.rects + 1] = {x, y, rw, rh}
      assert(x + rw <= w and y + rh <= h, "a frame lies outside the screen")
      p = p + 10
      if pk & 0x80 ~= 0 then p = p + 3 * (2 << (pk & 7)) end
      p = p + 1 -- LZW minimum code size
      skip_sub_blocks()
      info.frames = info.frames + 1
    else
      error(("unexpected block 0x%02x at byte %d"):format(b, p))
    end
  end
  return info
end

local fails = check.fails -- the call fails at this file's line, with every piece in its message

local s = gd.surface("rosenbrock")
local opt = {
  gd.run{surface = s, optimizer = gd.optimizer("gd", {lr = 0.001}), start = {-1.5, 2}, steps = 40},
  gd.run{surface = s, optimizer = gd.optimizer("adam", {lr = 0.05}), start = {-1.5, 2}, steps = 40},
}
opt[1].label, opt[2].label = "gd", "adam"

-- The race: 5 frames, the runs growing; on svg the animation is still a GIF.
gd.output.device = "svg"
local anim = gd.animation{name = "race", size = {640, 300}, fps = 8, layout = {1, 2},
                          title = "GD vs Adam on Rosenbrock"}
assert(tostring(anim):find("race.gif", 1, true))
for k = 1, 5 do
  local steps = k * 8
  local fig = anim:frame{title = ("GD vs Adam on Rosenbrock, step %d"):format(steps)}
  fig:contour{panel = 1, surface = s, runs = {{opt[1], steps = steps}, {opt[2], steps = steps}},
              levels = "log", filled = true, colorbar = false, resolution = 120}
  fig:loss{panel = 2, runs = {{opt[1], steps = steps}, {opt[2], steps = steps}}, xlim = {0, 40}}
  if k == 2 then
    assert(fig:close() == anim.path, "closing a frame returns the animation's path")
    fails(function() fig:loss{panel = 2, runs = opt} end, "figure is closed")
  end
  assert(anim.frames == k - 1 or (k == 2 and anim.frames == 2), "frames end when the next begins")
end
local path = anim:close()
assert(path == gd.output.dir .. "/race.gif", path)
assert(anim:close() == path, "closing twice returns the path again")
local info = gif_info(check.read(path))
assert(info.w == 640 and info.h == 300, ("size %d x %d"):format(info.w, info.h))
assert(info.frames == 5, ("%d frames"):format(info.frames))
assert(info.loop and info.loop_count == 0, "loops forever")
assert(info.trailer, "ends with the trailer")
for i = 1, 5 do assert(info.delays[i] == 13, "1/8 s is 13 hundredths: " .. tostring(info.delays[i])) end
local r1 = info.rects[1]
assert(r1[1] == 0 and r1[2] == 0 and r1[3] == 640 and r1[4] == 300, "the first frame is whole")
local r2 = info.rects[2]
assert(r2[3] * r2[4] < 640 * 300, "later frames store only what changed")

-- loop = false plays once; a frame can be ended by leaving a <close> scope.
gd.output.device = "pngcairo"
local once = gd.animation{name = "once", size = {200, 150}, fps = 2, loop = false}
do
  local fig <close> = once:frame()
  fig:lines{series = {{y = {1, 3, 2}}}}
end
assert(once.frames == 1)
once:frame("a title as a string"):text{text = "second frame"}
local once_info = gif_info(check.read(once:close()))
assert(once_info.frames == 2 and not once_info.loop and once_info.delays[1] == 50)

-- Errors.
fails(function() gd.animation{name = "x", fsp = 10} end, "unknown field 'fsp'", "fps")
fails(function() gd.animation{name = "x", fps = 100} end, "'fps' must be a number in [0.5, 50], got 100")
fails(function() gd.animation{name = "x", colormap = "jet"} end, "unknown colour map 'jet'")
fails(function() gd.animation{name = "x", size = {10, 10}} end, "'size[1] (width)' must be a whole number from 50 to 20000, got 10")
fails(function() gd.animation{name = "a/b"} end, "plain file name")
local empty = gd.animation{name = "empty"}
fails(function() empty:close() end, "no frames")
fails(function() empty:frame() end, "closed")
local boom = gd.surface{f = function(x, y) error("boom in a frame") end, domain = {{-1, 1}, {-1, 1}}}
local broken = gd.animation{name = "broken", size = {200, 150}}
fails(function() broken:frame():contour{surface = boom, resolution = 8} end, "boom in a frame")
broken:close()

local bytes = #check.read(path)
if not (arg and arg[1]) then
  for _, name in ipairs{"race.gif", "once.gif", "broken.gif"} do os.remove(dir .. "/" .. name) end
  os.remove(dir)
end
print(("animation: %d frames of %d x %d, %d bytes; loop, delays, errors checked"):format(info.frames,
      info.w, info.h, bytes))
