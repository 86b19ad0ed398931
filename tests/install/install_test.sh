#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the build into a temporary HOME's ~/.local with the command docs/install.md shows, and checks
# the installed tree alone works, running the documentation's own blocks (doc_block.sh) where it has them:
#   1. the files are in place, and <prefix>/bin/gdlab lists the built-in plugins from <prefix>;
#   2. a stock lua5.4 requires the installed module and runs gd.run;
#   3. pkg-config (gdlab, gdlab-figure, gdlab-plugin) and find_package(gdlab) give the installed paths
#      and targets; plugins/template builds out of tree as documented and loads in the command and module;
#   4. docs/examples/run_adam.c builds by pkg-config and by CMake, and prints what the Lua module does;
#   5. the tree, moved elsewhere, still runs and still builds the example.
# usage: install_test.sh BUILD_DIR SOURCE_DIR LIBDIR MAKE CC [LUA]
#   No LUA (the sanitizer build): the Lua and C-program checks are skipped, since an uninstrumented
#   program cannot load the instrumented libraries. Exits 77 (skipped) unless LIBDIR is lib, which the
#   documented ~/.local paths assume (a build configured for /usr/local or ~/.local).
set -eu
build=$1 src=$2 libdir=$3 make=$4 cc=$5 lua=${6:-}
if [ "$libdir" != lib ]; then echo "SKIP: docs/install.md's paths assume LIBDIR=lib, this build has $libdir"; exit 77; fi
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
die() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }
# run_doc DOC NAME DIR: the documentation's block NAME, run in DIR exactly as written (-x shows it).
run_doc() { (cd "$3" && sh -eux -c "$(sh "$src/tests/install/doc_block.sh" "$src/docs/$1" "$2")") || die "$1, block $2"; }
# Nothing from the environment may point back at the build tree or at the user's own files.
unset GDLAB_PLUGIN_PATH LD_LIBRARY_PATH LUA_PATH LUA_CPATH LUA_INIT LUA_INIT_5_4 PKG_CONFIG_LIBDIR \
    PKG_CONFIG_PATH CMAKE_PREFIX_PATH XDG_CACHE_HOME || true
export HOME="$tmp/home"
prefix=$HOME/.local
mkdir -p "$HOME" "$tmp/src"
ln -s "$build" "$tmp/src/build" # the documented commands name the build folder `build`

step "docs/install.md: cmake --install build --prefix ~/.local"
run_doc install.md install-home "$tmp/src" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; die "install"; }
gdlab=$prefix/bin/gdlab
for f in "$gdlab" "$prefix/lib/libgdlab.so.0" "$prefix/lib/libgdlab-figure.so.0" "$prefix/lib/lua/5.4/gdlab.so" \
    "$prefix/lib/gdlab/plugins/optimizers/gd.so" "$prefix/lib/gdlab/plugins/surfaces/quadratic.so" \
    "$prefix/include/gdlab/plugin.h" "$prefix/include/gdlab/gdlab.h" "$prefix/lib/pkgconfig/gdlab.pc" \
    "$prefix/lib/pkgconfig/gdlab-figure.pc" "$prefix/lib/pkgconfig/gdlab-plugin.pc" \
    "$prefix/lib/cmake/gdlab/gdlabConfig.cmake" "$prefix/lib/cmake/gdlab/gdlabConfigVersion.cmake" \
    "$prefix/share/man/man1/gdlab.1.gz" "$prefix/share/man/man7/gdlab-plugin.7.gz" \
    "$prefix/share/doc/gdlab/copyright" "$prefix/share/doc/gdlab/plugin-abi.md" \
    "$prefix/share/doc/gdlab/examples/run_adam.c" "$prefix/share/gdlab/lessons/ravine.lua" \
    "$prefix/share/gdlab/plugin-template/Makefile"; do
    [ -e "$f" ] || die "not installed: $f"
done
if find "$prefix" -name 'my_*.so' | grep -q .; then die "template plugins were installed as plugins"; fi
# Relocatable: no installed text file names the build tree or the prefix it was configured for.
if grep -rIl -e "$build" -e "$src" "$prefix" | grep -v '/share/doc/' | grep .; then
    die "installed files above hold absolute paths of the build"
fi

step "cpack -G DEB refuses a build that is not for /usr"
if (cd "$tmp" && cpack --config "$build/CPackConfig.cmake" -G DEB) >"$tmp/cpack.log" 2>&1; then
    die "cpack made a .deb of a build for another prefix than /usr"
fi
grep -q "a .deb installs to /usr, but this build was configured for" "$tmp/cpack.log" ||
    { cat "$tmp/cpack.log"; die "cpack: no message saying why"; }

step "installed gdlab --list / --describe"
"$gdlab" --list >"$tmp/list" 2>&1 || { cat "$tmp/list"; die "gdlab --list"; }
grep -q "^optimizer  gd " "$tmp/list" || { cat "$tmp/list"; die "--list: no optimizer gd"; }
grep -q "^surface    quadratic " "$tmp/list" || { cat "$tmp/list"; die "--list: no surface quadratic"; }
if grep -q "my_optimizer\|my_surface" "$tmp/list"; then die "--list shows the template plugins"; fi
n_plugins=$(grep -c "^optimizer \|^surface " "$tmp/list")
"$gdlab" --describe gd >"$tmp/describe" 2>&1 || { cat "$tmp/describe"; die "gdlab --describe gd"; }
grep -q "file: $prefix/lib/gdlab/plugins/optimizers/gd.so\$" "$tmp/describe" ||
    { cat "$tmp/describe"; die "--describe gd: not the installed plugin"; }

if [ -n "$lua" ]; then
    step "stock $lua: require \"gdlab\" from $prefix/lib/lua/5.4"
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
    LUA_CPATH="$prefix/lib/lua/5.4/?.so;;" "$lua" "$tmp/module.lua" "$prefix" || die "lua5.4 with the installed module"
    run_doc install.md lua-home "$tmp" >"$tmp/lua-home" || die "lua-home"
    [ "$(cat "$tmp/lua-home")" = "$(printf '0.1.0\t%s' "$n_plugins")" ] ||
        die "lua-home printed '$(cat "$tmp/lua-home")', not version 0.1.0 and the $n_plugins plugins of --list"
fi

step "pkg-config: gdlab, gdlab-figure, gdlab-plugin"
# The .pc files locate the prefix from their own folder (pcfiledir): the paths they name are these.
pc() { PKG_CONFIG_PATH="$1/lib/pkgconfig" pkg-config "$2" "$3"; }
canon() { (cd "$1" && pwd -P); }
[ "$(canon "$(pc "$prefix" --variable=includedir gdlab-plugin)")" = "$prefix/include" ] || die "gdlab-plugin.pc: includedir"
[ "$(canon "$(pc "$prefix" --variable=plugindir gdlab-plugin)")" = "$prefix/lib/gdlab/plugins" ] || die "gdlab-plugin.pc: plugindir"
[ -z "$(pc "$prefix" --libs gdlab-plugin)" ] || die "gdlab-plugin.pc has Libs: a plugin links nothing of gdlab"
libs=$(pc "$prefix" --libs gdlab)
case " $libs " in *" -lgdlab "*) ;; *) die "pkg-config --libs gdlab: $libs (no -lgdlab)" ;; esac
[ "$(canon "$(pc "$prefix" --variable=libdir gdlab)")" = "$prefix/lib" ] || die "gdlab.pc: libdir"
figure_libs=$(pc "$prefix" --libs gdlab-figure)
for l in -lgdlab-figure -lgdlab -lplplot; do
    case " $figure_libs " in *" $l "*) ;; *) die "pkg-config --libs gdlab-figure: $figure_libs (no $l)" ;; esac
done

step "docs/install.md: the plugin template, out of tree, make ... check as written"
run_doc install.md template-home "$tmp" >"$tmp/check" 2>&1 || { cat "$tmp/check"; die "template-home"; }
grep -q "file: $tmp/myplugins/my_optimizer.so" "$tmp/check" || { cat "$tmp/check"; die "make check: my_optimizer not described"; }
grep -q "file: $tmp/myplugins/my_surface.so" "$tmp/check" || { cat "$tmp/check"; die "make check: my_surface not described"; }
grep -q "max_norm" "$tmp/check" || { cat "$tmp/check"; die "make check: no max_norm parameter"; }
# The template compiles without a warning under gdlab's own flags.
cp -R "$prefix/share/gdlab/plugin-template" "$tmp/strict"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" "$make" -C "$tmp/strict" CC="$cc" \
    CFLAGS="-O2 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror" >"$tmp/strict.log" 2>&1 ||
    { cat "$tmp/strict.log"; die "the template does not build with -Werror"; }

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
GDLAB_PLUGIN_PATH="$tmp/myplugins" "$gdlab" "$tmp/template_run.lua" || die "template run (gdlab)"
if [ -n "$lua" ]; then
    step "template optimizer on template surface: stock $lua"
    GDLAB_PLUGIN_PATH="$tmp/myplugins" LUA_CPATH="$prefix/lib/lua/5.4/?.so;;" "$lua" "$tmp/template_run.lua" ||
        die "template run ($lua)"
fi

step "find_package(gdlab): targets, components, version"
mkdir -p "$tmp/pkgproj"
cat >"$tmp/pkgproj/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(gdlab_package_check LANGUAGES C)
find_package(gdlab 0.1 REQUIRED COMPONENTS engine figure plugin)
foreach(t gdlab::engine gdlab::figure gdlab::plugin)
  if(NOT TARGET ${t})
    message(FATAL_ERROR "find_package(gdlab) did not define ${t}")
  endif()
endforeach()
message(STATUS "gdlab_PLUGIN_DIR=${gdlab_PLUGIN_DIR}")
# A plugin built as gdlab-plugin(7) shows, with the interface target for its headers.
add_library(my_optimizer MODULE my_optimizer.c)
set_target_properties(my_optimizer PROPERTIES PREFIX "" C_VISIBILITY_PRESET hidden)
target_link_libraries(my_optimizer PRIVATE gdlab::plugin)
# A program on the figure library: it links and its PLplot headers are found.
file(WRITE ${CMAKE_BINARY_DIR}/uses_figure.c "#include <gdlab/figure.h>\nint main(void) { return 0; }\n")
add_executable(uses_figure ${CMAKE_BINARY_DIR}/uses_figure.c)
target_link_libraries(uses_figure PRIVATE gdlab::figure)
CMAKE
cp "$src/plugins/template/my_optimizer.c" "$tmp/pkgproj/"
cmake -S "$tmp/pkgproj" -B "$tmp/pkgproj/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/pkgproj.log" 2>&1 &&
    cmake --build "$tmp/pkgproj/build" >>"$tmp/pkgproj.log" 2>&1 || { cat "$tmp/pkgproj.log"; die "find_package project"; }
grep -q "gdlab_PLUGIN_DIR=$prefix/lib/gdlab/plugins\$" "$tmp/pkgproj.log" || { cat "$tmp/pkgproj.log"; die "gdlab_PLUGIN_DIR"; }
GDLAB_PLUGIN_PATH="$tmp/pkgproj/build/my_optimizer.so" "$gdlab" --describe my_optimizer >/dev/null ||
    die "the plugin built with gdlab::plugin does not load"
sed -i 's/find_package(gdlab 0.1 /find_package(gdlab 0.2 /' "$tmp/pkgproj/CMakeLists.txt"
if cmake -S "$tmp/pkgproj" -B "$tmp/pkgproj/build2" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/v.log" 2>&1; then
    die "find_package(gdlab 0.2) accepted version 0.1.0"
fi
grep -q "0.1.0" "$tmp/v.log" || { cat "$tmp/v.log"; die "version mismatch message does not name 0.1.0"; }

if [ -n "$lua" ]; then
    step "docs/c-api.md: the C example by pkg-config and by CMake, against the installed library"
    "$gdlab" "$src/tests/install/run_adam_reference.lua" 0.02 >"$tmp/adam.lua.out" || die "run_adam_reference.lua"
    for block in c-pkg-config-home c-cmake-home; do
        run_doc c-api.md $block "$tmp" >"$tmp/$block.out" 2>"$tmp/$block.err" || { cat "$tmp/$block.err"; die "$block"; }
        # run_adam's four lines come last, after what the build commands print
        tail -n 4 "$tmp/$block.out" | diff "$tmp/adam.lua.out" - ||
            die "$block: run_adam printed other numbers than the Lua module"
    done
    cat "$tmp/c-pkg-config-home.out"
    if "$tmp/c-example/run_adam" -1 >"$tmp/bad.out" 2>&1; then die "run_adam -1 succeeded"; fi
    grep -q "parameter 'lr' of optimizer 'adam' must be in (0, inf), got -1" "$tmp/bad.out" ||
        { cat "$tmp/bad.out"; die "run_adam -1: no message naming the parameter"; }

    step "the installed tree, moved, still runs and builds"
    moved=$tmp/moved
    mv "$prefix" "$moved"
    "$moved/bin/gdlab" --describe gd | grep -q "file: $moved/lib/gdlab/plugins/optimizers/gd.so\$" ||
        die "moved tree: gdlab does not find its own plugins"
    (cd "$tmp/c-example" && rm -f run_adam && PKG_CONFIG_PATH="$moved/lib/pkgconfig" && export PKG_CONFIG_PATH &&
        cc run_adam.c -o run_adam $(pkg-config --cflags --libs gdlab) -Wl,-rpath,"$(pkg-config --variable=libdir gdlab)" &&
        ./run_adam 0.02) >"$tmp/moved.out" 2>&1 || { cat "$tmp/moved.out"; die "moved tree: pkg-config build"; }
    diff "$tmp/adam.lua.out" "$tmp/moved.out" || die "moved tree: other numbers"
    cmake -S "$tmp/c-cmake" -B "$tmp/c-cmake/build-moved" -DCMAKE_PREFIX_PATH="$moved" >"$tmp/moved-cmake.log" 2>&1 &&
        cmake --build "$tmp/c-cmake/build-moved" >>"$tmp/moved-cmake.log" 2>&1 ||
        { cat "$tmp/moved-cmake.log"; die "moved tree: find_package build"; }
    "$tmp/c-cmake/build-moved/run_adam" 0.02 | diff "$tmp/adam.lua.out" - || die "moved tree: cmake build, other numbers"
fi
echo "install: ok"
