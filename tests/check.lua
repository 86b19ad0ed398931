-- SPDX-License-Identifier: MIT
-- check.lua — the few checks gdlab's Lua tests need, as tests/check.h is for the C tests. A failed
-- check raises at the test's own file:line with what was expected and what came, so the script
-- stops there and gdlab exits non-zero; a plain condition is Lua's own assert(cond, message).
-- A test in tests/AREA/ loads it relative to itself, whatever the working directory:
--   local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local check = {}
local passed = 0

-- A value as a message shows it: a float in the fewest digits that read back as the same number
-- (any NaN as nan), a string quoted.
local function show(v)
  if v ~= v then return "nan" end
  if math.type(v) == "float" then
    for digits = 15, 16 do
      local text = ("%." .. digits .. "g"):format(v)
      if tonumber(text) == v then return text end
    end
    return ("%.17g"):format(v)
  end
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

local function number_expected(got, want, what)
  if type(got) ~= "number" then
    error(("%s: expected a number near %s, got %s"):format(what, show(want), show(got)), 3)
  end
end

-- got == want (so never for a NaN: that is check.nan).
function check.equal(got, want, what)
  if got ~= want then error(("%s: expected %s, got %s"):format(what, show(want), show(got)), 2) end
  passed = passed + 1
end

-- got is a NaN (a value not yet defined, such as the rate before the first step).
function check.nan(got, what)
  if got == got then error(("%s: expected nan, got %s"):format(what, show(got)), 2) end
  passed = passed + 1
end

-- |got − want| <= rel·|want| (rel = 0: exactly want).
function check.near(got, want, rel, what)
  number_expected(got, want, what)
  local scale = math.max(math.abs(want), 1e-300)
  if not (got == want or math.abs(got - want) <= rel * scale) then
    error(("%s: expected %s, got %s (relative error %.3g > %.3g)"):format(what, show(want), show(got),
          math.abs(got - want) / scale, rel), 2)
  end
  passed = passed + 1
end

-- |got − want| <= tol.
function check.within(got, want, tol, what)
  number_expected(got, want, what)
  if not (got == want or math.abs(got - want) <= tol) then
    error(("%s: expected %s, got %s (off by %.3g > %.3g)"):format(what, show(want), show(got),
          math.abs(got - want), tol), 2)
  end
  passed = passed + 1
end

-- The message of the error fn() raises, which must contain every piece as plain text; and whether
-- it starts at a file:line of fn's own file.
local function raised(fn, pieces)
  local ok, err = pcall(fn)
  if ok then error("expected an error, the call returned", 3) end
  err = tostring(err)
  for _, piece in ipairs(pieces) do
    if not err:find(piece, 1, true) then error(("error %q lacks %q"):format(err, piece), 3) end
  end
  local file = debug.getinfo(fn, "S").short_src
  return err, err:sub(1, #file + 1) == file .. ":" and err:find("^%d+: ", #file + 2) ~= nil, file
end

-- fn() must raise an error that starts at a file:line of fn's own file — the script's line that made
-- the bad call, as luaL_error reports it, or the script's error() inside a callback — and contains
-- every given piece. Returns the message.
function check.fails(fn, ...)
  local err, placed, file = raised(fn, {...})
  if not placed then
    error(("error %q does not start with %s:LINE: (the script's file:line)"):format(err, file), 2)
  end
  passed = passed + 1
  return err
end

-- How many checks have passed (a failed one raises).
function check.count() return passed end

-- A new empty folder for the test's files, under the system's temporary folder.
function check.folder()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p '" .. dir .. "'"), "cannot make the test folder " .. dir)
  return dir
end

-- The whole content of a file the test expects to exist.
function check.read(path)
  local f, why = io.open(path, "rb")
  if not f then error("expected a file: " .. why, 2) end
  local data = f:read("a")
  f:close()
  return data
end

return check
