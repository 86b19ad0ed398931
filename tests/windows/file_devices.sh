#!/bin/bash
# SPDX-License-Identifier: MIT
# file_devices.sh GDLAB SRCDIR — the flagship lesson (scripts/lessons/ravine.lua, a 1600 x 1000
# landscape figure) on every file device `gdlab --devices` lists, each file checked by a tool that is
# not gdlab: its format, its page shape (landscape where the device lets the page follow the figure),
# and that it renders with ink on it. docs/figures.md has the table of devices this checks.
set -u
GDLAB=$1
SRC=$2
need() { command -v "$1" >/dev/null || { echo "file_devices: '$1' is missing (./setup.sh installs it)"; exit 1; }; }
need pdfinfo; need pdftoppm; need gs; need xmllint; need fig2dev
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import PIL" 2>/dev/null ||
    { echo "file_devices: Debian's python3-pil is missing (./setup.sh installs it)"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-devices.XXXXXX")
trap 'rm -rf "$W"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# inked PNG MIN_COLOURS: the rendering has at least that many colours (a blank or grey page has one or two)
inked() {
    /usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
colours = len(im.getcolors(1 << 24))
print(f"{im.size[0]}x{im.size[1]}, {colours} colours", end="")
sys.exit(0 if colours >= int(sys.argv[2]) else 1)
EOF
}

# landscape W H: width > height
landscape() { awk -v w="$1" -v h="$2" 'BEGIN { exit !(w > h) }'; }

devices=$("$GDLAB" --devices | awk 'NR > 1 && $2 != "window" { print $1 }')
[ -n "$devices" ] || { echo "gdlab --devices lists no file device"; exit 1; }
for dev in $devices; do
    (cd "$SRC" && timeout 300 "$GDLAB" scripts/lessons/ravine.lua -dev "$dev" -o "$W/$dev") >"$W/$dev.log" 2>&1 ||
        { fail "$dev: gdlab failed: $(tail -2 "$W/$dev.log")"; continue; }
    f=$(ls "$W/$dev"/ravine.* 2>/dev/null | head -1)
    [ -s "$f" ] || { fail "$dev: no file"; continue; }
    case $dev in
    pngcairo)
        info=$(inked "$f" 100) || fail "$dev: $info"
        echo "$info" | grep -q "^1600x1000" || fail "$dev: size $info, 1600x1000 expected" ;;
    svg | svgcairo)
        xmllint --noout "$f" || fail "$dev: not well-formed XML"
        w=$(grep -o 'width="[0-9.]*' "$f" | head -1 | tr -dc '0-9.')
        h=$(grep -o 'height="[0-9.]*' "$f" | head -1 | tr -dc '0-9.')
        landscape "$w" "$h" || fail "$dev: page $w x $h is not landscape"
        info="$w x $h" ;;
    pdf | pdfcairo)
        size=$(pdfinfo "$f" | awk '/^Page size:/ { print $3, $5 }')
        landscape $size || fail "$dev: page $size is not landscape"
        pdftoppm -r 40 -png -singlefile "$f" "$W/$dev" || fail "$dev: pdftoppm"
        info="page $size pt, $(inked "$W/$dev.png" 20)" || fail "$dev: $info" ;;
    epscairo | pscairo)
        bbox=$(grep -a -m1 '^%%BoundingBox:' "$f" | awk '{ print $4, $5 }')
        [ "$bbox" = "1600 1000" ] || fail "$dev: BoundingBox $bbox, 1600 1000 expected (landscape)"
        gs -q -dSAFER -dBATCH -dNOPAUSE -dEPSCrop -sDEVICE=png16m -r20 -sOutputFile="$W/$dev.png" "$f" ||
            fail "$dev: gs cannot render it"
        info="BoundingBox $bbox, $(inked "$W/$dev.png" 20)" || fail "$dev: $info"
        # upright: the figure title is near the top of the rendering, not at a side
        /usr/bin/python3 - "$W/$dev.png" <<'EOF' || fail "$dev: the picture is not upright"
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("L")
w, h = im.size
dark = lambda box: sum(1 for p in im.crop(box).getdata() if p < 100)
# the title's dark text lies in the top strip's middle third; a turned picture has it at a side
sys.exit(0 if dark((w // 3, 0, 2 * w // 3, h // 20 + 2)) > 5 else 1)
EOF
        ;;
    ps | psc)
        # PLplot's ps driver keeps its Letter page and turns a landscape figure on it (documented)
        gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=png16m -r20 -sOutputFile="$W/$dev.png" "$f" ||
            fail "$dev: gs cannot render it"
        info=$(inked "$W/$dev.png" 2) || fail "$dev: $info" ;;
    xfig)
        colours=$(awk '$1 == 0' "$f" | wc -l)
        top=$(awk '$1 == 0 { print $2 }' "$f" | sort -n | tail -1)
        [ "$colours" -le 512 ] && [ "$top" -le 543 ] || fail "$dev: $colours colours up to number $top (xfig: 512, 32 to 543)"
        fig2dev -L png -m 0.3 "$f" "$W/$dev.png" || fail "$dev: fig2dev cannot read it"
        info="$colours colours, $(inked "$W/$dev.png" 10)" || fail "$dev: $info" ;;
    *)
        info="(no independent check for this device)" ;;
    esac
    echo "$dev: $(basename "$f"): $info"
done
[ $failures = 0 ] && echo "the flagship renders on every file device" && exit 0
echo "$failures failure(s)"
exit 1
