#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian package, end to end, with the commands docs/install.md and docs/c-api.md show (their
# blocks, run as written; `sudo` is a no-op for root, apt-get answers yes through APT_CONFIG):
#   1. build the .deb; its control fields, dependencies and copyright file; lintian with no error or
#      warning left but the justified overrides (packaging/debian/lintian-overrides);
#   2. apt-get install it, run the flagship lesson from /usr and check its PNG and numbers; man pages,
#      the plugin template, the C example (pkg-config and CMake) and the Lua module against /usr;
#   3. apt-get remove it, and check that nothing of it is left in /usr.
# It installs into the system, so .ci/run runs it after the suite, not ctest.
# usage: tests/install/deb_test.sh   (from the source folder, as root or with sudo)
set -eu
src=$(pwd -P)
[ -f "$src/packaging/cpack.cmake" ] || { echo "deb_test.sh: run it from the source folder" >&2; exit 2; }
installed() { [ "$(dpkg-query -W -f='${Status}' gdlab 2>/dev/null)" = "install ok installed" ]; }
if installed; then
    echo "deb_test.sh: a gdlab package is already installed; this test would remove it" >&2
    exit 2
fi
# Slim container images tell dpkg to skip /usr/share/doc and /usr/share/man, where the documented
# commands take the C example and the man pages from.
if grep -rhs "^path-exclude.*/usr/share/\(doc\|man\)" /etc/dpkg/dpkg.cfg.d/; then
    echo "deb_test.sh: dpkg on this machine excludes documentation (above, /etc/dpkg/dpkg.cfg.d/)," \
        "so the package would install without its man pages and examples" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }
run_doc() { (cd "$3" && sh -eux -c "$(sh "$src/tests/install/doc_block.sh" "$src/docs/$1" "$2")") || die "$1, block $2"; }
# The documented commands say `sudo apt-get install FILE`; here they run unattended.
mkdir -p "$tmp/bin" "$tmp/run"
if [ "$(id -u)" = 0 ]; then printf '#!/bin/sh\nexec "$@"\n' >"$tmp/bin/sudo" && chmod +x "$tmp/bin/sudo"; fi
export PATH="$tmp/bin:$PATH" DEBIAN_FRONTEND=noninteractive APT_CONFIG="$tmp/apt.conf"
printf 'APT::Get::Assume-Yes "true";\n' >"$APT_CONFIG"
unset GDLAB_PLUGIN_PATH LD_LIBRARY_PATH LUA_PATH LUA_CPATH LUA_INIT LUA_INIT_5_4 PKG_CONFIG_PATH CMAKE_PREFIX_PATH || true
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
arch=$(dpkg --print-architecture)

step "docs/install.md: build the .deb"
run_doc install.md deb-build "$src" >"$tmp/build.log" 2>&1 || { tail -40 "$tmp/build.log"; die "deb-build"; }
deb=$src/build-deb/gdlab_0.1.0_${arch}.deb
[ -f "$deb" ] || die "no $deb"
dpkg-deb -f "$deb" >"$tmp/control"
cat "$tmp/control"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = gdlab ] && [ "$(field Version)" = 0.1.0 ] && [ "$(field Section)" = science ] ||
    die "control: Package/Version/Section"
field Maintainer | grep -q '^the gdlab authors <.*@.*>$' || die "control: Maintainer"
# dpkg-shlibdeps found what the command and the libraries link; the cairo driver and the font are
# named by hand.
for dep in "libc6 (>=" "liblua5.4-0 (>=" "libplplot17 (>=" "plplot-driver-cairo" "fonts-dejavu-core"; do
    field Depends | grep -qF "$dep" || die "Depends lacks $dep: $(field Depends)"
done
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/gdlab/copyright >"$tmp/copyright"
head -1 "$tmp/copyright" | grep -qx "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" ||
    die "copyright: not in Debian's format"
grep -qx "License: MIT" "$tmp/copyright" || die "copyright: no MIT license"
# A plugin not linked against libc uses nothing of it (only libm, or nothing): the reason given for two
# of lintian's overrides.
dpkg-deb -x "$deb" "$tmp/unpacked"
nm -D --defined-only "/lib/$multiarch/libm.so.6" | awk '{print $3}' | sed 's/@.*//' | sort -u >"$tmp/libm.symbols"
for so in "$tmp/unpacked/usr/lib/$multiarch/gdlab/plugins"/*/*.so; do
    readelf -d "$so" | grep -q "NEEDED.*\[libc\.so" && continue
    nm -D --undefined-only "$so" | awk '$1 == "U" {print $2}' | sed 's/@.*//' | sort -u >"$tmp/undefined"
    extra=$(comm -23 "$tmp/undefined" "$tmp/libm.symbols")
    [ -z "$extra" ] || die "$(basename "$so") uses symbols outside libm ($extra): the lintian override is wrong"
done

step "lintian"
# --fail-on none: lintian's status says whether it ran; the findings are judged here (with
# --show-overrides it would count the overridden ones as failures).
lintian --fail-on none --show-overrides "$deb" >"$tmp/lintian" 2>&1 || { cat "$tmp/lintian"; die "lintian did not run"; }
grep "^[EW]:" "$tmp/lintian" && die "lintian errors or warnings above"
grep -q "^O:" "$tmp/lintian" || { cat "$tmp/lintian"; die "lintian applied none of the package's overrides"; }
echo "lintian: no error or warning; overridden, with reasons in packaging/debian/lintian-overrides:"
grep "^O:" "$tmp/lintian" | sed 's/ \[.*//' | sort | uniq -c

step "docs/install.md: apt-get install, then the flagship lesson from /usr"
find /usr -xdev | sort >"$tmp/usr.before"
ln -s "$src/build-deb" "$tmp/run/build-deb" # the documented commands name it relative to the source
run_doc install.md deb-install "$tmp/run" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; die "deb-install"; }
dpkg -L gdlab | sort >"$tmp/files"
[ "$(command -v gdlab)" = /usr/bin/gdlab ] || die "gdlab is not /usr/bin/gdlab"
png=$(file -b "$tmp/run/ravine/ravine.png")
echo "ravine.png: $png"
echo "$png" | grep -qE "^PNG image data, [0-9]{3,4} x [0-9]{3,4}," || die "ravine.png: $png"
# The lesson's verdicts: seed 002's published numbers (plain GD 185 steps, heavy ball 159).
grep -q "185 steps to converge" "$tmp/install.log" && grep -q "159 steps to converge" "$tmp/install.log" ||
    { cat "$tmp/install.log"; die "the lesson did not print seed 002's step counts"; }
gdlab --describe gd | grep -q "file: /usr/lib/$multiarch/gdlab/plugins/optimizers/gd.so\$" ||
    die "gdlab does not load the packaged plugins"
[ "$(man -w gdlab)" = /usr/share/man/man1/gdlab.1.gz ] || die "man -w gdlab: $(man -w gdlab)"
[ "$(man -w 7 gdlab-plugin)" = /usr/share/man/man7/gdlab-plugin.7.gz ] || die "man -w 7 gdlab-plugin"
man gdlab 2>&1 | grep -q -- "--describe" || die "man gdlab does not render"

step "docs/install.md: the plugin template from /usr"
run_doc install.md template-deb "$tmp" >"$tmp/template.log" 2>&1 || { cat "$tmp/template.log"; die "template-deb"; }
grep -q "file: $tmp/myplugins/my_optimizer.so" "$tmp/template.log" || { cat "$tmp/template.log"; die "template: my_optimizer"; }
grep -q "file: $tmp/myplugins/my_surface.so" "$tmp/template.log" || { cat "$tmp/template.log"; die "template: my_surface"; }

step "docs/c-api.md: the C example against /usr, by pkg-config and by CMake"
lua5.4 "$src/tests/install/run_adam_reference.lua" 0.02 >"$tmp/adam.lua.out" || die "the Lua module from /usr"
for block in c-pkg-config c-cmake; do
    run_doc c-api.md $block "$tmp" >"$tmp/$block.out" 2>"$tmp/$block.err" || { cat "$tmp/$block.err"; die "$block"; }
    tail -n 4 "$tmp/$block.out" | diff "$tmp/adam.lua.out" - || die "$block: run_adam printed other numbers than the Lua module"
done
cat "$tmp/adam.lua.out"

step "docs/install.md: apt-get remove, and nothing of gdlab left"
run_doc install.md deb-remove "$tmp" >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; die "deb-remove"; }
installed && die "gdlab is still installed"
left=0
while read -r f; do
    # A directory the package shared with others (/usr/share/doc, ...) stays; its own must go.
    if [ -e "$f" ] && { [ ! -d "$f" ] || ! grep -qxF "$f" "$tmp/usr.before"; }; then
        echo "left behind: $f"; left=1
    fi
done <"$tmp/files"
[ "$left" = 0 ] || die "files of the package are left after apt-get remove"
find /usr -xdev | sort >"$tmp/usr.after"
diff "$tmp/usr.before" "$tmp/usr.after" || die "/usr differs from before the install"
# Removed, dpkg keeps the package's record (state rc, since it has a postrm) until a purge.
dpkg --purge gdlab >/dev/null || die "dpkg --purge gdlab"
echo "deb: ok"
