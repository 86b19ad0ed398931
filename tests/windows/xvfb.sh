# xvfb.sh — sourced by the window tests: a private X server (Xvfb) on a free display number, an
# optional window manager, and helpers that act on gdlab's windows like a reader would.
#   start_x [wm]    Xvfb on the first free :N from 90, DISPLAY set; with "wm", openbox runs on it
#   stop_x          kills what start_x started (also on EXIT)
#   gdlab_windows   the ids of gdlab's visible windows ("gdlab: ..." titles)
X_PID=
WM_PID=

need() { command -v "$1" >/dev/null || { echo "window tests: '$1' is missing (./setup.sh installs it)"; exit 1; }; }
need Xvfb; need xdotool; need xwininfo

start_x() {
    local n=90
    # a display is taken when its lock file or socket exists
    while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
    Xvfb :$n -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 &
    X_PID=$!
    export DISPLAY=:$n
    local i
    for i in $(seq 1 100); do # up to 10 s for the server to answer
        xwininfo -root >/dev/null 2>&1 && break
        kill -0 $X_PID 2>/dev/null || { echo "Xvfb :$n did not start"; exit 1; }
        sleep 0.1
    done
    xwininfo -root >/dev/null 2>&1 || { echo "Xvfb :$n does not answer"; exit 1; }
    if [ "${1:-}" = wm ]; then
        need openbox
        openbox >/dev/null 2>&1 &
        WM_PID=$!
        sleep 1
    fi
    trap stop_x EXIT
}

stop_x() {
    [ -n "$WM_PID" ] && kill $WM_PID 2>/dev/null
    [ -n "$X_PID" ] && kill $X_PID 2>/dev/null
    [ -n "$X_PID" ] && wait $X_PID 2>/dev/null
    X_PID=
    WM_PID=
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
