# SPDX-License-Identifier: MIT
# xvfb.sh — sourced by the window tests: a private X server (Xvfb) on a free display number, an
# optional window manager, and helpers that act on gdlab's windows like a reader would.
#   start_x [wm]    Xvfb on a display number it picks (free), DISPLAY set; with "wm", openbox runs on it
#   stop_x          kills what start_x started (the caller's EXIT trap runs it)
#   gdlab_windows   the ids of gdlab's visible windows ("gdlab: ..." titles)
#   press KEY WIN   a key for a window that may close on it
X_PID=
WM_PID=

need() { command -v "$1" >/dev/null || { echo "window tests: '$1' is missing (./setup.sh installs it)"; exit 1; }; }
need Xvfb; need xdotool; need xwininfo

start_x() {
    # Xvfb picks a free display number itself and writes it to fd 3 once it accepts clients: two
    # tests starting at once never share a server
    local number_file i
    number_file=$(mktemp "${TMPDIR:-/tmp}/gdlab-xvfb.XXXXXX")
    Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp 3>"$number_file" >/dev/null 2>&1 &
    X_PID=$!
    for i in $(seq 1 100); do # up to 10 s
        [ -s "$number_file" ] && break
        kill -0 $X_PID 2>/dev/null || { echo "Xvfb did not start"; exit 1; }
        sleep 0.1
    done
    [ -s "$number_file" ] || { echo "Xvfb gave no display number in 10 s"; exit 1; }
    export DISPLAY=:$(tr -dc '0-9' <"$number_file")
    rm -f "$number_file"
    xwininfo -root >/dev/null 2>&1 || { echo "Xvfb $DISPLAY does not answer"; exit 1; }
    if [ "${1:-}" = wm ]; then
        need openbox
        openbox >/dev/null 2>&1 &
        WM_PID=$!
        sleep 1
    fi
}

stop_x() {
    [ -n "$WM_PID" ] && kill $WM_PID 2>/dev/null
    [ -n "$X_PID" ] && kill $X_PID 2>/dev/null
    [ -n "$X_PID" ] && wait $X_PID 2>/dev/null
    X_PID=
    WM_PID=
}

# press KEY WINDOW: a key for a window that may close on it. xdotool can fail between the press and
# the release when the window goes away (BadWindow): the key then stays down and the server's
# autorepeat types it into the next window. The extra keyup releases it.
press() {
    xdotool key --window "$2" "$1" 2>/dev/null
    xdotool keyup "$1" 2>/dev/null
}

gdlab_windows() {
    xdotool search --onlyvisible --name '^gdlab: ' 2>/dev/null
}

# wait_window SECONDS: the first gdlab window to show up (empty after SECONDS)
wait_window() {
    local i w
    for i in $(seq 1 $(($1 * 5))); do
        w=$(gdlab_windows | head -1)
        [ -n "$w" ] && { echo "$w"; return 0; }
        sleep 0.2
    done
    return 1
}
