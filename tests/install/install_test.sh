#!/bin/sh
# Installs the build into a temporary prefix and checks the installed tree alone works:
#   1. <prefix>/bin/gdlab lists the built-in plugins, loaded from <prefix> (not the build tree);
#   2. a stock lua5.4 requires the installed module and runs gd.run;
#   3. plugins/template builds out of tree with pkg-config and the installed headers only, and its
#      optimizer and surface load in the installed command and the installed Lua module.
# usage: install_test.sh BUILD_DIR SOURCE_DIR LIBDIR MAKE CC [LUA]   (no LUA: skip the Lua checks)
set -eu
build=$1 src=$2 libdir=$3 make=$4 cc=$5 lua=${6:-}
tmp=$(mktemp -d)
# cmake --install writes BUILD_DIR/install_manifest.txt: keep the one of a real install, if any.
manifest=$build/install_manifest.txt
if [ -e "$manifest" ]; then cp -p "$manifest" "$tmp/manifest.saved"; fi
cleanup() {
    if [ -e "$tmp/manifest.saved" ]; then cp -p "$tmp/manifest.saved" "$manifest"; else rm -f "$manifest"; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
tmp=$(cd "$tmp" && pwd -P) # plugin paths are printed canonical
prefix=$tmp/prefix
die() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }
# Nothing from the environment may point back at the build tree.
unset GDLAB_PLUGIN_PATH LD_LIBRARY_PATH LUA_PATH LUA_CPATH LUA_INIT LUA_INIT_5_4 PKG_CONFIG_LIBDIR || true

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; die "cmake --install"; }
gdlab=$prefix/bin/gdlab
for f in "$gdlab" "$prefix/$libdir/libgdlab.so.0" "$prefix/$libdir/lua/5.4/gdlab.so" \
    "$prefix/$libdir/gdlab/plugins/optimizers/gd.so" "$prefix/$libdir/gdlab/plugins/surfaces/quadratic.so" \
    "$prefix/include/gdlab/plugin.h" "$prefix/$libdir/pkgconfig/gdlab.pc" \
    "$prefix/share/doc/gdlab/plugin-abi.md" "$prefix/share/gdlab/lessons/ravine.lua" \
    "$prefix/share/gdlab/plugin-template/Makefile"; do
    [ -e "$f" ] || die "not installed: $f"
done
if find "$prefix" -name 'my_*.so' | grep -q .; then die "template plugins were installed as plugins"; fi

step "installed gdlab --list / --describe"
"$gdlab" --list >"$tmp/list" 2>&1 || { cat "$tmp/list"; die "gdlab --list"; }
grep -q "^optimizer  gd " "$tmp/list" || { cat "$tmp/list"; die "--list: no optimizer gd"; }
grep -q "^surface    quadratic " "$tmp/list" || { cat "$tmp/list"; die "--list: no surface quadratic"; }
if grep -q "my_optimizer\|my_surface" "$tmp/list"; then die "--list shows the template plugins"; fi
"$gdlab" --describe gd >"$tmp/describe" 2>&1 || { cat "$tmp/describe"; die "gdlab --describe gd"; }
grep -q "file: $prefix/$libdir/gdlab/plugins/optimizers/gd.so\$" "$tmp/describe" ||
    { cat "$tmp/describe"; die "--describe gd: not the installed plugin"; }

if [ -n "$lua" ]; then
    step "stock $lua: require \"gdlab\" from $prefix/$libdir/lua/5.4"
    cat >"$tmp/module.lua" <<'LUA'
local prefix = arg[1]
local gd = require "gdlab"
assert(package.searchpath("gdlab", package.cpath):find(prefix, 1, true) == 1, "module not from the prefix")
for _, p in ipairs(gd.list("any")) do
    assert(p.path:find(prefix, 1, true) == 1, "plugin " .. p.path .. " not from the prefix")
end
local run = gd.run{surface = gd.surface("quadratic", {a = 1, b = 3}),
                   optimizer = gd.optimizer("gd", {lr = 0.1}), start = {-4, 1.5}, steps = 500, tol = 1e-8}
assert(run.status == "converged", "gd.run on quadratic: " .. tostring(run.status))
print("lua ok", run.status, run.steps)
LUA
    LUA_CPATH="$prefix/$libdir/lua/5.4/?.so;;" "$lua" "$tmp/module.lua" "$prefix" || die "lua5.4 with the installed module"
fi

step "plugin template, out of tree, against the installed headers"
cp -R "$src/plugins/template" "$tmp/template"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
# gdlab.pc locates the prefix from its own folder (pcfiledir): the headers it names are these.
incdir=$(pkg-config --variable=includedir gdlab) || die "pkg-config cannot find gdlab.pc"
[ "$(cd "$incdir" && pwd -P)" = "$prefix/include" ] || die "gdlab.pc: includedir $incdir is not $prefix/include"
pkg-config --cflags gdlab | grep -q -- "-I$incdir" || die "pkg-config --cflags gdlab: $(pkg-config --cflags gdlab)"
"$make" -C "$tmp/template" CC="$cc" \
    CFLAGS="-O2 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror" ||
    die "make (template)"
"$make" -C "$tmp/template" GDLAB="$gdlab" check >"$tmp/check" 2>&1 || { cat "$tmp/check"; die "make check (template)"; }
grep -q "file: $tmp/template/my_optimizer.so" "$tmp/check" || { cat "$tmp/check"; die "make check: my_optimizer not described"; }
GDLAB_PLUGIN_PATH="$tmp/template" "$gdlab" --describe my_optimizer >"$tmp/describe" 2>&1 ||
    { cat "$tmp/describe"; die "gdlab --describe my_optimizer"; }
grep -q "max_norm" "$tmp/describe" || { cat "$tmp/describe"; die "--describe my_optimizer: no max_norm"; }

# The template surface's gradient and Hessian agree with finite differences, its landmarks are
# critical points, and the template optimizer reaches a minimum on it. Run by the installed command,
# and by the stock interpreter with the installed module when there is one.
cat >"$tmp/template_run.lua" <<'LUA'
local gd = require "gdlab"
local f = gd.surface("my_surface", {s = 5})
local h = 1e-6
for _, p in ipairs{{0.3, -0.7}, {-1.2, 2.1}, {1.7, 0.4}} do
    local g = f:gradient(p[1], p[2])
    local H = f:hessian(p[1], p[2])
    for i = 1, 2 do
        local e = {0, 0}; e[i] = h
        local gp = f:gradient(p[1] + e[1], p[2] + e[2])
        local gm = f:gradient(p[1] - e[1], p[2] - e[2])
        local fd = (f(p[1] + e[1], p[2] + e[2]) - f(p[1] - e[1], p[2] - e[2])) / (2 * h)
        assert(math.abs(fd - g[i]) < 1e-5 * (1 + math.abs(g[i])), "gradient " .. i)
        for j = 1, 2 do
            local fdh = (gp[j] - gm[j]) / (2 * h)
            assert(math.abs(fdh - H[(j - 1) * 2 + i]) < 1e-4 * (1 + math.abs(fdh)), "hessian")
        end
    end
end
local marks = f:landmarks()
assert(#marks == 3 and marks[1].kind == "global_min" and marks[3].kind == "saddle", "landmarks")
for _, m in ipairs(marks) do
    local g = f:gradient(m.x[1], m.x[2])
    assert(math.abs(g[1]) + math.abs(g[2]) < 1e-12, "landmark is not a critical point")
end
local run = gd.run{surface = f, optimizer = gd.optimizer("my_optimizer", {lr = 0.02, max_norm = 1}),
                   steps = 3000, tol = 1e-6, internals = true}
assert(run.status == "converged", "my_optimizer on my_surface: " .. tostring(run.status))
print("template ok", run.steps, run.loss[#run.loss])
LUA
step "template optimizer on template surface: installed gdlab"
GDLAB_PLUGIN_PATH="$tmp/template" "$gdlab" "$tmp/template_run.lua" || die "template run (gdlab)"
if [ -n "$lua" ]; then
    step "template optimizer on template surface: stock $lua"
    GDLAB_PLUGIN_PATH="$tmp/template" LUA_CPATH="$prefix/$libdir/lua/5.4/?.so;;" "$lua" "$tmp/template_run.lua" ||
        die "template run ($lua)"
fi
echo "install: ok"
