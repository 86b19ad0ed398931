#!/bin/sh
# SPDX-License-Identifier: MIT
# slow_cc.sh — a "C compiler" for GDLAB_CC that never finishes: it starts a child of its own (as cc
# starts cc1, as, ld), writes both process ids and a file into its work folder (TMPDIR, set by gdlab),
# and waits. output_faults.sh kills gdlab during this wait and checks that both processes are gone
# and the work folder with them. SLOW_CC_PIDS names the file for the ids.
sleep 120 &
echo "$$ $!" > "$SLOW_CC_PIDS.part" && mv "$SLOW_CC_PIDS.part" "$SLOW_CC_PIDS"
: > "$TMPDIR/ccFAKE.s"
wait
