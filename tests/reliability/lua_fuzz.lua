-- SPDX-License-Identifier: MIT
-- lua_fuzz.lua — the Lua API fuzzer: random calls into every function and method of the gdlab module
-- and of gd.pl, with random argument types and values, tables whose metamethods lie or raise (__len,
-- __index, __tostring), and callbacks that call back into gdlab (closing the object being drawn,
-- re-entering, collecting garbage). Every call runs under pcall: an error is the expected answer to
-- nonsense, a crash (the process dies; ASan/UBSan in the sanitizer build) fails the test.
--
--   gdlab tests/reliability/lua_fuzz.lua [CALLS [SEED ...]]
-- runs CALLS calls (default 6000) for each of the fixed seeds plus one fresh seed (printed); with
-- SEEDs given, replays exactly those. A seed alone decides every call, so the replay printed before
-- each seed starts repeats, call for call, what a crash cut short: the budget is a count of calls,
-- not time (which differs between runs and builds). Nothing else may vary between runs: targets
-- are called in the order of their sorted names, never in the order of pairs (Lua seeds its string
-- hashes per process). A time cap (LUA_FUZZ_MAX_SECONDS, default 180 s of wall-clock time) keeps a
-- slow build (the sanitizer's) bounded: it ends the run early, at a call count that is still a
-- prefix of the replay. A watchdog ends the run when one call has not returned for
-- LUA_FUZZ_CALL_SECONDS (default 60), printing that call and its replay: a hang fails loudly, well
-- inside ctest's timeout (300 s), instead of silently at it.
-- Figures go only to file devices in a temporary folder (never a window or the terminal): the
-- folder is fixed in gd.output, as the gdlab command's -o would.
local gd = require "gdlab"
local pl = gd.pl

local calls_per_seed = math.tointeger(tonumber(arg and arg[1])) or 6000
assert(calls_per_seed >= 0, "lua_fuzz: CALLS is a count of calls per seed")
local max_seconds = tonumber(os.getenv("LUA_FUZZ_MAX_SECONDS")) or 180
local call_seconds = math.tointeger(tonumber(os.getenv("LUA_FUZZ_CALL_SECONDS") or 60))
assert(call_seconds and call_seconds > 0, "lua_fuzz: LUA_FUZZ_CALL_SECONDS is a whole number of seconds")
local started = os.time()
local seeds = {}
for i = 2, arg and #arg or 0 do seeds[#seeds + 1] = assert(math.tointeger(tonumber(arg[i])), "seeds are integers") end
local replay = #seeds > 0
if not replay then
  -- 1508: a fresh seed that crashed (an optimizer freed by a __gc while its run's result was made)
  seeds = {1, 2, 3, 4, 5, 1508}
  seeds[#seeds + 1] = (os.time() * 7919 + math.floor(os.clock() * 1e6)) % 2147483647 -- fresh
end

-- sorted keys of t: an order that does not depend on the process's string hashes
local function sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b) return tostring(a) < tostring(b) end)
  return ks
end

print("lua_fuzz: seeds " .. table.concat(seeds, " "))
local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p '" .. dir .. "'"))
-- Every file lands in dir (fixed, as -o would). The device is left free so that books (pdfcairo)
-- open; no string the fuzzer can produce names a window or terminal device.
gd.output.device = "svgcairo"
gd.output.dir, gd.output.dir_fixed = dir, true

-- ---- the watchdog -------------------------------------------------------------------------------
-- A call that never returns (a loop inside PLplot, say) cannot be interrupted from Lua. Before each
-- top-level call the fuzzer writes which call it is into a heartbeat file; a shell loop started
-- here (its $PPID is this process) reads the file every second, and when the text has not changed
-- for call_seconds it prints it, with the replay, ends the fuzzer (SIGTERM, then SIGKILL) and removes
-- its folder. The loop ends by itself when the fuzzer has ended or removed its folder.
local heartbeat = dir .. "/heartbeat"
local heart = assert(io.open(heartbeat, "w")) -- kept open: opening a file 6000 times costs seconds
local function beat(text)
  heart:seek("set", 0)
  heart:write(text, (" "):rep(240 - #text)) -- a fixed width overwrites the whole previous text
  heart:flush()
end
beat("starting")
assert(os.execute(([[
fuzzer=$PPID
( last=; same=0
  while kill -0 "$fuzzer" 2>/dev/null && [ -f '%s' ]; do
    now=$(sed 's/ *$//' '%s' 2>/dev/null)
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; last=$now; fi
    if [ "$same" -ge %d ]; then
      echo "lua_fuzz: WATCHDOG: $now has not returned in %d s: a hang (or raise LUA_FUZZ_CALL_SECONDS)" >&2
      kill -TERM "$fuzzer"; sleep 5; kill -KILL "$fuzzer" 2>/dev/null; rm -rf '%s'; exit 1
    fi
    sleep 1
  done ) >/dev/null </dev/null &]]):format(heartbeat, heartbeat, call_seconds, call_seconds, dir)),
       "lua_fuzz: cannot start the watchdog")
local file_devices = {"svgcairo", "pngcairo", "pdfcairo", "psc"} -- for gd.pl.sdev: files only

-- ---- random values ------------------------------------------------------------------------------
local R = math.random
local function pick(t) return t[R(#t)] end

local numbers = {0, 1, 2, 3, -1, 7, 0.5, 2.5, -2.5, 1e-300, 1e12, 1000000001, 2^31, 2^53, 2^61,
                 math.maxinteger, math.mininteger, 0 / 0, math.huge, -math.huge, 0.1, 100, 50, 4}
local strings = {"", "x", "lr", "gd", "adam", "momentum", "quadratic", "rosenbrock", "linear", "log",
                 "log1p", "viridis", "red", "#12345", "#336699", "upper right", "circle", "hexagon",
                 "cosine", "step", "multistep", "x^2 + 3*y^2", "sin(x)*y", "x +* y", "(", "name/with/slash",
                 "%n%n%d%s", ("z"):rep(300), "surface", "optimizer", "light", "dark", "triangular2"}
local keys = {"surface", "optimizer", "start", "steps", "tol", "gtol", "bound", "blowup", "internals",
              "curvature", "schedule", "seed", "label", "over", "threads", "name", "file", "device", "size",
              "scale", "layout", "title", "theme", "colormap", "panel", "runs", "f", "z", "x", "y", "levels",
              "nlevels", "lo", "hi", "filled", "lines", "colorbar", "resolution", "xlim", "ylim", "markers",
              "steps", "width", "marker", "series", "values", "labels", "colors", "text", "at", "text_at",
              "arrow", "expr", "grad", "params", "vars", "dim", "domain", "minima", "saddles", "maxima",
              "highlight", "when", "color", "hlines", "vlines", "threshold", "key", "log", "fps", "loop",
              "contours", "azimuth", "altitude", "mesh", "xticks", "entries", "mono", 1, 2}

local pool = {surface = {}, optimizer = {}, run = {}, figure = {}, book = {}, anim = {}, frame = {}, dual = {}}
local gen, call_random -- forward

local function numlist(n)
  local t = {}
  for i = 1, n do t[i] = R() < 0.9 and (R() * 6 - 3) or pick(numbers) end
  return t
end

-- A table whose metamethods lie: a huge, negative, fractional or raising __len; an __index that
-- answers anything (or raises); a raising __tostring.
local function liar()
  local kind = R(6)
  local mt = {}
  if kind == 1 then mt.__len = function() return 2 ^ 61 end
  elseif kind == 2 then mt.__len = function() return pick{-1, 0.5, "3", math.maxinteger, 2 ^ 31} end
  elseif kind == 3 then mt.__len = function() error("lying __len") end
  elseif kind == 4 then mt.__index = function(_, k) return gen(2) end
  elseif kind == 5 then mt.__index = function() error("lying __index") end
  else mt.__len = function() return R(0, 5) end; mt.__index = function(_, k) return R() * 4 - 2 end end
  if R() < 0.5 then mt.__tostring = function() error("lying __tostring") end end
  if R() < 0.3 then mt.__name = "liar" end
  return setmetatable(R() < 0.5 and {} or numlist(R(0, 4)), mt)
end

-- A callback that may call back into gdlab: close what is drawn, re-enter, collect, or misbehave.
-- Callbacks run thousands of times in one call (a contour samples f at every node), so what they
-- do besides answering is rationed per top-level call (mischief) and happens on their first call or
-- rarely after.
local depth, mischief = 0, 0
local function callback()
  local first = true
  return function(...)
    if mischief > 0 and (first or R() < 0.002) then
      mischief = mischief - 1
      local r = R(7)
      if r == 1 then error("callback error") end
      if r == 2 then collectgarbage() end
      if r == 3 and depth < 2 then
        depth = depth + 1
        call_random()
        depth = depth - 1
      end
      if r == 4 then
        local kind = pick{"figure", "book", "anim", "frame", "surface", "optimizer"}
        local o = pick(pool[kind]) or nil
        if o then pcall(function() local c <close> = o end) end
      end
      if r == 5 then return "not a number" end
      if r == 6 then return gen(1) end
    end
    first = false
    local a = ...
    return type(a) == "number" and a * a or 1
  end
end

function gen(d)
  d = d or 0
  local r = R(d > 1 and 8 or 12)
  if r == 1 then return nil
  elseif r == 2 then return R() < 0.5
  elseif r <= 4 then return pick(numbers)
  elseif r == 5 then return pick(strings)
  elseif r == 6 then return numlist(R(0, 6))
  elseif r == 7 then
    local kind = pick{"surface", "optimizer", "run", "figure", "book", "anim", "frame", "dual"}
    return pick(pool[kind]) or 1
  elseif r == 8 then return callback()
  elseif r == 9 then return liar()
  elseif r == 10 then local t = {}; for _ = 1, R(0, 4) do t[pick(keys)] = gen(d + 1) end; return t
  elseif r == 11 then return {numlist(R(1, 4)), numlist(R(1, 4)), numlist(R(1, 4))}
  else return setmetatable({}, {__gc = function() if depth < 2 then depth = depth + 1; call_random(); depth = depth - 1 end end}) end
end

-- ---- well-formed calls, one field of which may be mutated ----------------------------------------
local function any(kind) return pick(pool[kind]) end
local function surface2() return R() < 0.7 and any("surface") or gd.surface("quadratic") end

local function mutate(t)
  local r = R(8) -- half of the calls stay well-formed

  if r == 1 then t[pick(keys)] = gen(0)
  elseif r == 2 then local ks = sorted_keys(t); if #ks > 0 then t[pick(ks)] = nil end
  elseif r == 3 then setmetatable(t, getmetatable(liar())) end
  return t
end

local templates = {
  ["gd.surface"] = function()
    local r = R(4)
    if r == 1 then return gd.surface(pick{"quadratic", "rosenbrock", "himmelblau", "nope"}, R() < 0.5 and mutate{} or nil) end
    if r == 2 then return gd.surface(mutate{expr = pick{"x^2 + 3*y^2", "sin(x)*y", "x +* y", "u*v"},
                                            domain = {{-2, 2}, {-1, 1}}, minima = {{0, 0}}, vars = R() < 0.2 and {"u", "v"} or nil}) end
    local me -- the surface itself, which f may try to close (the crash of issue #8)
    me = gd.surface(mutate{f = function(x, y)
      if R() < 0.02 then (callback())(x, y) end
      if me and R() < 0.005 then pcall(function() local c <close> = me end) end
      if R() < 0.01 and #pool.dual < 8 then pool.dual[#pool.dual + 1] = x end -- dual numbers escape f
      if R() < 0.05 then local m = gd.math[pick{"sin", "exp", "log", "pow", "max", "sqrt", "tanh"}]; pcall(m, x, gen(0)) end
      return (x - 1) ^ 2 + 10 * (y or 0) ^ 2 end, domain = {{-2, 2}, {-2, 2}}, start = {1.5, 1}})
    return me
  end,
  ["gd.optimizer"] = function() return gd.optimizer(pick{"gd", "adam", "momentum", "nesterov", "nope"}, mutate{lr = 0.05}) end,
  ["gd.run"] = function()
    return gd.run(mutate{surface = surface2(), optimizer = any("optimizer") or gd.optimizer("gd", {lr = 0.05}),
                         steps = R(0, 30), start = {1, 1}, internals = R() < 0.5, curvature = R() < 0.3,
                         schedule = R() < 0.3 and (R() < 0.5 and {"cosine", T_max = 10} or callback()) or nil})
  end,
  ["gd.sweep"] = function()
    return gd.sweep(mutate{surface = surface2(), optimizer = gd.optimizer("gd", {lr = 0.05}),
                           over = R() < 0.5 and {lr = numlist(3)} or {{"lr", {0.01, 0.1}}}, steps = R(0, 20),
                           threads = R(0, 2)})
  end,
  ["gd.schedule"] = function() return gd.schedule(R() < 0.5 and mutate{"multistep", milestones = numlist(3), gamma = 0.5} or callback(), R(0, 20), gen(0)) end,
  ["gd.figure"] = function() return gd.figure(mutate{size = {300, 220}, device = R() < 0.3 and "pdfcairo" or nil, --[[ a page of the open book ]] layout = R() < 0.3 and {2, 2} or nil, title = "t"}) end,
  ["gd.book"] = function() return gd.book(mutate{device = "pdfcairo", size = {200, 150}}) end,
  ["gd.animation"] = function() return gd.animation(mutate{size = {60, 50}, fps = 10}) end,
}

-- Figure methods with mostly sensible options.
local fig_templates = {
  contour = function() return mutate{panel = 1, surface = R() < 0.7 and surface2() or nil, f = R() < 0.3 and callback() or nil,
                                     x = {-1, 1}, y = {-1, 1}, resolution = R(2, 12), runs = {any("run")},
                                     levels = R() < 0.3 and numlist(3) or nil, filled = R() < 0.5} end,
  heatmap = function() return mutate{panel = 1, x = {1, 2, 3}, y = {1, 2}, z = {numlist(3), numlist(3)}, contours = numlist(2)} end,
  surface3d = function() return mutate{panel = 1, surface = surface2(), resolution = R(4, 8), runs = {any("run")}} end,
  loss = function() return mutate{panel = 1, runs = {any("run") or {x = {1}, loss = {1}}}, log = R() < 0.5} end,
  lines = function() return mutate{panel = 1, series = {{x = numlist(4), y = numlist(4), label = "a"}}, hlines = gen(1)} end,
  curve = function() return mutate{panel = 1, f = callback(), x = {-1, 1}, resolution = R(2, 20), runs = {any("run")}} end,
  bars = function() return mutate{panel = 1, values = numlist(3), labels = {"a", "b", "c"}, colors = {"red", "#336699", "blue"}} end,
  text = function() return mutate{panel = 1, text = pick(strings)} end,
  annotate = function() return mutate{panel = 1, text = "a", at = {0, 0}, text_at = numlist(2)} end,
}

-- ---- targets: every function and method ------------------------------------------------------
local SKIP = {} -- a target with nothing to call on (its pool is empty): not counted
local targets = {}
local function add(name, fn) targets[#targets + 1] = {name = name, fn = fn} end

local function args(n) local t = {}; for i = 1, n do t[i] = gen(0) end; return table.unpack(t, 1, n) end

for _, name in ipairs(sorted_keys(gd)) do
  local fn = gd[name]
  if type(fn) == "function" then add("gd." .. name, function() return fn(args(R(0, 3))) end) end
end
for _, name in ipairs(sorted_keys(gd.math)) do
  local fn = gd.math[name]
  if type(fn) == "function" then add("gd.math." .. name, function() return fn(args(R(0, 2))) end) end
end
for _, name in ipairs(sorted_keys(templates)) do add(name .. "{}", templates[name]) end
for _, name in ipairs(sorted_keys(pl)) do
  local fn = pl[name]
  if type(fn) == "function" then
    if name == "sdev" then add("pl.sdev", function() return fn(R() < 0.8 and pick(file_devices) or gen(0)) end)
    elseif name == "sfnam" then add("pl.sfnam", function() return fn(dir .. "/raw" .. R(3) .. ".svg") end)
    else add("pl." .. name, function() return fn(args(R(0, 7))) end) end
  end
end
-- a raw PLplot session on the script's own stream, in order, so that drawing calls reach PLplot;
-- axes (env, box, box3, hist, colorbar) get ranges, tick spacings and subtick counts from numbers
-- (an axis too short for its numbers hung PLplot: tests/reliability/pl_raw.lua)
local axis_options = {"bcnst", "bcnstl", "bcnstg", "bcnstd", "bc", "bcnstf"}
local function tick() return R() < 0.6 and 0 or pick(numbers) end
local function nsub() return R() < 0.6 and 0 or pick{1, 5, 100, 101, -1, 2 ^ 31 - 1} end
add("pl session", function()
  pcall(pl.plend1) -- a session an error cut short ends here
  pl.sdev(pick(file_devices)); pl.sfnam(dir .. "/session.svg"); pl.init()
  if R() < 0.7 then pl.env(0, 1, 0, 1, 0, 0)
  else pl.env(pick(numbers), pick(numbers), pick(numbers), pick(numbers), 0, pick{-2, 0, 2, 10, 20, 30, 40, 70}) end
  pl.line(numlist(4), numlist(4))
  local m = R(8)
  if m == 1 then pl.cont({numlist(3), numlist(3), numlist(3)}, numlist(2))
  elseif m == 2 then pl.shades({numlist(3), numlist(3)}, 0, 1, 0, 1, {-1, 0, 1})
  elseif m == 3 then pl.legend{entries = {{text = "a"}, gen(0)}}
  elseif m == 4 then pl.colorbar{values = numlist(3), tick = R() < 0.3 and tick() or nil, nsub = R() < 0.3 and nsub() or nil}
  elseif m == 5 then pl.hist(numlist(R(0, 8)), pick(numbers), pick(numbers), R(1, 50), pick{0, 1, 2, 8, 16})
  elseif m == 6 then
    pl.wind(pick(numbers), pick(numbers), pick(numbers), pick(numbers))
    pl.box(pick(axis_options), tick(), nsub(), pick(axis_options), tick(), nsub())
  elseif m == 7 then
    pl.w3d(1, 1, 1, 0, 1, 0, 1, pick(numbers), pick(numbers), 30, 30)
    pl.box3(pick(axis_options), "x", tick(), nsub(), "bnstu", "y", 0, 0, pick(axis_options), "z", tick(), nsub())
  else pl.box(gen(0), gen(0), gen(0), gen(0), gen(0), gen(0)) end
  pl.plend1()
end)

-- dual numbers that escaped a Lua surface's f, in arithmetic with anything
add("dual ops", function()
  local d = any("dual")
  if not d then return SKIP end
  local b = R() < 0.5 and any("dual") or gen(0)
  local op = R(8)
  if op == 1 then return d + b elseif op == 2 then return b - d elseif op == 3 then return d * b
  elseif op == 4 then return d / b elseif op == 5 then return d ^ b elseif op == 6 then return -d
  elseif op == 7 then return d < b else return tostring(d), d == b end
end)

local methods = {
  surface = {"value", "gradient", "hessian", "domain", "start", "landmarks"},
  figure = {"contour", "heatmap", "surface3d", "loss", "lines", "curve", "bars", "text", "annotate", "plplot", "close"},
  frame = {"contour", "lines", "text", "close"},
  book = {"close"}, anim = {"frame", "close"}, optimizer = {}, run = {},
}
for _, kind in ipairs(sorted_keys(methods)) do
  local list = methods[kind]
  for _, m in ipairs(list) do
    add(kind .. ":" .. m, function()
      local o = any(kind)
      -- closing is rationed (objects must live to be used), except books: one is open at a time
      if not o or (m == "close" and kind ~= "book" and R() < 0.8) then return SKIP end
      if (kind == "figure" or kind == "frame") and fig_templates[m] and R() < 0.8 then return o[m](o, fig_templates[m]()) end
      if m == "plplot" then
        return o:plplot(gen(0), function(p)
          p.col0(R(0, 3)); p.line(numlist(3), numlist(3))
          if R() < 0.5 then (callback())() end
          if R() < 0.3 then pcall(pick{p.plend1, p.init, p.plend, p.eop, p.adv}, gen(0)) end
        end)
      end
      if m == "value" or m == "gradient" or m == "hessian" then return o[m](o, R() < 0.6 and R() * 2 or gen(0), gen(0)) end
      return o[m](o, args(R(0, 2)))
    end)
  end
  for _, mm in ipairs{"__tostring", "__index", "__gc", "__close", "__call", "__len"} do
    add(kind .. "." .. mm, function()
      local o = any(kind)
      local f = o ~= nil and type(o) == "userdata" and getmetatable(o)[mm]
      if type(f) ~= "function" or ((mm == "__gc" or mm == "__close") and R() < 0.8) then return SKIP end
      return f(o, gen(0))
    end)
  end
end

local keep = {surface = 12, optimizer = 8, run = 12, figure = 6, book = 2, anim = 3, frame = 4}
local function remember(v, kind)
  if kind then
  elseif type(v) == "userdata" then
    local name = tostring(v)
    kind = name:match("^gdlab%.surface") and "surface" or name:match("^gdlab%.figure") and "figure"
        or name:match("^gdlab%.animation") and "anim" or name:match("^gdlab%.book") and "book" or nil
    if not kind and pcall(function() return v.params end) and v.name then kind = "optimizer" end
  elseif type(v) == "table" and v.loss and v.x then
    kind = "run"
  end
  if kind then
    local p = pool[kind]
    if #p >= keep[kind] then table.remove(p, R(#p)) end
    p[#p + 1] = v
  end
end

-- ---- the loop -----------------------------------------------------------------------------------
local stats = {} -- name -> {ok, err}
local unlocated, samples = 0, {}
local seed_now, call_now = 0, 0 -- the top-level call under way, for the watchdog and the slowest
local slowest = {seconds = -1}
local function replay_of(seed, calls) return ("gdlab tests/reliability/lua_fuzz.lua %d %d"):format(calls, seed) end
function call_random()
  local t = pick(targets)
  local top = depth == 0
  if top then
    mischief = 6
    beat(("call %d of seed %d (%s; replay: %s)"):format(call_now, seed_now, t.name, replay_of(seed_now, call_now)))
  end
  local clock = top and os.clock()
  local results = table.pack(pcall(t.fn))
  if top and os.clock() - clock > slowest.seconds then
    slowest = {seconds = os.clock() - clock, name = t.name, call = call_now, seed = seed_now}
  end
  if results[2] == SKIP then return end
  local s = stats[t.name] or {ok = 0, err = 0}
  stats[t.name] = s
  if results[1] then
    s.ok = s.ok + 1
    local kind = t.name == "anim:frame" and "frame" or nil
    for i = 2, results.n do pcall(remember, results[i], kind) end
  else
    s.err = s.err + 1
    local msg = results[2]
    if os.getenv("LUA_FUZZ_DEBUG") == t.name then print(t.name, msg) end
    -- gdlab's own errors carry the script's file:line
    if type(msg) == "string" and not msg:find("^[^:]+:%d+: ") and not msg:find("not enough memory") then
      unlocated = unlocated + 1
      if #samples < 8 then samples[#samples + 1] = t.name .. ": " .. msg end
    end
  end
end

local calls, capped = 0, false
for _, seed in ipairs(seeds) do
  if capped then break end
  print(("lua_fuzz: seed %d (replay: gdlab tests/reliability/lua_fuzz.lua %d %d)"):format(seed, calls_per_seed, seed))
  io.stdout:flush() -- a crash must not swallow the replay
  math.randomseed(seed)
  for k in pairs(pool) do pool[k] = {} end
  pool.surface[1] = gd.surface("quadratic")
  pool.optimizer[1] = gd.optimizer("gd", {lr = 0.1})
  seed_now = seed
  for n = 1, calls_per_seed do
    call_now = n
    call_random()
    calls = calls + 1
    if n % 50 == 0 then
      beat(("the collector after call %d of seed %d (replay: %s)"):format(n, seed, replay_of(seed, n)))
      collectgarbage()
      if os.time() - started > max_seconds then
        capped = true
        print(("lua_fuzz: time cap of %.0f s reached after call %d of seed %d"):format(max_seconds, n, seed))
        break
      end
    end
  end
  -- everything left open is closed by the collector, in whatever order it comes
  beat(("the collector closing what seed %d left open (replay: %s)"):format(seed, replay_of(seed, calls_per_seed)))
  for k in pairs(pool) do pool[k] = {} end
  collectgarbage(); collectgarbage()
end

-- ---- coverage: the fuzzer must reach real work, not only argument errors -----------------------
local ok, err, names = 0, 0, {}
for name, s in pairs(stats) do ok, err = ok + s.ok, err + s.err; names[#names + 1] = name end
table.sort(names)
print(("lua_fuzz: %d calls over %d seeds in %.1f s: %d returned normally, %d raised; %d targets"):format(
  calls, #seeds, os.clock(), ok, err, #names))
for _, name in ipairs(names) do io.write(("  %-24s %6d ok %6d errors\n"):format(name, stats[name].ok, stats[name].err)) end
for _, s in ipairs(samples) do print("  error without file:line: " .. s) end
if slowest.name then
  print(("lua_fuzz: slowest call %.2f s of CPU time: %s, call %d of seed %d"):format(slowest.seconds, slowest.name,
        slowest.call, slowest.seed))
end

heart:close()
os.execute("rm -rf '" .. dir .. "'")
if not replay then
  -- Calls that must have succeeded at least once: the fuzzer drew real figures and ran real runs.
  local must = {"gd.run{}", "gd.sweep{}", "gd.surface{}", "gd.figure{}", "figure:contour", "figure:lines",
                "figure:plplot", "pl session", "gd.animation{}", "anim:frame", "gd.book{}"}
  local missing = {}
  for _, name in ipairs(must) do if not stats[name] or stats[name].ok == 0 then missing[#missing + 1] = name end end
  assert(#missing == 0, "lua_fuzz: never succeeded: " .. table.concat(missing, ", "))
  assert(ok >= calls // 10, "lua_fuzz: fewer than 10% of the calls did real work")
end
assert(unlocated == 0, ("lua_fuzz: %d errors without the script's file:line"):format(unlocated))
print("lua_fuzz: no crash")
