#!/bin/sh
# SPDX-License-Identifier: MIT
# The loading policy (docs/reliability.md, "Loading code") and crash messages, seen from the command:
# nothing on the plugin path hangs gdlab, links are followed only to trusted places, files and folders
# that others can write or own are refused with a message saying how to fix them, a lying descriptor
# is refused, and a crash inside a plugin names the plugin and its call.
# usage: loader_policy.sh GDLAB FIXTURE_DIR PLUGIN_DIR
gdlab=$1 fixtures=$2 plugins=$3
tmp=$(mktemp -d)
other_user=gdlab_test_other
created_user=
cleanup() {
    rm -rf "$tmp"
    [ -n "$created_user" ] && userdel "$other_user" 2>/dev/null
}
trap cleanup EXIT
real=$(realpath "$tmp") # messages name canonical paths
fails=0

# expect STATUS TEXT -- command...: the command ends (within 20 s) with STATUS and prints TEXT (fixed string)
expect() {
    want=$1 text=$2
    shift 3
    timeout 20 "$@" >"$tmp/out" 2>&1 </dev/null
    got=$?
    if [ "$got" != "$want" ] || ! grep -qF -- "$text" "$tmp/out"; then
        echo "FAIL: $* -> status $got (want $want), output:"; sed 's/^/    /' "$tmp/out"
        echo "      expected to find: $text"
        fails=$((fails + 1))
    fi
}
# list_with PATH TEXT: gdlab --list with GDLAB_PLUGIN_PATH=PATH ends at once, prints TEXT, and still
# lists the built-in plugins
list_with() {
    expect 0 "$2" -- env GDLAB_PLUGIN_PATH="$1" "$gdlab" --list
    expect 0 "optimizer  gd" -- env GDLAB_PLUGIN_PATH="$1" "$gdlab" --list
}

# ---- things that are not regular files never block
mkdir "$tmp/fifo" "$tmp/fifo/dir.so"
mkfifo "$tmp/fifo/x.so"
list_with "$tmp/fifo" "plugin '$tmp/fifo/x.so': cannot load: '$real/fifo/x.so' is a FIFO (named pipe), not a regular file"
list_with "$tmp/fifo" "plugin '$tmp/fifo/dir.so': cannot load: '$real/fifo/dir.so' is a folder, not a regular file"
list_with "$tmp/fifo/x.so" "'$real/fifo/x.so' is a FIFO (named pipe), not a regular file"
list_with /dev/null "plugin folder '/dev/null': '/dev/null' is not a folder"
if [ "$(id -u)" = 0 ]; then # a device named like a plugin is never opened
    mknod "$tmp/fifo/null.so" c 1 3
    list_with "$tmp/fifo" "'$real/fifo/null.so' is a character device, not a regular file"
fi
printf 'local gd = require "gdlab"\nprint(gd.load(arg[1]))\n' >"$tmp/load.lua"
expect 0 "nil	plugin '$tmp/fifo/x.so': cannot load: '$real/fifo/x.so' is a FIFO (named pipe), not a regular file" -- \
    "$gdlab" "$tmp/load.lua" "$tmp/fifo/x.so"

# ---- symbolic links: followed only to a trusted place
mkdir "$tmp/links" "$tmp/open" "$tmp/sticky"
cp "$fixtures/old_abi_small.so" "$tmp/open/"
cp "$fixtures/old_abi_small.so" "$tmp/sticky/"
chmod 777 "$tmp/open"
chmod 1777 "$tmp/sticky"
ln -s "$tmp/open/old_abi_small.so" "$tmp/links/to_open.so"
chgrp users "$tmp/open" 2>/dev/null # a group that is nobody's private group, if we may
list_with "$tmp/links/to_open.so" \
    "everyone (mode 0777), so another user could replace the code; fix: chmod go-w '$real/open'"
ln -s "$plugins/optimizers/gd.so" "$tmp/links/to_gd.so"
expect 0 "optimizer  gd " -- env GDLAB_PLUGIN_PATH="$tmp/links/to_gd.so" "$gdlab" --list
if env GDLAB_PLUGIN_PATH="$tmp/links/to_gd.so" "$gdlab" --list 2>&1 | grep -q warning; then
    echo "FAIL: a link to a trusted plugin gave a warning"; fails=$((fails + 1))
fi
# a sticky folder is trusted above the plugin only when root owns it (like /tmp)
if [ "$(id -u)" = 0 ]; then
    expect 0 "old_small" -- env GDLAB_PLUGIN_PATH="$tmp/sticky/old_abi_small.so" "$gdlab" --list
fi

# ---- files and folders others can write
mkdir "$tmp/world_file"
cp "$fixtures/old_abi_small.so" "$tmp/world_file/"
chmod 602 "$tmp/world_file/old_abi_small.so"
list_with "$tmp/world_file/old_abi_small.so" \
    "file '$real/world_file/old_abi_small.so' is writable by everyone (mode 0602), so another user could replace the code; fix: chmod go-w '$real/world_file/old_abi_small.so'"
# writable by a group with other members ('users' is no one's private group)
mkdir "$tmp/group_file" "$tmp/group_dir"
cp "$fixtures/old_abi_small.so" "$tmp/group_file/"
cp "$fixtures/old_abi_small.so" "$tmp/group_dir/"
if chgrp users "$tmp/group_file/old_abi_small.so" "$tmp/group_dir" 2>/dev/null; then
    chmod 664 "$tmp/group_file/old_abi_small.so"
    chmod 775 "$tmp/group_dir"
    list_with "$tmp/group_file" \
        "file '$real/group_file/old_abi_small.so' is writable by its group 'users' (mode 0664), so another user could replace the code; fix: chmod go-w '$real/group_file/old_abi_small.so'"
    list_with "$tmp/group_dir" \
        "plugin folder '$tmp/group_dir': folder '$real/group_dir' is writable by its group 'users' (mode 0775), so another user could replace the code; fix: chmod go-w '$real/group_dir'"
    expect 0 "nil	plugin '$tmp/group_dir/old_abi_small.so': cannot load: folder '$real/group_dir' is writable by its group 'users' (mode 0775)" -- \
        "$gdlab" "$tmp/load.lua" "$tmp/group_dir/old_abi_small.so"
    chmod go-w "$tmp/group_dir" # the fix the message gives works
    expect 0 "surface    old_small" -- env GDLAB_PLUGIN_PATH="$tmp/group_dir" "$gdlab" --list
else
    echo "skipped: group-writable plugins (cannot chgrp to 'users' as uid $(id -u))"
fi
# writable by the user's private group (a umask of 002 with a group per user): accepted
me=$(id -un) my_group=$(id -gn)
if [ "$my_group" = "$me" ] && [ -z "$(getent group "$my_group" | cut -d: -f4 | sed "s/^$me\$//")" ]; then
    mkdir "$tmp/private_group"
    cp "$fixtures/old_abi_small.so" "$tmp/private_group/"
    chgrp -R "$my_group" "$tmp/private_group"
    chmod 775 "$tmp/private_group"
    chmod 664 "$tmp/private_group/old_abi_small.so"
    expect 0 "surface    old_small" -- env GDLAB_PLUGIN_PATH="$tmp/private_group" "$gdlab" --list
else
    echo "skipped: the user's private group (group '$my_group' of user '$me' is not private)"
fi

# ---- a folder and a file another user owns (CI runs as root and can make that user)
if [ "$(id -u)" != 0 ]; then
    echo "skipped: plugins owned by another user (needs root to create a user; running as uid $(id -u))"
elif ! command -v useradd >/dev/null; then
    echo "skipped: plugins owned by another user (no useradd)"
else
    if ! id "$other_user" >/dev/null 2>&1; then
        useradd --no-create-home --shell /usr/sbin/nologin "$other_user" && created_user=yes
    fi
    uid=$(id -u "$other_user")
    mkdir "$tmp/theirs" "$tmp/their_file"
    cp "$fixtures/old_abi_small.so" "$tmp/theirs/"
    cp "$fixtures/old_abi_small.so" "$tmp/their_file/"
    chown -R "$other_user" "$tmp/theirs"
    chown "$other_user" "$tmp/their_file/old_abi_small.so"
    list_with "$tmp/theirs" \
        "plugin folder '$tmp/theirs': folder '$real/theirs' is owned by '$other_user' (uid $uid), and only what belongs to you ('root' (uid 0)) or to root is trusted"
    list_with "$tmp/their_file" \
        "file '$real/their_file/old_abi_small.so' is owned by '$other_user' (uid $uid), and only what belongs to you ('root' (uid 0)) or to root is trusted: its owner could put any code there; fix: move the plugin into a folder of yours, or chown it to yourself"
fi

# ---- a descriptor that lies about its table is refused, and --list survives it
list_with "$fixtures/lying_n_params.so" \
    "n_params says 1000000 parameters, but a table that long would reach past the plugin's memory"

# ---- a crash inside a plugin names the plugin, its file and the call, then the process dies of it
printf 'local gd = require "gdlab"\nassert(gd.load(arg[1]))\ngd.run{surface = gd.surface("quadratic"), optimizer = gd.optimizer("crash_step", {how = arg[2]}), steps = 5}\n' >"$tmp/crash.lua"
for how in null_write stack_overflow; do
    timeout 20 "$gdlab" "$tmp/crash.lua" "$fixtures/crash_step.so" $how >"$tmp/out" 2>&1
    got=$?
    want="gdlab: fatal signal SIGSEGV (invalid memory access, or a stack overflow) inside the optimizer 'crash_step' ($(realpath "$fixtures/crash_step.so")), in its step function."
    # 139 = killed by SIGSEGV; under AddressSanitizer its own report follows ours and it exits with 1
    if [ "$got" = 0 ] || [ "$got" = 124 ] || ! grep -qF -- "$want" "$tmp/out"; then
        echo "FAIL: crash ($how) -> status $got, output:"; sed 's/^/    /' "$tmp/out"
        echo "      expected to find: $want"
        fails=$((fails + 1))
    fi
done

# a stack overflow on a sweep's worker thread is reported too (each thread gets its own signal stack)
printf 'local gd = require "gdlab"\nassert(gd.load(arg[1]))\ngd.sweep{surface = gd.surface("quadratic"), optimizer = gd.optimizer("crash_step", {how = "stack_overflow"}), over = {lr = {0.1, 0.2, 0.3, 0.4}}, steps = 5, threads = 2}\n' >"$tmp/sweep.lua"
timeout 20 "$gdlab" "$tmp/sweep.lua" "$fixtures/crash_step.so" >"$tmp/out" 2>&1
got=$?
want="inside the optimizer 'crash_step' ($(realpath "$fixtures/crash_step.so")), in its step function."
if [ "$got" = 0 ] || [ "$got" = 124 ] || ! grep -qF -- "$want" "$tmp/out"; then
    echo "FAIL: stack overflow in a sweep -> status $got, output:"; sed 's/^/    /' "$tmp/out"
    echo "      expected to find: $want"
    fails=$((fails + 1))
fi

# a crash in a surface's eval called by an optimizer's step names both
printf 'local gd = require "gdlab"\nassert(gd.load(arg[1]))\ngd.run{surface = gd.surface("crash_eval"), optimizer = gd.optimizer("nesterov"), steps = 5}\n' >"$tmp/nested.lua"
timeout 20 "$gdlab" "$tmp/nested.lua" "$fixtures/crash_eval.so" >"$tmp/out" 2>&1
got=$?
want="inside the surface 'crash_eval' ($(realpath "$fixtures/crash_eval.so")), in its eval (with gradient) function,
gdlab:   called from the optimizer 'nesterov' ($(realpath "$plugins/optimizers/nesterov.so")), in its step function."
if [ "$got" = 0 ] || [ "$got" = 124 ] || ! tr '\n' '~' <"$tmp/out" | grep -qF -- "$(printf '%s' "$want" | tr '\n' '~')"; then
    echo "FAIL: nested crash -> status $got, output:"; sed 's/^/    /' "$tmp/out"
    echo "      expected to find: $want"
    fails=$((fails + 1))
fi

echo "loader_policy: $fails failed"
[ "$fails" = 0 ]
