-- SPDX-License-Identifier: MIT
-- Runs one lesson script and checks that it wrote the figures it promises.
--   gdlab tests/lessons/render_lesson.lua -o OUT_DIR LESSON.lua FIGURE_NAME...
-- The figures must appear in OUT_DIR (gdlab's -o) as NAME.<extension of the device> and be more than
-- a blank page: a plain 1000 x 600 PNG compresses to a few kilobytes, a drawn figure to tens.
-- A name with its own extension (race.gif: animations are GIFs whatever the device) is taken as is.
local gd = require "gdlab"

local lesson = assert(arg[1], "usage: render_lesson.lua -o DIR LESSON.lua FIGURE_NAME...")
assert(arg[2], "name at least one figure the lesson writes")
local extension
for _, d in ipairs(gd.devices()) do
  if d.name == gd.output.device then extension = d.extension end
end
assert(extension, "device " .. tostring(gd.output.device) .. " writes no files")

local paths = {}
for i = 2, #arg do
  if arg[i]:find(".", 1, true) then
    paths[#paths + 1] = ("%s/%s"):format(gd.output.dir, arg[i])
  else
    paths[#paths + 1] = ("%s/%s.%s"):format(gd.output.dir, arg[i], extension)
  end
  os.remove(paths[#paths]) -- a file left over from an earlier run must not pass for a new one
end

dofile(lesson)

local minimum = 15000
for _, path in ipairs(paths) do
  local f = io.open(path, "rb")
  if not f then error(lesson .. " did not write " .. path) end
  local size = f:seek("end")
  f:seek("set", 0)
  local head = f:read(8)
  f:close()
  if path:match("%.gif$") then
    assert(head:sub(1, 6) == "GIF89a", path .. " is not a GIF file")
  elseif extension == "png" then
    assert(head == "\137PNG\r\n\26\n", path .. " is not a PNG file")
  end
  assert(size > minimum, ("%s is only %d bytes (a drawn figure has more than %d)"):format(path, size, minimum))
end
print(("render_lesson: %s wrote %d figure(s) in %s"):format(lesson, #paths, gd.output.dir))
