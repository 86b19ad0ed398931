#!/bin/sh
# SPDX-License-Identifier: MIT
# gdlab --check-plugin: every built-in plugin is clean (exit 0); each broken fixture is reported with
# what went wrong and where (exit 1), and a crash, an endless loop or an exit() in the plugin never
# takes the checker down with it.
# usage: check_plugin.sh GDLAB FIXTURE_DIR PLUGIN_DIR
gdlab=$1 fixtures=$2 plugins=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
    echo "FAIL: $1; output:"; sed 's/^/    /' "$tmp/out"
    fails=$((fails + 1))
}

# every built-in plugin: no problems
n=0
for p in "$plugins"/surfaces/*.so "$plugins"/optimizers/*.so; do
    timeout 120 "$gdlab" --check-plugin "$p" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" != 0 ] || ! grep -qF "no problems found in $p" "$tmp/out"; then fail "$p -> status $got"; fi
    n=$((n + 1))
done
[ "$n" -ge 30 ] || { echo "FAIL: only $n built-in plugins found in $plugins"; fails=$((fails + 1)); }

# expect FIXTURE COUNT TEXT...: exit 1, "COUNT problem(s) found", and every TEXT (fixed strings)
expect() {
    fixture=$1 count=$2
    shift 2
    GDLAB_CHECK_TIMEOUT=1 timeout 60 "$gdlab" --check-plugin "$fixtures/$fixture.so" >"$tmp/out" 2>&1
    got=$?
    [ "$got" = 1 ] || fail "$fixture -> status $got (want 1)"
    grep -qE "^$count problems? found in $fixtures/$fixture.so\$" "$tmp/out" || fail "$fixture: want $count problems"
    for text in "$@"; do
        grep -qF -- "$text" "$tmp/out" || fail "$fixture: expected to find: $text"
    done
}
expect crash_step 3 \
    "problem: it crashed with signal 11 (Segmentation fault) while taking step 1 on 'quadratic'; in gdlab this kills the whole process" \
    "problem: it crashed with signal 11 (Segmentation fault) while taking step 1 on 'rosenbrock'"
expect loop_step 3 \
    "problem: it did not return within 1 s while taking step 1 on 'quadratic': an endless loop?"
expect exit_step 3 \
    "problem: it ended the process (exit status 3) while taking step 1 on 'quadratic': a plugin must never call exit(); return an error message instead"
expect wrong_gradient 3 \
    "but finite differences give" "check the derivative of f with respect to coordinate 2" \
    "problem: landmark 0, a global minimum at (1, 0), is not a critical point: the gradient there has a coordinate of size 2" \
    "lower than the listed global minimum 1 at (1, 0): the global minimum is elsewhere, or f is wrong"
expect lying_n_params 1 \
    "n_params says 1000000 parameters, but a table that long would reach past the plugin's memory: n_params is larger than the params table"
expect bad_default 1 "default -1 of parameter 'lr' is outside its own range"
expect global_state 2 \
    "problem: two runs on 'rosenbrock' from the same start differ at step 1: the plugin keeps global state" \
    "problem: an instance on 'quadratic' took a different step 1 while another instance ran on 'rosenbrock' at the same time: the two share state"

# the wrong gradient is off by the factor it has: 2y instead of 6y
GDLAB_CHECK_TIMEOUT=1 "$gdlab" --check-plugin "$fixtures/wrong_gradient.so" 2>&1 |
    sed -n 's/.*df\/dx2 is \([-0-9.e]*\), but finite differences give \([-0-9.e]*\);.*/\1 \2/p' >"$tmp/ratio"
if ! awk 'NR == 1 { r = $2 / $1; ok = r > 2.999 && r < 3.001 } END { exit !ok }' "$tmp/ratio"; then
    echo "FAIL: the gradient and its finite difference are not in the ratio 1:3: $(cat "$tmp/ratio")"
    fails=$((fails + 1))
fi

# usage errors
"$gdlab" --check-plugin >"$tmp/out" 2>&1
[ $? = 2 ] && grep -qF -- "--check-plugin needs a plugin file" "$tmp/out" || fail "--check-plugin without a file"
"$gdlab" --check-plugin "$tmp/missing.so" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -qF "plugin '$tmp/missing.so': No such file or directory" "$tmp/out" || fail "a missing file"

echo "check_plugin: $fails failed"
[ "$fails" = 0 ]
